/**
 * Atomic file writes for the main process: write a temporary file in the same directory,
 * fsync it, rename it over the target (atomic on POSIX and NTFS), then fsync the directory
 * where the platform allows. If anything fails the original file is untouched and the
 * temporary file is removed.
 */

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Writes `data` to `file` atomically.
 * @throws the underlying fs error (with the target path in its message) when the write fails.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: fs.FileHandle | null = null;
  try {
    handle = await fs.open(tmp, 'wx', 0o644);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = null;
    await fs.rename(tmp, file);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    const err = e as NodeJS.ErrnoException;
    throw new Error(`Could not save '${file}': ${err.message}`, { cause: e });
  }
  // Persist the rename itself; directories cannot be opened for fsync on Windows.
  if (process.platform !== 'win32') {
    const d = await fs.open(dir, 'r').catch(() => null);
    await d?.sync().catch(() => undefined);
    await d?.close().catch(() => undefined);
  }
}
