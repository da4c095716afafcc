/**
 * Strong-Wolfe line search (Nocedal & Wright, "Numerical Optimization", 2nd ed., Algorithms 3.5
 * and 3.6, cubic interpolation eq. 3.59) and Armijo backtracking, for the second-order methods.
 * Invariants: a non-finite trial loss is treated as "step too long" (the step is shortened),
 * never accepted; when no acceptable step is found the search throws OptimizerError rather than
 * returning a step that does not decrease the loss. All buffers are float64 and caller-owned.
 */
import { OptimizerError, type LossAndGrad } from './types';

/** Buffers and problem for a search along x + α·d. */
export interface LineProblem {
  name: string;
  lossAndGrad: LossAndGrad;
  /** Start point (not modified). */
  x: Float64Array;
  /** Search direction (must be a descent direction: g₀·d < 0). */
  d: Float64Array;
  /** Trial point and gradient buffers; on return they hold the accepted point and its gradient. */
  xt: Float64Array;
  gt: Float64Array;
  f0: number;
  /** Directional derivative g₀·d at α = 0 (< 0). */
  dphi0: number;
}

export interface LineResult {
  alpha: number;
  f: number;
  evals: number;
}

function makePhi(p: LineProblem) {
  let evals = 0;
  let lastAlpha = NaN;
  const phi = (alpha: number): { f: number; g: number } => {
    const { x, d, xt, gt } = p;
    for (let i = 0; i < x.length; i++) xt[i] = x[i] + alpha * d[i];
    const f = p.lossAndGrad(xt, gt);
    evals++;
    lastAlpha = alpha;
    let g = 0;
    for (let i = 0; i < d.length; i++) g += gt[i] * d[i];
    if (!Number.isFinite(g)) return { f: NaN, g: NaN };
    return { f: Number.isFinite(f) ? f : NaN, g };
  };
  return { phi, evals: () => evals, last: () => lastAlpha };
}

/** Minimiser of the cubic through (a, fa, ga) and (b, fb, gb), or NaN when it does not exist. */
function cubicMin(a: number, fa: number, ga: number, b: number, fb: number, gb: number): number {
  const d1 = ga + gb - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - ga * gb;
  if (!(disc >= 0)) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - ((b - a) * (gb + d2 - d1)) / (gb - ga + 2 * d2);
}

/**
 * Finds α satisfying the strong Wolfe conditions
 *   φ(α) ≤ φ(0) + c₁αφ'(0) and |φ'(α)| ≤ c₂|φ'(0)|.
 * @returns the step; p.xt/p.gt hold x + αd and its gradient.
 * @throws OptimizerError when φ'(0) ≥ 0, or no step is found within `maxEvals` evaluations
 *   (loss unbounded below along d, or non-finite everywhere along d).
 */
export function strongWolfe(p: LineProblem, alpha0: number, c1 = 1e-4, c2 = 0.9, maxEvals = 40): LineResult {
  const { f0, dphi0 } = p;
  if (!(dphi0 < 0))
    throw new OptimizerError(p.name, `line search direction is not a descent direction (g·d = ${dphi0})`);
  const { phi, evals, last } = makePhi(p);
  const finish = (alpha: number, f: number): LineResult => {
    if (last() !== alpha) phi(alpha); // leave the accepted point in xt/gt
    return { alpha, f, evals: evals() };
  };
  const armijo = (a: number, f: number) => f <= f0 + c1 * a * dphi0;

  const zoom = (lo: number, flo: number, glo: number, hi: number, fhi: number, ghi: number): LineResult => {
    while (evals() < maxEvals) {
      const width = hi - lo;
      let a = Number.isFinite(fhi) ? cubicMin(lo, flo, glo, hi, fhi, ghi) : NaN;
      // Safeguard: stay inside the middle 80 % of the bracket, else bisect.
      const lo2 = Math.min(lo, hi) + 0.1 * Math.abs(width);
      const hi2 = Math.max(lo, hi) - 0.1 * Math.abs(width);
      if (!(a >= lo2 && a <= hi2)) a = lo + 0.5 * width;
      const { f, g } = phi(a);
      if (!Number.isFinite(f) || !armijo(a, f) || f >= flo) {
        hi = a;
        fhi = f;
        ghi = g;
      } else {
        if (Math.abs(g) <= -c2 * dphi0) return finish(a, f);
        if (g * (hi - lo) >= 0) {
          hi = lo;
          fhi = flo;
          ghi = glo;
        }
        lo = a;
        flo = f;
        glo = g;
      }
      if (Math.abs(hi - lo) <= 1e-16 * Math.max(1, Math.abs(lo))) break;
    }
    // Fallback: the best point with sufficient decrease, if any (curvature condition unmet).
    if (lo > 0) return finish(lo, flo);
    throw new OptimizerError(
      p.name,
      `line search found no step that lowers the loss (${evals()} evaluations; loss non-finite or rising along the direction) — check the data for NaN/Inf or rescale the inputs`,
    );
  };

  let aPrev = 0;
  let fPrev = f0;
  let gPrev = dphi0;
  let a = alpha0 > 0 && Number.isFinite(alpha0) ? alpha0 : 1;
  for (let i = 0; evals() < maxEvals; i++) {
    const { f, g } = phi(a);
    if (!Number.isFinite(f) || !armijo(a, f) || (i > 0 && f >= fPrev))
      return zoom(aPrev, fPrev, gPrev, a, f, g);
    if (Math.abs(g) <= -c2 * dphi0) return finish(a, f);
    if (g >= 0) return zoom(a, f, g, aPrev, fPrev, gPrev);
    aPrev = a;
    fPrev = f;
    gPrev = g;
    a *= 2;
  }
  throw new OptimizerError(
    p.name,
    `line search kept extending the step for ${evals()} evaluations without meeting the Wolfe conditions — the loss looks unbounded below along the search direction`,
  );
}

/**
 * Armijo backtracking from α = 1: halves α until φ(α) ≤ φ(0) + c₁αφ'(0) with a finite loss.
 * @throws OptimizerError after `maxHalvings` halvings without success.
 */
export function backtracking(p: LineProblem, c1 = 1e-4, maxHalvings = 40): LineResult {
  const { phi, evals } = makePhi(p);
  if (!(p.dphi0 < 0)) throw new OptimizerError(p.name, `step is not a descent direction (g·d = ${p.dphi0})`);
  let a = 1;
  for (let i = 0; i <= maxHalvings; i++) {
    const { f } = phi(a);
    if (Number.isFinite(f) && f <= p.f0 + c1 * a * p.dphi0) return { alpha: a, f, evals: evals() };
    a *= 0.5;
  }
  throw new OptimizerError(
    p.name,
    `backtracking found no step that lowers the loss after ${maxHalvings} halvings (loss non-finite or rising) — check the data for NaN/Inf`,
  );
}
