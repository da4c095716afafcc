/**
 * Crash recovery: while a project has unsaved changes, the app writes a recovery snapshot every
 * 30 s; a clean save, close or discard removes it. A snapshot found at start-up therefore means
 * the last session ended with unsaved work (crash, killed tab), and the welcome screen offers it.
 *
 * Framework-free: storage is injected (browser/Electron renderer: localStorage; tests: a Map).
 * Invariants: a snapshot is only written when the editor is dirty and its content changed since the
 * last write; a corrupt stored value reads as "no snapshot" (and is removed), never as an error.
 */

export const RECOVERY_KEY = 'netloom.recovery.v1';
export const AUTOSAVE_INTERVAL_MS = 30_000;

/** The subset of the Web Storage API the recovery needs. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface RecoverySnapshot {
  /** Project name shown in the offer. */
  readonly name: string;
  /** Display name of the file it belongs to, or null for an untitled project. */
  readonly fileName: string | null;
  /** ISO 8601 time of the snapshot. */
  readonly savedAt: string;
  /** The project document (canonical `.netloom.json` text). */
  readonly text: string;
}

export class RecoveryFile {
  #lastText: string | null = null;

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The snapshot left by an earlier session, or null. */
  read(): RecoverySnapshot | null {
    let raw: string | null;
    try {
      raw = this.storage.getItem(RECOVERY_KEY);
    } catch {
      return null; // storage disabled (private mode): recovery is simply unavailable
    }
    if (raw === null) return null;
    try {
      const v = JSON.parse(raw) as Partial<RecoverySnapshot>;
      if (typeof v.text === 'string' && typeof v.name === 'string' && typeof v.savedAt === 'string')
        return {
          name: v.name,
          fileName: typeof v.fileName === 'string' ? v.fileName : null,
          savedAt: v.savedAt,
          text: v.text,
        };
    } catch {
      /* fall through: corrupt */
    }
    this.clear();
    return null;
  }

  /**
   * One autosave tick: writes a snapshot when `dirty` and the text changed since the last write.
   * `text` is computed lazily (only when dirty). Returns true when something was written.
   * Storage errors (quota) are returned as false: autosave must never interrupt editing.
   */
  tick(dirty: boolean, snapshot: () => { name: string; fileName: string | null; text: string }): boolean {
    if (!dirty) return false;
    const s = snapshot();
    if (s.text === this.#lastText) return false;
    try {
      this.storage.setItem(RECOVERY_KEY, JSON.stringify({ ...s, savedAt: this.now().toISOString() }));
    } catch {
      return false;
    }
    this.#lastText = s.text;
    return true;
  }

  /** Removes the snapshot (after a save, a clean close or when the user discards it). */
  clear(): void {
    this.#lastText = null;
    try {
      this.storage.removeItem(RECOVERY_KEY);
    } catch {
      /* storage disabled: nothing to clear */
    }
  }
}
