/**
 * Strong-Wolfe line search (Nocedal & Wright, "Numerical Optimization", 2nd ed., Algorithms 3.5
 * and 3.6, cubic interpolation eq. 3.59) and Armijo backtracking, for the second-order methods.
 * Invariants: a non-finite trial loss is treated as "step too long" (the step is shortened),
 * never accepted. When no acceptable step is found the search either reports `stalled` (the loss is
 * flat to float64 rounding: converged) or throws OptimizerError (every trial loss non-finite, or the
 * loss rises along a descent direction — an inconsistent gradient); it never returns a step that
 * does not decrease the loss. All buffers are float64 and caller-owned.
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
  /**
   * True when no step lowers the loss beyond float64 rounding (the point is converged to machine
   * precision): alpha = 0 and the caller must not move. Never set when the loss was non-finite.
   */
  stalled?: boolean;
}

function makePhi(p: LineProblem) {
  let evals = 0;
  let lastAlpha = NaN;
  // Smallest step with a finite loss, to tell "converged to rounding" from "non-finite" on failure.
  let minFiniteAlpha = Infinity;
  let minFiniteF = NaN;
  const phi = (alpha: number): { f: number; g: number } => {
    const { x, d, xt, gt } = p;
    for (let i = 0; i < x.length; i++) xt[i] = x[i] + alpha * d[i];
    const f = p.lossAndGrad(xt, gt);
    evals++;
    lastAlpha = alpha;
    if (Number.isFinite(f) && alpha < minFiniteAlpha) {
      minFiniteAlpha = alpha;
      minFiniteF = f;
    }
    let g = 0;
    for (let i = 0; i < d.length; i++) g += gt[i] * d[i];
    if (!Number.isFinite(g)) return { f: NaN, g: NaN };
    return { f: Number.isFinite(f) ? f : NaN, g };
  };
  /** What to do when no acceptable step was found: a stalled result, or an error saying why. */
  const failure = (what: string): LineResult => {
    if (!Number.isFinite(minFiniteF)) {
      throw new OptimizerError(
        p.name,
        `${what} found no step with a finite loss (${evals} evaluations; the loss is NaN/Inf along the direction) — check the data for NaN/Inf or lower the step`,
      );
    }
    // A correct gradient predicts φ(α) − φ(0) ≈ α·φ'(0) < 0 for small α. A rise well above rounding
    // and of the size of that prediction means the gradient is wrong; anything else is rounding
    // noise at a converged point.
    const rise = minFiniteF - p.f0;
    const rounding = 1e3 * Number.EPSILON * Math.abs(p.f0);
    if (!(rise > rounding && rise > 0.1 * Math.abs(minFiniteAlpha * p.dphi0))) {
      return { alpha: 0, f: p.f0, evals, stalled: true };
    }
    throw new OptimizerError(
      p.name,
      `${what} found no step that lowers the loss: it rises along the descent direction even for a step of ${minFiniteAlpha.toExponential(1)} — the gradient does not match the loss`,
    );
  };
  return { phi, evals: () => evals, last: () => lastAlpha, failure };
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
 * @throws OptimizerError when φ'(0) ≥ 0, the loss looks unbounded below along d, or no step is
 *   found and the trial losses were non-finite or rising (see `stalled` for the converged case).
 */
export function strongWolfe(p: LineProblem, alpha0: number, c1 = 1e-4, c2 = 0.9, maxEvals = 40): LineResult {
  const { f0, dphi0 } = p;
  if (!(dphi0 < 0))
    throw new OptimizerError(p.name, `line search direction is not a descent direction (g·d = ${dphi0})`);
  const { phi, evals, last, failure } = makePhi(p);
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
    return failure('line search');
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
 * @throws OptimizerError after `maxHalvings` halvings without success, unless stalled (see LineResult).
 */
export function backtracking(p: LineProblem, c1 = 1e-4, maxHalvings = 40): LineResult {
  const { phi, evals, failure } = makePhi(p);
  if (!(p.dphi0 < 0)) throw new OptimizerError(p.name, `step is not a descent direction (g·d = ${p.dphi0})`);
  let a = 1;
  for (let i = 0; i <= maxHalvings; i++) {
    const { f } = phi(a);
    if (Number.isFinite(f) && f <= p.f0 + c1 * a * p.dphi0) return { alpha: a, f, evals: evals() };
    a *= 0.5;
  }
  return failure('backtracking');
}
