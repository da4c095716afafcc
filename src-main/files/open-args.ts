/**
 * Project files named on the command line: `netloom-app path/to/model.netloom.json` (Linux,
 * Windows file association, second-instance argv). Returns absolute paths of the arguments
 * that end in `.netloom.json`, resolved against the launching process's working directory.
 * Switches (`--foo`) and the executable/app path are ignored.
 */

import path from 'node:path';

export const PROJECT_EXTENSION = '.netloom.json';

export function projectPathsFromArgv(argv: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  for (const arg of argv) {
    if (arg.startsWith('-')) continue;
    if (!arg.toLowerCase().endsWith(PROJECT_EXTENSION)) continue;
    const abs = path.resolve(cwd, arg);
    if (!out.includes(abs)) out.push(abs);
  }
  return out;
}
