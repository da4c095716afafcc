/**
 * Experiments of the training panel (framework-free). On the user's own graph and data (issue #8;
 * computation in engine/experiments): cross-validation, the learning-rate range test, the
 * standardization study, gradient flow at initialisation and "Repeat with N seeds". Presets from the
 * lecture: "Repeat with N seeds" on the lecture's XOR
 * initialisation study (2-4-1 sigmoid, BCE, SGD momentum 0.99, 1000 epochs; U(−10, 10) vs
 * LeCun N(0, 1/fan_in)) and "Compare optimizers" on the lecture's two-parameter regression
 * (SGD / momentum / Nesterov paths over the MSE contour). Computation is engine/lecture's; this
 * module runs it per seed (so a worker can report progress) and summarises the results.
 *
 * Invariants: a run "fails" by the lecture's criterion (any of the 4 outputs on the wrong side of
 * 0.5), the same one engine/lecture/xor-init uses; the final loss is the mean BCE of the outputs.
 */
import { trainXorRun, type XorInit } from '../../engine/lecture/xor-init';
import { runOptimizers, type OptimizersResult } from '../../engine/lecture/optimizers';
import {
  crossValidate,
  findLearningRate,
  gradientFlow,
  repeatSeeds,
  standardizationStudy,
  withImportSettings,
  type CrossValidationResult,
  type FoldResult,
  type GradientFlowResult,
  type LrFinderResult,
  type ScalingRun,
  type SeedRunRow,
  type SuccessCriterion,
} from '../../engine/experiments';
import { graphProjectHooks } from '../../engine/graph';
import { loadProject, type Project } from '../../engine/project';
import type { ImportSettings } from '../../engine/session/dataset';

export const XOR_TARGETS = [0, 1, 1, 0] as const;

export interface SeedRow {
  init: XorInit;
  seed: number;
  failed: boolean;
  /** Mean binary cross-entropy of the final outputs (nats). */
  loss: number;
  outputs: number[];
}

/** Mean BCE −[y ln p + (1 − y) ln(1 − p)] of probabilities p against 0/1 targets y, p clamped to [1e-12, 1 − 1e-12]. */
export function meanBce(p: readonly number[], y: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const q = Math.min(1 - 1e-12, Math.max(1e-12, p[i]));
    s -= y[i] * Math.log(q) + (1 - y[i]) * Math.log(1 - q);
  }
  return s / p.length;
}

/** One XOR run with one initialisation and seed. */
export function xorSeedRun(init: XorInit, seed: number, epochs = 1000): SeedRow {
  const r = trainXorRun(init, seed, epochs);
  return { init, seed, failed: r.failed, loss: meanBce(r.outputs, [...XOR_TARGETS]), outputs: r.outputs };
}

export interface SeedSummary {
  init: XorInit;
  runs: number;
  failures: number;
  medianLoss: number;
  minLoss: number;
  maxLoss: number;
}

export function summarizeSeeds(rows: readonly SeedRow[]): SeedSummary[] {
  const byInit = new Map<XorInit, SeedRow[]>();
  for (const r of rows) byInit.set(r.init, [...(byInit.get(r.init) ?? []), r]);
  return [...byInit.entries()].map(([init, rs]) => {
    const losses = rs.map((r) => r.loss).sort((a, b) => a - b);
    const m = losses.length;
    const median = m % 2 ? losses[(m - 1) / 2] : (losses[m / 2 - 1] + losses[m / 2]) / 2;
    return {
      init,
      runs: m,
      failures: rs.filter((r) => r.failed).length,
      medianLoss: median,
      minLoss: losses[0],
      maxLoss: losses[m - 1],
    };
  });
}

