/**
 * Lecture experiment "SGD minimization / SGD with momentum / Nesterov" (Gradient descent
 * algorithms): the running regression with x ~ U(−5, 5), α = 0.005, θ₀ = [10, 5], 1000 iterations of
 * stochastic (per-sample, reshuffled each epoch) gradient descent; plain, momentum β = 0.6,
 * Nesterov β = 0.8. Lecture: [1.9882, 2.9975], [1.9837, 2.9933], [1.9738, 2.9914].
 * Uses the real optimizer implementations; records every parameter path and the full-data loss
 * so the app can draw them over the loss contour.
 */
import { getOptimizer } from '../optim/registry';
import type { ParamVector } from '../optim/types';
import { Rng } from '../random/rng';
import { leastSquaresLine, makeRegression } from './regression';

export interface OptimizersOptions {
  seed?: number;
  iterations?: number;
}

export interface OptimizerRun {
  method: 'sgd' | 'momentum' | 'nesterov';
  beta: number | null;
  theta: [number, number];
  lecture: [number, number];
  /** (iterations + 1) × 2 row-major path of θ = [intercept, slope]. */
  path: Float64Array;
  /** Mean squared error over the 30 points at each point of the path. */
  loss: Float64Array;
}

export interface OptimizersResult {
  name: 'optimizers';
  data: { x: number[]; y: number[] };
  leastSquares: [number, number];
  runs: OptimizerRun[];
}

/**
 * Runs the experiment (lecture "Gradient descent algorithms": SGD, momentum, Nesterov).
 * @param opts seed of the data and the per-epoch shuffles (default 1), iterations (default 1000).
 * @returns the data, the least-squares solution, and per method θ after the last iteration, the
 *   lecture's value, the path ((iterations + 1) × 2) and the full-data MSE along it.
 */
export function runOptimizers(opts: OptimizersOptions = {}): OptimizersResult {
  const seed = opts.seed ?? 1;
  const iters = opts.iterations ?? 1000;
  const data = makeRegression(seed);
  const n = data.x.length;
  const mse = (t: ArrayLike<number>) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += (data.y[i] - t[0] - t[1] * data.x[i]) ** 2;
    return s / n;
  };
  const configs = [
    { method: 'sgd' as const, beta: null, lecture: [1.9882, 2.9975] as [number, number] },
    { method: 'momentum' as const, beta: 0.6, lecture: [1.9837, 2.9933] as [number, number] },
    { method: 'nesterov' as const, beta: 0.8, lecture: [1.9738, 2.9914] as [number, number] },
  ];
  const runs = configs.map(({ method, beta, lecture }) => {
    const opt = getOptimizer(method);
    const state = opt.init(2, beta === null ? {} : { beta });
    const theta = new Float64Array([10, 5]);
    const grad = new Float64Array(2);
    const path = new Float64Array((iters + 1) * 2);
    const loss = new Float64Array(iters + 1);
    path.set(theta, 0);
    loss[0] = mse(theta);
    const order = new Rng(seed + 1000); // same sample order for every method
    let perm = order.permutation(n);
    let sample = 0;
    // Per-sample loss (y − θᵀ[1, x])² and its gradient −2(y − θᵀ[1, x])[1, x].
    const lossAndGrad = (t: ParamVector, g: ParamVector) => {
      const i = perm[sample];
      const r = data.y[i] - t[0] - t[1] * data.x[i];
      g[0] = -2 * r;
      g[1] = -2 * r * data.x[i];
      return r * r;
    };
    for (let k = 0; k < iters; k++) {
      if (sample === n) {
        perm = order.permutation(n);
        sample = 0;
      }
      lossAndGrad(theta, grad);
      opt.update(state, theta, grad, { lr: 0.005, lossAndGrad });
      sample++;
      path[(k + 1) * 2] = theta[0];
      path[(k + 1) * 2 + 1] = theta[1];
      loss[k + 1] = mse(theta);
    }
    return { method, beta, theta: [theta[0], theta[1]] as [number, number], lecture, path, loss };
  });
  return {
    name: 'optimizers',
    data: { x: Array.from(data.x), y: Array.from(data.y) },
    leastSquares: leastSquaresLine(data),
    runs,
  };
}
