/**
 * Lecture experiment for "Second order methods": L-BFGS, nonlinear CG and damped Newton on a
 * small least-squares problem (30 × 4, seeded), each run until its parameters are within 1e−6
 * (max-norm) of the closed-form solution or 50 iterations; then the same methods on a problem
 * whose loss is non-finite (a NaN in the data), where each must stop with a clear error.
 */
import { leastSquares } from '../linalg/cholesky';
import type { RegisteredOptimizer } from '../optim/common';
import { cg, lbfgs, newton, type SecondOrderState } from '../optim/second-order';
import type { ParamVector } from '../optim/types';
import { Rng } from '../random/rng';

export interface SecondOrderOptions {
  seed?: number;
  maxIterations?: number;
  tolerance?: number;
}

export interface SecondOrderRow {
  method: 'lbfgs' | 'cg' | 'newton';
  iterations: number;
  converged: boolean;
  error: number;
  lossEvaluations: number;
  /** The error message on the non-finite problem (null would mean it wrongly reported success). */
  nonFiniteError: string | null;
}

export interface SecondOrderResult {
  name: 'second-order';
  rows: SecondOrderRow[];
}

function problem(seed: number, m: number, p: number, poison: boolean) {
  const rng = new Rng(seed);
  const a = new Float64Array(m * p);
  const b = new Float64Array(m);
  for (let i = 0; i < a.length; i++) a[i] = rng.normal();
  for (let i = 0; i < m; i++) b[i] = rng.normal();
  if (poison) b[3] = NaN; // a missing value that slipped through preprocessing
  const lossAndGrad = (x: ParamVector, g: ParamVector) => {
    g.fill(0);
    let f = 0;
    for (let r = 0; r < m; r++) {
      let res = -b[r];
      for (let j = 0; j < p; j++) res += a[r * p + j] * x[j];
      f += (0.5 * res * res) / m;
      for (let j = 0; j < p; j++) g[j] += (res * a[r * p + j]) / m;
    }
    return f;
  };
  const hvp = (_x: Float64Array, v: Float64Array, out: Float64Array) => {
    out.fill(0);
    for (let r = 0; r < m; r++) {
      let av = 0;
      for (let j = 0; j < p; j++) av += a[r * p + j] * v[j];
      for (let j = 0; j < p; j++) out[j] += (a[r * p + j] * av) / m;
    }
  };
  return { a, b, lossAndGrad, hvp };
}

/**
 * Runs the experiment (lecture "Second order methods").
 * @param opts seed of the problem (default 1), maxIterations (default 50), tolerance on the max-norm
 *   distance to the closed-form solution (default 1e−6).
 * @returns one row per method (iterations, error, loss evaluations) and whether each stopped with an
 *   error on the non-finite problem. Never throws for a failed method: the failure is in its row.
 */
export function runSecondOrder(opts: SecondOrderOptions = {}): SecondOrderResult {
  const seed = opts.seed ?? 1;
  const maxIt = opts.maxIterations ?? 50;
  const tol = opts.tolerance ?? 1e-6;
  const m = 30;
  const p = 4;
  const pr = problem(seed, m, p, false);
  const star = leastSquares(pr.a, m, p, pr.b, 1);
  const bad = problem(seed, m, p, true);
  const methods = [
    ['lbfgs', lbfgs],
    ['cg', cg],
    ['newton', newton],
  ] as unknown as ['lbfgs' | 'cg' | 'newton', RegisteredOptimizer<SecondOrderState>][];
  const rows = methods.map(([method, opt]) => {
    const state = opt.init(p);
    const params = new Float64Array(p);
    const ctx = { lr: 1, lossAndGrad: pr.lossAndGrad, hvp: pr.hvp, fullBatch: true };
    const err = () => Math.max(...Array.from(params, (v, i) => Math.abs(v - star[i])));
    let it = 0;
    while (err() > tol && it < maxIt) {
      opt.update(state, params, params, ctx);
      it++;
    }
    let nonFiniteError: string | null = null;
    try {
      const s2 = opt.init(p);
      const p2 = new Float64Array(p);
      for (let k = 0; k < 5; k++)
        opt.update(s2, p2, p2, { lr: 1, lossAndGrad: bad.lossAndGrad, hvp: bad.hvp, fullBatch: true });
    } catch (e) {
      nonFiniteError = (e as Error).message;
    }
    return {
      method,
      iterations: it,
      converged: err() <= tol,
      error: err(),
      lossEvaluations: state.evals,
      nonFiniteError,
    };
  });
  return { name: 'second-order', rows };
}
