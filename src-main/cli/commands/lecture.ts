/**
 * `netloom lecture <experiment> [--seeds N] [--seed S] [--json]`: runs one of the lecture's experiments
 * (engine/lecture, the same implementation as `npm run lecture`) and prints its table.
 * Exit 0 on success, 2 for an unknown experiment or bad options.
 */
import {
  EXPERIMENTS,
  USES_SEEDS,
  formatTable,
  runExperiment,
  type ExperimentName,
} from '../../../engine/lecture/index';
import { UsageError, type CliCommand, type CliIo } from '../command';

const usage = `Usage: netloom lecture <experiment> [--seeds N] [--seed S] [--json]

Reproduces an experiment of the course lecture and prints the lecture's table.

Experiments: ${EXPERIMENTS.join(', ')}

Options:
  --seeds <N>   number of seeded repetitions (experiments that repeat runs)
  --seed <S>    base seed
  --json        print the full result as JSON`;

function intFlag(flag: string, v: string | undefined): number {
  const n = Number(v);
  if (v === undefined || !Number.isInteger(n) || n < 1)
    throw new UsageError(`${flag} needs a positive integer, got '${v ?? ''}'.`);
  return n;
}

async function run(args: string[], io: CliIo): Promise<number> {
  let name: string | null = null;
  let seeds: number | undefined;
  let seed: number | undefined;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--seeds') seeds = intFlag(a, args[++i]);
    else if (a === '--seed') seed = intFlag(a, args[++i]);
    else if (a === '--json') json = true;
    else if (a.startsWith('-')) throw new UsageError(`unknown option '${a}'.`);
    else if (name === null) name = a;
    else throw new UsageError(`one experiment at a time (got '${name}' and '${a}').`);
  }
  if (name === null) throw new UsageError(`name an experiment: ${EXPERIMENTS.join(', ')}.`);
  if (!(EXPERIMENTS as readonly string[]).includes(name)) {
    io.err(`netloom lecture: unknown experiment '${name}'. Choose one of: ${EXPERIMENTS.join(', ')}.`);
    return 2;
  }
  if (seeds !== undefined && !USES_SEEDS[name as ExperimentName])
    io.err(`note: '${name}' is deterministic and ignores --seeds`);
  const result = runExperiment(name, { ...(seeds ? { seeds } : {}), ...(seed ? { seed } : {}) });
  io.out(json ? JSON.stringify(result) : formatTable(result));
  return 0;
}

export const command: CliCommand = {
  name: 'lecture',
  summary: 'reproduce an experiment of the course lecture and print its table',
  usage,
  run,
};
