/**
 * Atomic file replacement for Node (main process, trainer, CLI): write a temporary file in the
 * same directory, fsync it, then rename it over the target.
 *
 * Invariants: readers see either the old file or the complete new one, never a torn write;
 * if anything fails before the rename, the original is untouched and the temporary file is
 * removed; the rename stays within one directory (one filesystem), where POSIX and NTFS make it
 * atomic. After the rename the directory is fsynced (best effort; not possible on Windows) so the
 * new name survives a power cut.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';

/** The file-system calls used, injectable so tests can simulate failures at each step. */
export interface AtomicWriteFs {
  open: typeof fsp.open;
  rename: typeof fsp.rename;
  unlink: typeof fsp.unlink;
  stat: typeof fsp.stat;
}

const realFs: AtomicWriteFs = { open: fsp.open, rename: fsp.rename, unlink: fsp.unlink, stat: fsp.stat };

/**
 * Replaces `filePath` with `data` atomically. A new file gets mode 0o666 minus the umask;
 * an existing file's permission bits are kept.
 * @throws the underlying Node error (ENOENT for a missing directory, EACCES, ENOSPC, …) after
 *   cleaning up the temporary file; the original file is then unchanged.
 */
export async function writeFileAtomic(
  filePath: string,
  data: string | Uint8Array,
  fs: AtomicWriteFs = realFs,
): Promise<void> {
  const dir = path.dirname(filePath);
  const tmp = path.join(
    dir,
    `.${path.basename(filePath)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  let mode = 0o666;
  try {
    mode = (await fs.stat(filePath)).mode & 0o7777;
  } catch {
    // No existing file: default mode.
  }
  let created = false;
  try {
    const handle = await fs.open(tmp, 'wx', mode);
    created = true;
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, filePath);
    created = false;
  } catch (err) {
    if (created) await fs.unlink(tmp).catch(() => undefined);
    throw err;
  }
  await syncDirectory(dir);
}

/** fsync a directory so a rename inside it is durable; silently skipped where unsupported (Windows). */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const h = await fsp.open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    // Some filesystems refuse fsync on directories; the data itself is already synced.
  }
}
