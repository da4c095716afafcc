/**
 * Recent projects of the web edition. A browser cannot reopen a file by its path, so the list keeps,
 * per project, the text it had when it was last opened or saved in this browser (localStorage);
 * "Open Recent" reopens that copy. The desktop edition uses the host's own list instead.
 *
 * Invariants: framework-free (a Storage is passed in); newest first, at most MAX_ENTRIES; one entry
 * per file name (re-saving replaces it); a project whose text exceeds MAX_TEXT_CHARS is listed without
 * a copy and says so when reopened; a full or broken storage never throws to the caller.
 */
import type { FileRef, OpenedText, RecentProject } from '../host';

export const RECENT_KEY = 'netloom.recentProjects.v1';
export const MAX_ENTRIES = 8;
/** localStorage holds about 5 MB per origin; keep room for the recovery snapshot. */
export const MAX_TEXT_CHARS = 600_000;

interface StoredEntry {
  name: string;
  openedAt: string;
  text: string | null;
}

export class BrowserRecent {
  constructor(
    private readonly storage: Storage,
    private readonly now: () => Date = () => new Date(),
  ) {}

  #read(): StoredEntry[] {
    try {
      const raw = this.storage.getItem(RECENT_KEY);
      const list: unknown = raw ? JSON.parse(raw) : [];
      if (!Array.isArray(list)) return [];
      return list.filter(
        (e): e is StoredEntry =>
          !!e &&
          typeof e.name === 'string' &&
          typeof e.openedAt === 'string' &&
          (typeof e.text === 'string' || e.text === null),
      );
    } catch {
      return [];
    }
  }

  #write(list: StoredEntry[]): void {
    // When the storage is full, drop the oldest copies until it fits (the names stay listed).
    for (let keep = list.length; keep >= 0; keep--) {
      const trimmed = list.map((e, i) => (i < keep ? e : { ...e, text: null }));
      try {
        this.storage.setItem(RECENT_KEY, JSON.stringify(trimmed));
        return;
      } catch {
        // try again with fewer copies
      }
    }
  }

  /** The list, newest first, as the host interface shapes it (file id = `recent:<name>`). */
  list(): RecentProject[] {
    return this.#read().map((e) => ({
      file: { id: `recent:${e.name}`, name: e.name },
      openedAt: e.openedAt,
    }));
  }

  /** Records that `name` was opened or saved with `text` (moves it to the top). */
  remember(name: string, text: string): void {
    const entry: StoredEntry = {
      name,
      openedAt: this.now().toISOString(),
      text: text.length <= MAX_TEXT_CHARS ? text : null,
    };
    const rest = this.#read().filter((e) => e.name !== name);
    this.#write([entry, ...rest].slice(0, MAX_ENTRIES));
  }

  /**
   * The stored copy of a listed project.
   * @throws Error naming the file when it is not listed or too large to have been kept.
   */
  open(file: FileRef): OpenedText {
    const e = this.#read().find((x) => `recent:${x.name}` === file.id || x.name === file.name);
    if (!e) throw new Error(`'${file.name}' is no longer in the recent list; open the file again.`);
    if (e.text === null)
      throw new Error(
        `'${file.name}' was too large to keep a copy in this browser; open the file again with Open….`,
      );
    return { file: { id: `recent:${e.name}`, name: e.name }, text: e.text };
  }

  /** Removes `name` from the list. */
  forget(name: string): void {
    this.#write(this.#read().filter((e) => e.name !== name));
  }
}
