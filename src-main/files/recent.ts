/**
 * The recent-projects list (`<userData>/recent.json`): newest first, no duplicates, at most
 * MAX_RECENT entries. Pure list logic plus load/save (atomic) helpers.
 */

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-write';

export const MAX_RECENT = 10;
export const RECENT_FILE = 'recent.json';

export interface RecentEntry {
  path: string;
  /** ISO 8601 time. */
  openedAt: string;
}

/** Puts `file` at the front of the list (moving it if present) and trims the list. */
export function addRecent(list: readonly RecentEntry[], file: string, at: Date): RecentEntry[] {
  const entry = { path: file, openedAt: at.toISOString() };
  return [entry, ...list.filter((e) => e.path !== file)].slice(0, MAX_RECENT);
}

/** Removes `file` from the list (e.g. it no longer exists). */
export function removeRecent(list: readonly RecentEntry[], file: string): RecentEntry[] {
  return list.filter((e) => e.path !== file);
}

/** Parses the stored list, dropping malformed entries. */
export function parseRecent(json: unknown): RecentEntry[] {
  if (!Array.isArray(json)) return [];
  return json
    .filter(
      (e): e is RecentEntry =>
        typeof e === 'object' &&
        e !== null &&
        typeof e.path === 'string' &&
        path.isAbsolute(e.path) &&
        typeof e.openedAt === 'string',
    )
    .slice(0, MAX_RECENT);
}

export async function loadRecent(dir: string): Promise<RecentEntry[]> {
  try {
    return parseRecent(JSON.parse(await fs.readFile(path.join(dir, RECENT_FILE), 'utf8')));
  } catch {
    return [];
  }
}

export async function saveRecent(dir: string, list: readonly RecentEntry[]): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await writeFileAtomic(path.join(dir, RECENT_FILE), JSON.stringify(list, null, 2) + '\n');
}
