/**
 * `netloom train <project> [--data file.csv] [--epochs N] [--seed S] [--split-seed S] [--backend cpu|webgpu|auto]
 * [--threads N] [--out trained.netloom.json] [--json]`: trains the project's graph on its CSV in this process
 * (engine/session/run.ts), shows a progress bar (a TTY) or one line per few epochs, then a metrics table.
 * With --out the project is saved with the new run (weights, optimizer state, history) and the fitted
 * preprocessing, so `netloom predict` and the app can use the trained model.
 * CPU matrix products use the GEMM helper threads (engine/backend/wasm/pool.ts): automatic unless --threads
 * (or NETLOOM_THREADS) gives a count; the pool is closed before the command returns, so the process exits.
 * Exit codes: 0 trained; 2 bad usage, project or data; 3 training failed (non-finite loss); 1 internal.
 * Also exports the project/data helpers the other session commands share.
 */
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { graphProjectHooks } from '../../../engine/graph';
import {
  ProjectFileError,
  fingerprintDataset,
  relativeDatasetPath,
  loadProject,
  resolveDatasetPath,
  serializeProject,
  type Project,
} from '../../../engine/project';
import type { SessionEvent } from '../../../engine/session/events';
import { runRecord, runSession, withPreprocessing, type SessionResult } from '../../../engine/session/run';
import { UsageError, type CliCommand, type CliIo } from '../command';
import { nodeGpuBackend } from '../../trainer/node-gpu.ts';
import { setGemmThreadProvider } from '../../../engine/backend/wasm/pool';
import { nodeGemmThreadProvider } from '../../../engine/backend/wasm/threads.node.ts';

/** A user-facing failure with its exit code (printed as one line, never a stack trace). */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
    this.name = 'CliFailure';
  }
}

/** Reads and loads a project file; errors name the file and what is wrong. */
export function loadProjectFile(file: string): Project {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliFailure(
      code === 'ENOENT'
        ? `Project file not found: '${file}'.`
        : `Cannot read '${file}': ${(e as Error).message}`,
      2,
    );
  }
  try {
    return loadProject(bytes, { hooks: graphProjectHooks });
  } catch (e) {
    if (e instanceof ProjectFileError) {
      const where = e.path ? ` (at ${e.path})` : '';
      throw new CliFailure(`'${file}' is not a usable Netloom project: ${e.message}${where}`, 2);
    }
    throw e;
  }
}