/** Bins of log10(loss) for the distribution plot: counts per init over shared edges. */
export function lossDistribution(
  rows: readonly SeedRow[],
  bins = 12,
): { edges: number[]; counts: Record<string, number[]> } {
  const v = rows.map((r) => Math.log10(Math.max(r.loss, 1e-12)));
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  const width = hi > lo ? (hi - lo) / bins : 1;
  const edges = Array.from({ length: bins + 1 }, (_, k) => lo + k * width);
  const counts: Record<string, number[]> = {};
  rows.forEach((r, i) => {
    const c = (counts[r.init] ??= new Array<number>(bins).fill(0));
    c[Math.min(bins - 1, Math.floor((v[i] - lo) / width))]++;
  });
  return { edges, counts };
}

/** The optimizer comparison (paths as plain arrays, for structured cloning and charts). */
export interface OptimizerComparison {
  data: { x: number[]; y: number[] };
  leastSquares: [number, number];
  runs: {
    method: string;
    beta: number | null;
    theta: [number, number];
    lecture: [number, number];
    path: number[];
    loss: number[];
  }[];
}

export function compareOptimizers(seed = 1, iterations = 1000): OptimizerComparison {
  const r: OptimizersResult = runOptimizers({ seed, iterations });
  return {
    data: r.data,
    leastSquares: r.leastSquares,
    runs: r.runs.map((x) => ({
      method: x.method,
      beta: x.beta,
      theta: x.theta,
      lecture: x.lecture,
      path: Array.from(x.path),
      loss: Array.from(x.loss),
    })),
  };
}

/** Mean squared error of the line θ0 + θ1·x over the data (the contour's surface). */
export function mseOf(data: { x: readonly number[]; y: readonly number[] }, t0: number, t1: number): number {
  let s = 0;
  for (let i = 0; i < data.x.length; i++) s += (data.y[i] - t0 - t1 * data.x[i]) ** 2;
  return s / data.x.length;
}

// ---- experiments on the current graph --------------------------------------------------------

/** What an experiment on the current graph needs: the project document, the CSV, its import settings. */
export interface GraphInput {
  /** The project as the editor would save it (parsed JSON). */
  project: unknown;
  data: Uint8Array;
  /** Import settings applied in the data wizard (override the project's), or null. */
  importSettings: ImportSettings | null;
}

/**
 * The validated Project of an input, with the wizard's import settings applied as a training run
 * applies them.
 * @throws ProjectError (engine/project) when the document is not a valid project.
 */
export function graphProject(input: GraphInput): Project {
  const p = loadProject(JSON.stringify(input.project), { hooks: graphProjectHooks });
  return input.importSettings ? withImportSettings(p, input.importSettings) : p;
}

export type GraphExperiment =
  | { type: 'cross-validate'; k: number; foldSeed: number; epochs: number }
  | { type: 'lr-finder'; lrMin: number; lrMax: number; steps: number }
  | { type: 'standardization'; epochs: number }
  | { type: 'gradient-flow'; seeds: number; batch: 'first' | 'full' }
  | { type: 'graph-seeds'; runs: number; seed0: number; epochs: number; criterion: SuccessCriterion };

export type StandardizationRun = Omit<ScalingRun, 'prepared'>;

/** A table of fold metrics plus mean and sd rows (for display and CSV). */
export function foldTable(r: CrossValidationResult): { header: string[]; rows: (string | number)[][] } {
  const header = ['fold', 'train rows', 'validation rows', ...r.metrics];
  const rows: (string | number)[][] = r.folds.map((f) => [
    f.fold + 1,
    f.trainRows,
    f.validationRows,
    ...r.metrics.map((m) => f.metrics[m] ?? NaN),
  ]);
  rows.push(['mean', '', '', ...r.metrics.map((m) => r.summary[m].mean)]);
  rows.push(['sd', '', '', ...r.metrics.map((m) => r.summary[m].sd)]);
  return { header, rows };
}

