/**
 * The project's reference to its CSV file: where it is (relative to the project file), and its
 * size and SHA-256 when it was imported, so the app can warn when the file changed.
 *
 * Invariant: `path` is relative, uses '/' separators and is never absolute (no leading '/',
 * no drive letter, no backslash), so a project folder can be moved or shared with its data.
 */
import { sha256Hex } from './sha256';
import type { DatasetReference } from './types';

/** Result of comparing the current file with the reference. */
export type DatasetStatus = 'ok' | 'changed' | 'missing';

/**
 * Compares the dataset's current bytes with the size and SHA-256 stored in the project.
 * @param bytes the file's current content, or `null` when the file could not be found.
 * @returns `'missing'` (no bytes), `'changed'` (size or hash differ) or `'ok'`.
 */
export async function checkDatasetReference(
  ref: Pick<DatasetReference, 'sha256' | 'size'>,
  bytes: Uint8Array | null,
): Promise<DatasetStatus> {
  if (bytes === null) return 'missing';
  if (bytes.length !== ref.size) return 'changed';
  return (await sha256Hex(bytes)) === ref.sha256.toLowerCase() ? 'ok' : 'changed';
}

/** The size and SHA-256 to store for a dataset's bytes at import time. */
export async function fingerprintDataset(bytes: Uint8Array): Promise<{ size: number; sha256: string }> {
  return { size: bytes.length, sha256: await sha256Hex(bytes) };
}

/** Why `path` is not an acceptable dataset path, or `null` when it is. */
export function datasetPathProblem(path: string): string | null {
  if (path.length === 0) return 'the dataset path is empty';
  if (path.includes('\\')) return "the dataset path must use '/' separators, not '\\'";
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path))
    return 'the dataset path must be relative to the project file';
  if (path.split('/').some((s) => s === ''))
    return 'the dataset path has an empty segment (//) or ends with /';
  if (path.includes('\0')) return 'the dataset path contains a NUL character';
  return null;
}

function splitPath(p: string): { root: string; parts: string[] } {
  const s = p.replace(/\\/g, '/');
  const m = /^([A-Za-z]:)?(\/*)/.exec(s)!;
  const root = (m[1] ?? '') + (m[2] ? '/' : '');
  return {
    root,
    parts: s
      .slice(m[0].length)
      .split('/')
      .filter((x) => x !== '' && x !== '.'),
  };
}

function normalizeParts(parts: string[], keepLeadingDotDot: boolean): string[] {
  const out: string[] = [];
  for (const part of parts) {
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (part !== '..' || keepLeadingDotDot) out.push(part);
  }
  return out;
}

/** Directory part of a path ('' for a bare file name); accepts '/' and '\' separators. */
function dirname(p: string): string {
  const s = p.replace(/\\/g, '/');
  const i = s.lastIndexOf('/');
  return i < 0 ? '' : s.slice(0, i + 1);
}

/**
 * Where the dataset lies, given the project file's path (absolute, '/' or '\' separators).
 * @example resolveDatasetPath('/home/ana/p/model.netloom.json', '../data/iris.csv') === '/home/ana/data/iris.csv'
 */
export function resolveDatasetPath(projectFilePath: string, datasetPath: string): string {
  const { root, parts } = splitPath(dirname(projectFilePath));
  const joined = normalizeParts([...parts, ...splitPath(datasetPath).parts], root === '');
  return root + joined.join('/');
}

/**
 * The path to store for `datasetFilePath`, relative to the project file (both absolute).
 * @throws Error when the two are on different drives (no relative path exists).
 */
export function relativeDatasetPath(projectFilePath: string, datasetFilePath: string): string {
  const from = splitPath(dirname(projectFilePath));
  const to = splitPath(datasetFilePath);
  if (from.root.toLowerCase() !== to.root.toLowerCase()) {
    throw new Error(
      `The dataset ${datasetFilePath} is on another drive than the project; copy it next to the project.`,
    );
  }
  const a = normalizeParts(from.parts, false);
  const b = normalizeParts(to.parts, false);
  let k = 0;
  while (k < a.length && k < b.length - 1 && a[k] === b[k]) k++;
  return [...a.slice(k).map(() => '..'), ...b.slice(k)].join('/');
}
