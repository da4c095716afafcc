/**
 * Learning-rate range test (L. N. Smith, "Cyclical learning rates for training neural networks",
 * WACV 2017, §3.3): from the graph's initial weights, one short run whose learning rate grows
 * exponentially per mini-batch step from lr_min to lr_max; the loss after each step is recorded
 * against the rate used. The lecture (after Bengio): "the optimal learning rate is usually close to
 * the largest learning rate that does not cause divergence of the training criterion".
 *
 * Invariants: step k uses α_k = lr_min·(lr_max/lr_min)^(k/(N−1)); point k pairs α_k with the batch
 * loss measured right after the update that used α_k (so a rate is charged with its own effect);
 * the run stops early when that loss is non-finite or its smoothed value exceeds `divergeFactor` × the
 * smallest smoothed value so far. Batches, optimizer, clipping and penalties are those of a normal run
 * (engine/session/run); only the per-step rate replaces the schedule.
 */
import { tidy } from '../index';
import { clipGradNorm, clipGradValue, getOptimizer, type StepContext } from '../optim';
import type { Project } from '../project/types';
import { makeBatch, totalLoss } from '../session/objective';
import type { Progress } from './common';
import { initialModel } from './model';

export interface LrFinderOptions {
  project: Project;
  data: Uint8Array;
  /** Smallest rate (default 1e-6). */
  lrMin?: number;
  /** Largest rate (default 1). */
  lrMax?: number;
  /** Number of steps (default 100). */
  steps?: number;
  /** Exponential smoothing factor β of the loss (default 0.9; bias-corrected). */
  beta?: number;
  /** Stop when the smoothed loss exceeds this multiple of its minimum (default 4). */
  divergeFactor?: number;
  seed?: number;
  batchSize?: number;
  onProgress?: Progress;
}

export interface LrFinderResult {
  /** Rate of each step taken (length ≤ steps). */
  lrs: number[];
  /** Batch loss after each step (may end with a non-finite value). */
  losses: number[];
  /** Bias-corrected exponential moving average of `losses`. */
  smoothed: number[];
  /** Why the run ended: 'completed', 'diverged' (above divergeFactor × minimum) or 'non-finite'. */
  stop: 'completed' | 'diverged' | 'non-finite';
  suggestion: LrSuggestion;
  optimizer: { nodeId: string; name: string; lr: number };
}

export interface LrSuggestion {
  /** Rate at the minimum of the smoothed loss (where the curve turns up), or null. */
  minimum: number | null;
  /**
   * The largest rate before divergence: one decade below the minimum's rate (divergence compounds
   * over several steps before the loss shows it, and the average trails the raw loss, so the turning
   * point overshoots the true limit — by ×3 to ×6 on quadratics, where the limit is 2/λ_max of the
   * Hessian). null when the loss never decreased.
   */
  largestStable: number | null;
  /** Rate of the steepest descent of the smoothed loss against log10(rate), before the minimum, or null. */
  steepest: number | null;
}

/** Exponentially spaced rates lr_min … lr_max (N ≥ 2 values, both ends included). */
export function lrSchedule(lrMin: number, lrMax: number, steps: number): number[] {
  if (!(lrMin > 0 && lrMax > lrMin))
    throw new RangeError(`Need 0 < lr_min < lr_max; got ${lrMin} and ${lrMax}.`);
  if (!Number.isInteger(steps) || steps < 2) throw new RangeError(`Need at least 2 steps; got ${steps}.`);
  const r = Math.log(lrMax / lrMin);
  return Array.from({ length: steps }, (_, k) => lrMin * Math.exp((r * k) / (steps - 1)));
}

/** Bias-corrected exponential moving average: s_k = (β·m_{k−1} + (1−β)·x_k) / (1 − β^{k+1}). */
export function smoothLosses(losses: readonly number[], beta: number): number[] {
  let m = 0;
  return losses.map((x, k) => {
    m = beta * m + (1 - beta) * x;
    return m / (1 - beta ** (k + 1));
  });
}

/**
 * Suggested rates from a range test's curve.
 * @param lrs rates (increasing); @param smoothed smoothed losses (same length, finite prefix used)
 */
export function suggestRates(lrs: readonly number[], smoothed: readonly number[]): LrSuggestion {
  let n = smoothed.findIndex((v) => !Number.isFinite(v));
  if (n < 0) n = smoothed.length;
  if (n < 3) return { minimum: null, largestStable: null, steepest: null };
  let iMin = 0;
  for (let i = 1; i < n; i++) if (smoothed[i] < smoothed[iMin]) iMin = i;
  if (iMin === 0) return { minimum: null, largestStable: null, steepest: null };
  // Steepest (most negative) slope of the smoothed loss per decade of rate, before the minimum.
  let iSteep = -1;
  let best = 0;
  for (let i = 1; i <= iMin; i++) {
    const slope = (smoothed[i] - smoothed[i - 1]) / (Math.log10(lrs[i]) - Math.log10(lrs[i - 1]));
    if (slope < best) {
      best = slope;
      iSteep = i;
    }
  }
  // One decade below the turning point is the customary margin (fastai's "minimum / 10").
  return { minimum: lrs[iMin], largestStable: lrs[iMin] / 10, steepest: iSteep >= 0 ? lrs[iSteep] : null };
}

