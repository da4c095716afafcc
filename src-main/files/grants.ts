/**
 * File grants: the renderer never names arbitrary paths. Main hands it opaque ids for the
 * files the user chose in a dialog, opened from the OS, or picked from the recent list, and
 * resolves those ids back to paths. A compromised page can therefore only touch files the
 * user already handed to the app.
 *
 * Project-relative dataset reads (`resolveRelative`) are limited to data-file extensions so a
 * crafted project cannot make the app read arbitrary files.
 */

import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { FileRef } from '../../src-renderer/host/host';

export type GrantKind = 'project' | 'data' | 'export';

/** Extensions a project may reference as its dataset. */
export const DATA_EXTENSIONS = ['.csv', '.tsv', '.txt'] as const;

export class FileGrants {
  private readonly byId = new Map<string, { path: string; kind: GrantKind }>();
  private readonly byPath = new Map<string, string>();

  constructor(private readonly newId: () => string = randomUUID) {}

  /** Grants access to an absolute path and returns its FileRef (same id for the same path). */
  grant(absolutePath: string, kind: GrantKind): FileRef {
    const p = path.resolve(absolutePath);
    const key = `${kind}:${p}`;
    let id = this.byPath.get(key);
    if (id === undefined) {
      id = this.newId();
      this.byId.set(id, { path: p, kind });
      this.byPath.set(key, id);
    }
    return { id, name: path.basename(p), path: p };
  }

  /**
   * The path behind a FileRef.
   * @throws Error when the id was never granted or was granted for another kind of file.
   */
  resolve(ref: FileRef, kind: GrantKind): string {
    const g = this.byId.get(ref.id);
    if (!g) throw new Error(`'${ref.name}' is not a file this window opened; choose it again with Open.`);
    if (g.kind !== kind) throw new Error(`'${ref.name}' was opened as ${g.kind}, not as ${kind}.`);
    return g.path;
  }

  /**
   * Resolves a dataset path relative to a granted project file and grants it as data.
   * @throws Error when the project is not granted, the path is absolute-but-malformed, or the
   *   extension is not a data extension.
   */
  resolveRelative(project: FileRef, relativePath: string): FileRef {
    const projectPath = this.resolve(project, 'project');
    if (relativePath.includes('\0')) throw new Error('the dataset path contains a NUL character');
    const target = path.resolve(path.dirname(projectPath), relativePath);
    const ext = path.extname(target).toLowerCase();
    if (!(DATA_EXTENSIONS as readonly string[]).includes(ext))
      throw new Error(
        `The project refers to '${relativePath}', which is not a data file (${DATA_EXTENSIONS.join(', ')}).`,
      );
    return this.grant(target, 'data');
  }
}
