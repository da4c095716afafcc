/**
 * "Repeat with N seeds" on the user's graph (lecture: the XOR initialisation study — a result
 * that holds for one seed may fail for others): N training runs of the project with initialisation
 * seeds s0 … s0+N−1 and the same data split; final metrics per seed, and a user-set success criterion
 * (metric, comparison, threshold) counted as failures.
 *
 * Invariants: only the seed of initialisation, shuffling and dropout varies (runSession `seed`); the
 * split comes from the import settings and stays fixed; a failed run counts as a failure.
 */
import type { Project } from '../project/types';
import { runSession } from '../session/run';
import { flatMetrics, meanSd, sessionProblem, type Progress } from './common';

export interface SuccessCriterion {
  /** Flat metric name: 'validation.accuracy', 'train.loss', … */
  metric: string;
  op: '>=' | '<=';
  threshold: number;
}

export interface SeedRunRow {
  seed: number;
  metrics: Record<string, number>;
  problem: string | null;
  /** Whether the run meets the criterion (false for a failed run or a missing metric). */
  ok: boolean;
}

/** Whether metric values meet the criterion; a missing or non-finite value does not. */
export function meets(metrics: Record<string, number>, c: SuccessCriterion): boolean {
  const v = metrics[c.metric];
  if (v === undefined || !Number.isFinite(v)) return false;
  return c.op === '>=' ? v >= c.threshold : v <= c.threshold;
}

/** Failure count and mean ± sd of every metric over the rows. */
export function summarizeSeedRuns(rows: readonly SeedRunRow[]): {
  failures: number;
  stats: Record<string, { mean: number; sd: number; min: number; max: number }>;
} {
  const stats: Record<string, { mean: number; sd: number; min: number; max: number }> = {};
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))].sort();
  for (const m of names) {
    const v = rows.map((r) => r.metrics[m]).filter((x) => x !== undefined && Number.isFinite(x));
    if (v.length) stats[m] = { ...meanSd(v), min: Math.min(...v), max: Math.max(...v) };
  }
  return { failures: rows.filter((r) => !r.ok).length, stats };
}

export interface RepeatSeedsOptions {
  project: Project;
  data: Uint8Array;
  /** Number of runs N ≥ 1. */
  runs: number;
  /** First seed s0. */
  seed0: number;
  criterion: SuccessCriterion;
  epochs?: number;
  batchSize?: number;
  onProgress?: Progress;
  onRow?: (row: SeedRunRow) => void;
}

/**
 * N runs of the project, one per seed.
 * @throws RangeError when runs is not an integer ≥ 1.
 */
export async function repeatSeeds(opts: RepeatSeedsOptions): Promise<SeedRunRow[]> {
  if (!Number.isInteger(opts.runs) || opts.runs < 1)
    throw new RangeError(`The number of runs must be an integer ≥ 1, got ${opts.runs}.`);
  const epochs = opts.epochs ?? opts.project.training.epochs;
  const rows: SeedRunRow[] = [];
  for (let i = 0; i < opts.runs; i++) {
    const seed = opts.seed0 + i;
    const r = await runSession({
      project: opts.project,
      data: opts.data,
      seed,
      epochs,
      ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
      emit: (e) => {
        if (e.type === 'epoch') opts.onProgress?.(i * epochs + e.epoch, opts.runs * epochs, `seed ${seed}`);
      },
    });
    const metrics = flatMetrics(r);
    const problem = r.status === 'failed' ? sessionProblem(r) : null;
    const row: SeedRunRow = {
      seed,
      metrics,
      problem,
      ok: problem === null && meets(metrics, opts.criterion),
    };
    rows.push(row);
    opts.onRow?.(row);
  }
  return rows;
}