/** Counts of `values` in `bins` equal bins over their range (distribution plot); edges has bins + 1 values. */
export function histogram(values: readonly number[], bins = 10): { edges: number[]; counts: number[] } {
  const v = values.filter(Number.isFinite);
  if (v.length === 0) return { edges: [], counts: [] };
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  const width = hi > lo ? (hi - lo) / bins : 1;
  const edges = Array.from({ length: bins + 1 }, (_, k) => lo + k * width);
  const counts = new Array<number>(bins).fill(0);
  for (const x of v) counts[Math.min(bins - 1, Math.floor((x - lo) / width))]++;
  return { edges, counts };
}

// ---- worker protocol -------------------------------------------------------------------------

export type ExperimentRequest =
  | { type: 'xor-seeds'; seeds: number; seed0: number; epochs: number; inits: XorInit[] }
  | { type: 'optimizers'; seed: number; iterations: number }
  | { type: 'graph'; input: GraphInput; experiment: GraphExperiment };

export type ExperimentMessage =
  | { type: 'seed-row'; row: SeedRow; done: number; total: number }
  | { type: 'optimizers'; result: OptimizerComparison }
  | { type: 'progress'; done: number; total: number; label: string }
  | { type: 'cv-fold'; fold: FoldResult }
  | { type: 'cv'; result: CrossValidationResult }
  | { type: 'lr'; result: LrFinderResult }
  | { type: 'standardization'; runs: StandardizationRun[] }
  | { type: 'gradient-flow'; result: GradientFlowResult }
  | { type: 'graph-seed-row'; row: SeedRunRow }
  | { type: 'done' }
  | { type: 'error'; message: string };

/** Runs an experiment on the current graph, posting progress and results. */
async function runGraphExperiment(
  input: GraphInput,
  x: GraphExperiment,
  post: (m: ExperimentMessage) => void,
): Promise<void> {
  const project = graphProject(input);
  const data = input.data;
  const onProgress = (done: number, total: number, label: string) =>
    post({ type: 'progress', done, total, label });
  switch (x.type) {
    case 'cross-validate': {
      const result = await crossValidate({
        project,
        data,
        k: x.k,
        foldSeed: x.foldSeed,
        epochs: x.epochs,
        onProgress,
        onFold: (fold) => post({ type: 'cv-fold', fold }),
      });
      post({ type: 'cv', result });
      break;
    }
    case 'lr-finder':
      post({
        type: 'lr',
        result: await findLearningRate({
          project,
          data,
          lrMin: x.lrMin,
          lrMax: x.lrMax,
          steps: x.steps,
          onProgress,
        }),
      });
      break;
    case 'standardization': {
      const r = await standardizationStudy({ project, data, epochs: x.epochs, onProgress });
      post({ type: 'standardization', runs: r.runs });
      break;
    }
    case 'gradient-flow': {
      const s0 = project.training.seed;
      const seeds = Array.from({ length: Math.max(1, x.seeds) }, (_, i) => s0 + i);
      post({
        type: 'gradient-flow',
        result: gradientFlow({ project, data, seeds, batch: x.batch, onProgress }),
      });
      break;
    }
    case 'graph-seeds':
      await repeatSeeds({
        project,
        data,
        runs: x.runs,
        seed0: x.seed0,
        epochs: x.epochs,
        criterion: x.criterion,
        onProgress,
        onRow: (row) => post({ type: 'graph-seed-row', row }),
      });
      break;
  }
}

/** Runs a request, reporting each piece through `post` (used by the worker and by tests). */
export async function runExperimentRequest(
  req: ExperimentRequest,
  post: (m: ExperimentMessage) => void,
): Promise<void> {
  try {
    if (req.type === 'graph') {
      await runGraphExperiment(req.input, req.experiment, post);
    } else if (req.type === 'xor-seeds') {
      const total = req.seeds * req.inits.length;
      let done = 0;
      for (const init of req.inits)
        for (let i = 0; i < req.seeds; i++)
          post({ type: 'seed-row', row: xorSeedRun(init, req.seed0 + i, req.epochs), done: ++done, total });
    } else {
      post({ type: 'optimizers', result: compareOptimizers(req.seed, req.iterations) });
    }
    post({ type: 'done' });
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
}
