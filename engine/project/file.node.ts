/**
 * Reading and writing `.netloom.json` files and checking the referenced dataset, for Node hosts.
 * Errors are `ProjectFileError`s (`io` for file-system failures, naming the path).
 */
import { promises as fsp } from 'node:fs';
import { writeFileAtomic } from './atomic-write.node.ts';
import { checkDatasetReference, resolveDatasetPath, type DatasetStatus } from './dataset-ref';
import { ProjectFileError } from './errors';
import { loadProject, type LoadOptions } from './load';
import { serializeProject } from './save';
import type { DatasetReference, Project } from './types';

const ioMessage = (err: unknown): string => {
  const code = (err as { code?: string }).code;
  if (code === 'ENOENT') return 'the file or its folder does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'EISDIR') return 'it is a folder, not a file';
  return err instanceof Error ? err.message : String(err);
};

/**
 * Reads and loads a project file.
 * @throws ProjectFileError (`io` when the file cannot be read; otherwise as `loadProject`).
 */
export async function readProjectFile(filePath: string, options: LoadOptions = {}): Promise<Project> {
  let bytes: Uint8Array;
  try {
    bytes = await fsp.readFile(filePath);
  } catch (cause) {
    throw new ProjectFileError('io', `Cannot read ${filePath}: ${ioMessage(cause)}.`, { cause });
  }
  return loadProject(bytes, options);
}

/**
 * Saves a project atomically (temporary file, fsync, rename); the old file survives any failure.
 * @throws ProjectFileError `invalid-project` (see `serializeProject`) or `io`.
 */
export async function saveProjectFile(filePath: string, project: Project): Promise<void> {
  const text = serializeProject(project);
  try {
    await writeFileAtomic(filePath, text);
  } catch (cause) {
    throw new ProjectFileError(
      'io',
      `Cannot save ${filePath}: ${ioMessage(cause)}. The previous file is unchanged.`,
      {
        cause,
      },
    );
  }
}

/** Checks the dataset a project refers to, resolving its path against the project file's location. */
export async function checkDatasetFile(
  projectFilePath: string,
  ref: DatasetReference,
): Promise<DatasetStatus> {
  let bytes: Uint8Array | null;
  try {
    bytes = await fsp.readFile(resolveDatasetPath(projectFilePath, ref.path));
  } catch {
    bytes = null; // unreadable counts as missing: the user must locate the file again
  }
  return checkDatasetReference(ref, bytes);
}
