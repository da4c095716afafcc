/**
 * `npm run lecture -- <name> [--seeds N] [--seed S] [--json]`: runs one of the lecture's
 * experiments (engine/lecture) and prints the lecture's table (or the full result as JSON).
 */
import {
  EXPERIMENTS,
  USES_SEEDS,
  formatTable,
  runExperiment,
  type ExperimentName,
} from '../engine/lecture/index';

function usage(): string {
  return `usage: npm run lecture -- <${EXPERIMENTS.join('|')}> [--seeds N] [--seed S] [--json]`;
}

function parseIntFlag(flag: string, v: string | undefined): number {
  const n = Number(v);
  if (v === undefined || !Number.isInteger(n) || n < 1)
    throw new RangeError(`${flag} needs a positive integer, got '${v ?? ''}'`);
  return n;
}

export function main(argv: string[]): number {
  const args = [...argv];
  let name: string | undefined;
  let seeds: number | undefined;
  let seed: number | undefined;
  let json = false;
  try {
    while (args.length) {
      const a = args.shift()!;
      if (a === '--seeds') seeds = parseIntFlag('--seeds', args.shift());
      else if (a === '--seed') seed = parseIntFlag('--seed', args.shift());
      else if (a === '--json') json = true;
      else if (a === '--help' || a === '-h') {
        console.log(usage());
        return 0;
      } else if (!name && !a.startsWith('-')) name = a;
      else throw new RangeError(`unexpected argument '${a}'`);
    }
    if (!name) throw new RangeError('missing experiment name');
    if (
      seeds !== undefined &&
      (EXPERIMENTS as readonly string[]).includes(name) &&
      !USES_SEEDS[name as ExperimentName]
    ) {
      console.error(`note: '${name}' is deterministic and ignores --seeds`);
    }
    const t0 = Date.now();
    const result = runExperiment(name, { seeds, seed });
    if (json) {
      console.log(
        JSON.stringify(result, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v)),
      );
    } else {
      console.log(formatTable(result));
      console.log(`(${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
    return 0;
  } catch (e) {
    console.error(`lecture: ${(e as Error).message}\n${usage()}`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