/**
 * Runs the range test on the project's graph.
 * @throws CompileError / DataImportError when the graph or data cannot be trained; RangeError for a
 *   second-order optimizer (they take no learning rate) or bad lr_min/lr_max/steps.
 */
export async function findLearningRate(opts: LrFinderOptions): Promise<LrFinderResult> {
  const lrs = lrSchedule(opts.lrMin ?? 1e-6, opts.lrMax ?? 1, opts.steps ?? 100);
  const beta = opts.beta ?? 0.9;
  const factor = opts.divergeFactor ?? 4;
  const {
    model: m,
    data,
    batchSize,
    rng,
  } = initialModel(opts.project, opts.data, {
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
  });
  const opt = getOptimizer(m.optimizer.name);
  if (opt.info.secondOrder)
    throw new RangeError(
      `Optimizer '${m.optimizer.nodeId}' (${m.optimizer.name}) is a second-order method and takes no learning rate; the range test needs a first-order optimizer (SGD, momentum, Adam, …).`,
    );
  const store = m.store;
  const state = opt.init(store.length, m.optimizer.hyper);
  const train = data.trainRows;
  const order = Int32Array.from(train);
  const batchesPerEpoch = Math.ceil(train.length / batchSize);
  const fullBatch = batchSize >= train.length;
  let b = batchesPerEpoch; // forces a shuffle before the first batch
  const nextBatch = (): Int32Array => {
    if (b === batchesPerEpoch) {
      order.set(train);
      rng.shuffle(order);
      b = 0;
    }
    const idx = order.subarray(b * batchSize, Math.min(train.length, (b + 1) * batchSize));
    b++;
    return idx;
  };
  const lossAndGrad = (idx: Int32Array): number =>
    tidy(() => {
      store.zeroGrad();
      const batch = makeBatch(m, data, idx);
      return store
        .valueAndGrad((p) => totalLoss(m, m.forward(batch.x, { training: true, rng }, p), batch, p))
        .value.item();
    });

  const out: LrFinderResult = {
    lrs: [],
    losses: [],
    smoothed: [],
    stop: 'completed',
    suggestion: { minimum: null, largestStable: null, steepest: null },
    optimizer: { nodeId: m.optimizer.nodeId, name: m.optimizer.name, lr: m.optimizer.lr },
  };
  let avg = 0;
  let minSmoothed = Infinity;
  let idx = nextBatch();
  let loss = lossAndGrad(idx);
  if (!Number.isFinite(loss))
    throw new RangeError(
      `The loss is ${loss} at the initial weights; check the data scaling and initialisers.`,
    );
  for (let k = 0; k < lrs.length; k++) {
    if (m.optimizer.clipNorm > 0) clipGradNorm(store.grads, m.optimizer.clipNorm);
    if (m.optimizer.clipValue > 0) clipGradValue(store.grads, m.optimizer.clipValue);
    const ctx: StepContext = { lr: lrs[k], fullBatch };
    if (opt.info.needs.length > 0) {
      const batchIdx = idx;
      const lf = (p: Readonly<Record<string, import('../index').Tensor>>) => {
        const batch = makeBatch(m, data, batchIdx);
        return totalLoss(m, m.forward(batch.x, { training: false }, p), batch, p);
      };
      ctx.lossAndGrad = store.lossAndGradFn(lf);
      ctx.hvp = store.hvpFn(lf);
    }
    try {
      opt.update(state, store.params, store.grads, ctx);
    } catch {
      out.lrs.push(lrs[k]);
      out.losses.push(NaN);
      out.smoothed.push(NaN);
      out.stop = 'non-finite';
      break;
    }
    idx = nextBatch();
    loss = lossAndGrad(idx);
    out.lrs.push(lrs[k]);
    out.losses.push(loss);
    if (!Number.isFinite(loss)) {
      out.smoothed.push(NaN);
      out.stop = 'non-finite';
      break;
    }
    avg = beta * avg + (1 - beta) * loss;
    const s = avg / (1 - beta ** (k + 1));
    out.smoothed.push(s);
    minSmoothed = Math.min(minSmoothed, s);
    opts.onProgress?.(k + 1, lrs.length, `step ${k + 1}`);
    if (s > factor * minSmoothed) {
      out.stop = 'diverged';
      break;
    }
    if (k % 10 === 9) await Promise.resolve();
  }
  out.suggestion = suggestRates(out.lrs, out.smoothed);
  return out;
}
