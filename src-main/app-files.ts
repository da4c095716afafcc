/**
 * File operations behind the host interface in the desktop app: dialogs, reads, atomic saves,
 * grants (see files/grants.ts) and the recent list. Electron's dialog API is injected so the
 * logic stays testable; index.ts wires it to the real window.
 */

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type {
  ExportRequest,
  FileRef,
  OpenedBytes,
  OpenedText,
  RecentProject,
} from '../src-renderer/host/host';
import { writeFileAtomic } from './files/atomic-write';
import { FileGrants } from './files/grants';
import { PROJECT_EXTENSION } from './files/open-args';
import { addRecent, loadRecent, removeRecent, saveRecent, type RecentEntry } from './files/recent';

/** The dialogs main needs; null result = cancelled. */
export interface Dialogs {
  openFile(options: {
    title: string;
    filters: { name: string; extensions: string[] }[];
  }): Promise<string | null>;
  saveFile(options: {
    title: string;
    defaultPath: string;
    filters: { name: string; extensions: string[] }[];
  }): Promise<string | null>;
}

/** Largest project file the app opens (a project with weights of a mid-size MLP is a few MB). */
export const MAX_PROJECT_BYTES = 512 * 1024 * 1024;

export class AppFiles {
  readonly grants = new FileGrants();
  private recent: RecentEntry[] = [];
  private loaded = false;

  constructor(
    private readonly userData: string,
    private readonly dialogs: Dialogs,
    private readonly onRecentChanged: (paths: string[]) => void = () => undefined,
  ) {}

  async init(): Promise<void> {
    this.recent = await loadRecent(this.userData);
    this.loaded = true;
    this.onRecentChanged(this.recentPaths());
  }

  recentPaths(): string[] {
    return this.recent.map((e) => e.path);
  }

  async recentProjects(): Promise<RecentProject[]> {
    return this.recent.map((e) => ({ file: this.grants.grant(e.path, 'project'), openedAt: e.openedAt }));
  }

  async clearRecent(): Promise<void> {
    this.recent = [];
    await this.persistRecent();
  }

  /** Shows the open dialog for a project and reads it. */
  async openProjectDialog(): Promise<OpenedText | null> {
    const file = await this.dialogs.openFile({
      title: 'Open Netloom project',
      filters: [
        { name: 'Netloom project', extensions: ['json'] },
        { name: 'All files', extensions: ['*'] },
      ],
    });
    return file === null ? null : this.openProjectPath(file);
  }

  /**
   * Reads a project file by path (dialog result, OS open request, recent list) and grants it.
   * @throws Error naming the file when it cannot be read or is too large.
   */
  async openProjectPath(file: string): Promise<OpenedText> {
    const abs = path.resolve(file);
    let text: string;
    try {
      const stat = await fs.stat(abs);
      if (stat.size > MAX_PROJECT_BYTES)
        throw new Error(`it is ${stat.size} bytes, more than the ${MAX_PROJECT_BYTES}-byte limit`);
      text = await fs.readFile(abs, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        this.recent = removeRecent(this.recent, abs);
        await this.persistRecent();
      }
      throw new Error(`Could not open '${abs}': ${(e as Error).message}`, { cause: e });
    }
    const ref = this.grants.grant(abs, 'project');
    await this.touchRecent(abs);
    return { file: ref, text };
  }

  async openRecent(ref: FileRef): Promise<OpenedText> {
    return this.openProjectPath(this.grants.resolve(ref, 'project'));
  }

  /** Saves project text to a granted file, or asks where (Save As) when `ref` is null. */
  async saveProject(
    text: string,
    ref: FileRef | null,
    suggestedName: string | null,
  ): Promise<FileRef | null> {
    let target: string;
    if (ref) target = this.grants.resolve(ref, 'project');
    else {
      const chosen = await this.dialogs.saveFile({
        title: 'Save Netloom project',
        defaultPath: suggestedName ?? `untitled${PROJECT_EXTENSION}`,
        filters: [{ name: 'Netloom project', extensions: ['json'] }],
      });
      if (chosen === null) return null;
      target = withProjectExtension(chosen);
    }
    await writeFileAtomic(target, text);
    await this.touchRecent(target);
    return this.grants.grant(target, 'project');
  }

  async chooseCsv(): Promise<OpenedBytes | null> {
    const file = await this.dialogs.openFile({
      title: 'Choose a data file',
      filters: [
        { name: 'Data files (CSV, TSV)', extensions: ['csv', 'tsv', 'txt'] },
        { name: 'All files', extensions: ['*'] },
      ],
    });
    if (file === null) return null;
    const ref = this.grants.grant(file, 'data');
    return { file: ref, bytes: await readBytes(file) };
  }

  /** Reads a project's dataset by its relative path; null when the file does not exist. */
  async readRelative(project: FileRef, relativePath: string): Promise<OpenedBytes | null> {
    const ref = this.grants.resolveRelative(project, relativePath);
    const p = this.grants.resolve(ref, 'data');
    try {
      return { file: ref, bytes: await readBytes(p) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new Error(`Could not read '${p}': ${(e as Error).message}`, { cause: e });
    }
  }

  async exportFile(request: ExportRequest): Promise<FileRef | null> {
    const ext = path.extname(request.suggestedName).replace(/^\./, '');
    const chosen = await this.dialogs.saveFile({
      title: 'Export',
      defaultPath: request.suggestedName,
      filters: ext ? [{ name: request.filterName || ext.toUpperCase(), extensions: [ext] }] : [],
    });
    if (chosen === null) return null;
    await writeFileAtomic(chosen, request.bytes);
    return this.grants.grant(chosen, 'export');
  }

  private async touchRecent(file: string): Promise<void> {
    this.recent = addRecent(this.recent, file, new Date());
    await this.persistRecent();
  }

  private async persistRecent(): Promise<void> {
    this.onRecentChanged(this.recentPaths());
    if (!this.loaded) return; // never overwrite a list we have not read yet
    await saveRecent(this.userData, this.recent).catch((e: unknown) =>
      console.warn(`Could not save the recent-projects list: ${(e as Error).message}`),
    );
  }
}

/** Appends `.netloom.json` unless the name already ends with it (a bare `.json` is replaced). */
export function withProjectExtension(file: string): string {
  if (file.toLowerCase().endsWith(PROJECT_EXTENSION)) return file;
  return file.replace(/\.json$/i, '') + PROJECT_EXTENSION;
}

async function readBytes(file: string): Promise<Uint8Array> {
  const buf = await fs.readFile(file);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