/** The dataset bytes: --data when given, else the project's dataset path resolved next to the project. */
export function readDataset(
  projectFile: string,
  project: Project,
  dataFile: string | null,
): { path: string; bytes: Uint8Array } {
  let path: string;
  if (dataFile) path = resolve(dataFile);
  else if (project.dataset) path = resolveDatasetPath(resolve(projectFile), project.dataset.path);
  else throw new CliFailure(`The project '${projectFile}' has no dataset; pass one with --data file.csv.`, 2);
  try {
    return { path, bytes: readFileSync(path) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliFailure(
      code === 'ENOENT'
        ? `Data file not found: '${path}'. Pass the CSV with --data file.csv.`
        : `Cannot read the data file '${path}': ${(e as Error).message}`,
      2,
    );
  }
}

/** Saves a project next to `file` atomically enough for a CLI (write a temporary file, rename). */
export function saveProject(file: string, project: Project): void {
  const text = serializeProject(project);
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** Formats metric values for tables. */
export const fmtMetric = (v: number | undefined): string =>
  v === undefined
    ? ''
    : Number.isInteger(v)
      ? String(v)
      : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3
        ? v.toExponential(3)
        : v.toFixed(4);

/** A plain-text table of the final metrics per split. */
export function metricsTable(final: NonNullable<SessionResult['final']>): string {
  const splits = (['train', 'validation', 'test'] as const).filter((s) => final[s]);
  const names = [...new Set(splits.flatMap((s) => Object.keys(final[s]!)))];
  const rows = [
    ['metric', ...splits],
    ...names.map((n) => [n, ...splits.map((s) => fmtMetric(final[s]![n]))]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

const usage = `Usage: netloom train <project.netloom.json> [options]

Trains the project's model on its CSV file and prints the final metrics.

Options:
  --data <file.csv>     train on this file instead of the project's dataset
  --epochs <N>          number of epochs (default: the project's setting)
  --seed <S>            seed of initialisation, shuffling and dropout (default: the project's)
  --split-seed <S>      seed of the train/validation/test split (default: the import settings')
  --batch-size <N>      examples per mini-batch (default: the project's setting)
  --backend <b>         cpu | webgpu | auto (default: cpu; auto = WebGPU where measured faster)
  --threads <N>         CPU threads for large matrix products; 1 = one thread (default: automatic,
                        2 on a machine with ≥ 2 cores when a layer is large enough; the weights
                        are the same for any count)
  --continue            continue the latest run that has saved weights (its weights, optimizer and
                        random state); --epochs is then the epoch to end at (default: that run's
                        epochs plus the project's epochs)
  --out <file>          save the project with this run (weights, history, preprocessing) to <file>
  --json                print the final result as one JSON object instead of the table
  --quiet               no progress output

Exit code: 0 trained, 2 bad input (project, data, options), 3 training failed (e.g. the loss became NaN).`;

interface TrainArgs {
  project: string;
  data: string | null;
  epochs?: number;
  seed?: number;
  splitSeed?: number;
  batchSize?: number;
  threads?: number;
  backend: 'cpu' | 'webgpu' | 'auto';
  out: string | null;
  json: boolean;
  quiet: boolean;
  continue: boolean;
}

function intArg(flag: string, v: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > 0xffffffff)
    throw new UsageError(`${flag} needs an integer ≥ ${min}, got '${v}'.`);
  return n;
}

function parseArgs(args: string[]): TrainArgs {
  const a: TrainArgs = {
    project: '',
    data: null,
    backend: 'cpu',
    out: null,
    json: false,
    quiet: false,
    continue: false,
  };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = (): string => {
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value.`);
      return v;
    };
    if (flag === '--data') a.data = value();
    else if (flag === '--epochs') a.epochs = intArg(flag, value(), 1);
    else if (flag === '--seed') a.seed = intArg(flag, value(), 0);
    else if (flag === '--split-seed') a.splitSeed = intArg(flag, value(), 0);
    else if (flag === '--batch-size') a.batchSize = intArg(flag, value(), 1);
    else if (flag === '--threads') a.threads = intArg(flag, value(), 1);
    else if (flag === '--backend') {
      const v = value();
      if (v !== 'cpu' && v !== 'webgpu' && v !== 'auto')
        throw new UsageError(`--backend must be cpu, webgpu or auto, got '${v}'.`);
      a.backend = v;
    } else if (flag === '--out') a.out = value();
    else if (flag === '--json') a.json = true;
    else if (flag === '--quiet') a.quiet = true;
    else if (flag === '--continue') a.continue = true;
    else if (flag.startsWith('-')) throw new UsageError(`unknown option '${flag}'.`);
    else if (!a.project) a.project = flag;
    else throw new UsageError(`only one project can be trained (got '${a.project}' and '${flag}').`);
  }
  if (!a.project) throw new UsageError('no project file given.');
  return a;
}

/** Progress display: a cli-progress bar on a terminal, else a line every ~10 % of the epochs. */
function progress(io: CliIo, quiet: boolean) {
  if (quiet) return { on: (_e: SessionEvent) => {}, done: () => {} };
  const tty = process.stderr.isTTY === true;
  let bar: cliProgress.SingleBar | null = null;
  let every = 1;
  return {
    on(e: SessionEvent) {
      if (e.type === 'started') {
        every = Math.max(1, Math.round((e.epochs - e.startEpoch + 1) / 10));
        if (tty) {
          bar = new cliProgress.SingleBar(
            {
              format: 'epoch {value}/{total} |{bar}| {percentage}% loss {loss} {val} eta {eta_formatted}',
              stream: process.stderr,
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(e.epochs, e.startEpoch - 1, { loss: '-', val: '' });
        } else
          io.err(
            `training: ${e.rows.train} training rows, ${e.epochs} epochs of ${e.batchesPerEpoch} batches, ${e.paramCount} parameters`,
          );
      } else if (e.type === 'epoch') {
        const v = e.validation;
        const val = v
          ? `val ${Object.entries(v)
              .filter(([k]) => k !== 'auc')
              .map(([k, x]) => `${k} ${fmtMetric(x)}`)
              .join(' ')}`
          : '';
        if (bar) bar.update(e.epoch, { loss: fmtMetric(e.train.loss), val });
        else if (e.epoch % every === 0 || e.epoch === e.epochs)
          io.err(`epoch ${e.epoch}/${e.epochs} loss ${fmtMetric(e.train.loss)} ${val}`);
      }
    },
    done() {
      bar?.stop();
    },
  };
}

async function run(args: string[], io: CliIo): Promise<number> {
  const a = parseArgs(args);
  try {
    const project = loadProjectFile(a.project);
    const data = readDataset(a.project, project, a.data);
    const startedAt = new Date().toISOString();
    const continueFrom = a.continue
      ? [...project.runs].reverse().find((r) => r.checkpoint !== null)
      : undefined;
    if (a.continue && !continueFrom)
      throw new CliFailure(
        `'${a.project}' has no run with saved weights to continue; train it with --out first.`,
        2,
      );
    const epochs =
      a.epochs ?? (continueFrom ? continueFrom.checkpoint!.epoch + project.training.epochs : undefined);
    if (continueFrom && epochs !== undefined && epochs <= continueFrom.checkpoint!.epoch)
      throw new CliFailure(
        `run '${continueFrom.id}' already has ${continueFrom.checkpoint!.epoch} epochs; give --epochs larger than that.`,
        2,
      );
    const p = progress(io, a.quiet || a.json);
    const envThreads = process.env.NETLOOM_THREADS;
    if (envThreads !== undefined && a.threads === undefined)
      a.threads = intArg('NETLOOM_THREADS', envThreads, 1);
    setGemmThreadProvider(nodeGemmThreadProvider());
    const result = await runSession({
      project,
      data: data.bytes,
      ...(epochs !== undefined ? { epochs } : {}),
      ...(a.seed !== undefined ? { seed: a.seed } : {}),
      ...(a.splitSeed !== undefined ? { splitSeed: a.splitSeed } : {}),
      ...(a.batchSize !== undefined ? { batchSize: a.batchSize } : {}),
      ...(a.threads !== undefined ? { threads: a.threads } : {}),
      ...(continueFrom ? { continueFrom } : {}),
      backend: { choice: a.backend, gpu: () => nodeGpuBackend() },
      emit: (e) => {
        if (e.type === 'started' && e.backend.requested !== 'cpu' && !a.quiet && !a.json)
          io.err(`backend: ${e.backend.kind} (${e.backend.reason})`);
        p.on(e);
      },
    });
    setGemmThreadProvider(null);
    p.done();
    const t = result.terminal;
    if (t.type === 'failed') {
      io.err(`netloom train: ${t.message}${t.code === 'backend' ? ' Run again with --backend cpu.' : ''}`);
      if (t.code !== 'numeric') return 2;
    }
    if (a.out && result.model && result.data) {
      const settings = {
        ...(continueFrom ? continueFrom.settings : {}),
        ...(epochs !== undefined ? { epochs } : {}),
        ...(a.seed !== undefined ? { seed: a.seed } : {}),
        ...(a.batchSize !== undefined ? { batchSize: a.batchSize } : {}),
      };
      const id = `run-${project.runs.length + 1}`;
      // The saved project refers to the file actually trained on, relative to where it is saved.
      let saved: Project = {
        ...project,
        dataset: {
          importSettings: {},
          ...project.dataset,
          ...(await fingerprintDataset(data.bytes)),
          path: relativeDatasetPath(resolve(a.out), data.path),
          preprocessing: null,
        },
      };
      saved = withPreprocessing(saved, result.data);
      if (a.splitSeed !== undefined && saved.dataset) {
        const is = saved.dataset.importSettings as { prepare?: Record<string, unknown> };
        saved = {
          ...saved,
          dataset: {
            ...saved.dataset,
            importSettings: { ...is, prepare: { ...(is.prepare ?? {}), seed: a.splitSeed } } as never,
          },
        };
      }
      saved = {
        ...saved,
        runs: [...saved.runs, runRecord(project, result, id, startedAt, new Date().toISOString(), settings)],
      };
      try {
        saveProject(a.out, saved);
      } catch (e) {
        throw new CliFailure(`Cannot save '${a.out}': ${(e as Error).message}`, 2);
      }
      if (!a.json) io.err(`saved ${basename(a.out)} (run '${id}', ${result.status})`);
    }
    if (t.type === 'failed') return 3;
    if (a.json) {
      io.out(
        JSON.stringify({
          status: result.status,
          epochs: result.history.length,
          final: result.final,
          task: result.data?.recipe.task,
          threads: result.threads,
        }),
      );
    } else if (result.final) {
      io.out(
        `${result.status === 'early-stopped' ? 'early-stopped' : result.status} after ${result.history.at(-1)?.epoch ?? 0} epochs`,
      );
      io.out(metricsTable(result.final));
    }
    return 0;
  } catch (e) {
    if (e instanceof CliFailure) {
      io.err(`netloom train: ${e.message}`);
      return e.code;
    }
    throw e;
  }
}

export const command: CliCommand = {
  name: 'train',
  summary: 'train a project on its CSV and print the metrics',
  usage,
  run,
};
