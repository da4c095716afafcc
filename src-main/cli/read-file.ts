/**
 * Node adapter (lives in src-main because tsx cannot resolve extensionless `*.node` imports):
 * read a CSV file from disk as a stream of chunks into a RawTable (used by the
 * CLI, the Electron main process and the benchmark). The engine itself never touches the disk.
 */
import { createReadStream, statSync } from 'node:fs';
import { INVALID_TEXT } from '../../engine/data/decode';
import { DataImportError } from '../../engine/data/problems';
import { readTableStream, type RawTable, type ReadHooks } from '../../engine/data/reader';
import type { ReadOptions } from '../../engine/data/types';

/**
 * Stream `path` into a table.
 * @throws DataImportError when the file does not exist, is a directory or cannot be read.
 */
export async function readTableFile(
  path: string,
  opts: ReadOptions = {},
  hooks: ReadHooks = {},
): Promise<RawTable> {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new DataImportError(`'${path}' is a folder, not a file.`);
    size = st.size;
  } catch (e) {
    if (e instanceof DataImportError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataImportError(
      code === 'ENOENT' ? `File not found: '${path}'.` : `Cannot read '${path}': ${(e as Error).message}`,
    );
  }
  const once = async (o: ReadOptions): Promise<RawTable> => {
    const stream = createReadStream(path, { highWaterMark: 1 << 20 });
    try {
      return await readTableStream(stream as AsyncIterable<Uint8Array>, o, { totalBytes: size, ...hooks });
    } finally {
      stream.destroy();
    }
  };
  try {
    return await once(opts);
  } catch (e) {
    // UTF-8 detected from the first 64 KiB, invalid later: read again as Windows-1252, and say so.
    const auto = (opts.encoding ?? 'auto') === 'auto';
    if (!(auto && e instanceof DataImportError && e.problems[0]?.code === INVALID_TEXT)) throw e;
    let table: RawTable;
    try {
      table = await once({ ...opts, encoding: 'windows-1252' });
    } catch {
      throw e;
    }
    table.problems.unshift({
      severity: 'warning',
      code: 'encoding-fallback',
      message: `${e.message.split('. Re-save')[0]}; the file was read as Windows-1252 instead. Check accented characters.`,
    });
    return table;
  }
}
