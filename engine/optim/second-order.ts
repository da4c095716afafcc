/**
 * Full-batch second-order and quasi-Newton methods (lecture "Second order methods"):
 * nonlinear conjugate gradient (Polak–Ribière+), damped Newton, saddle-free Newton
 * (Dauphin et al., NeurIPS 2014: |H| via the eigendecomposition), BFGS and L-BFGS
 * (Nocedal & Wright, "Numerical Optimization", 2nd ed., ch. 5–7).
 *
 * Invariants (see types.ts): everything is float64; the state keeps a master copy `x` of the
 * parameters with its loss `fx` and gradient `gx`; `params` is written from `x` after each step
 * and, if found changed from outside, reloaded (history reset). These methods ignore ctx.lr
 * (the line search chooses the step) and refuse minibatch training (ctx.fullBatch must be true).
 * A non-finite loss or gradient at the current point throws OptimizerError; a converged point
 * (‖g‖∞ ≤ gradTol) makes `update` a no-op that sets state.converged.
 */
import { symmetricEigen } from '../linalg/eigh';
import { cholesky, choleskySolve } from '../linalg/cholesky';
import { baseState, checkStep, type RegisteredOptimizer } from './common';
import type { HyperSpec } from './hyper';
import { backtracking, strongWolfe } from './linesearch';
import {
  OptimizerError,
  type HessianVectorProduct,
  type LossAndGrad,
  type OptimizerStateBase,
  type ParamVector,
  type StepContext,
} from './types';

/** Largest parameter count for methods that store an n×n matrix (Newton, saddle-free Newton, BFGS). */
export const DENSE_LIMIT = 2000;

export interface SecondOrderState extends OptimizerStateBase {
  /** Float64 master copy of the parameters. */
  x: Float64Array;
  fx: number;
  gx: Float64Array;
  /** Whether x/fx/gx are valid. */
  ready: boolean;
  converged: boolean;
  /** Loss evaluations so far. */
  evals: number;
  d: Float64Array;
  xt: Float64Array;
  gt: Float64Array;
}

const GRAD_TOL: HyperSpec = {
  name: 'gradTol',
  label: 'tol',
  default: 1e-12,
  min: 0,
  max: 1,
  scale: 'log',
  description: 'stop (no-op updates) once the largest gradient entry is below this',
};

function secondOrderBase(name: string, n: number, specs: HyperSpec[], hyper?: Record<string, number>) {
  return {
    ...baseState(name, n, specs, hyper),
    x: new Float64Array(n),
    fx: NaN,
    gx: new Float64Array(n),
    ready: false,
    converged: false,
    evals: 0,
    d: new Float64Array(n),
    xt: new Float64Array(n),
    gt: new Float64Array(n),
  };
}

function checkDense(name: string, label: string, n: number) {
  if (n > DENSE_LIMIT) {
    throw new OptimizerError(
      name,
      `${label} stores an n×n matrix; this network has ${n.toLocaleString('en-US')} parameters (limit ${DENSE_LIMIT.toLocaleString('en-US')}). Use L-BFGS, which needs only gradients and O(m·n) memory.`,
    );
  }
}

/**
 * Validates the context, syncs the master copy with `params` and evaluates loss/gradient if needed.
 * @returns false when the update must stop because the point is converged.
 */
function prepare(
  name: string,
  label: string,
  state: SecondOrderState,
  params: ParamVector,
  ctx: StepContext,
): LossAndGrad {
  checkStep(name, state, params, null, ctx, false);
  if (ctx.fullBatch !== true) {
    throw new OptimizerError(
      name,
      `${label} is a full-batch method: its line search compares the loss at different points, which minibatch noise makes meaningless. Set the batch size to the whole training set (and ctx.fullBatch = true), or choose Adam or SGD with momentum for minibatch training.`,
    );
  }
  const lossAndGrad = ctx.lossAndGrad;
  if (!lossAndGrad)
    throw new OptimizerError(
      name,
      `${label} needs ctx.lossAndGrad (full-batch loss and gradient at any point)`,
    );
  const { x } = state;
  let same = state.ready;
  const f32 = params instanceof Float32Array;
  for (let i = 0; same && i < x.length; i++) same = (f32 ? Math.fround(x[i]) : x[i]) === params[i];
  if (!same) {
    for (let i = 0; i < x.length; i++) x[i] = params[i];
    state.ready = false;
    state.converged = false;
    resetHistory(state);
  }
  if (!state.ready) {
    state.fx = lossAndGrad(x, state.gx);
    state.evals++;
    state.ready = true;
  }
  if (!Number.isFinite(state.fx)) {
    state.ready = false;
    throw new OptimizerError(
      name,
      `loss at the current parameters is ${state.fx}; the model produced a non-finite loss (NaN/Inf in the data, or diverged weights) — ${label} cannot continue`,
    );
  }
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(state.gx[i])) {
      state.ready = false;
      throw new OptimizerError(
        name,
        `gradient[${i}] is ${state.gx[i]} at the current parameters; ${label} cannot continue`,
      );
    }
  }
  return lossAndGrad;
}

/** Hooks for per-method history reset (set by each optimizer's state shape). */
function resetHistory(state: SecondOrderState) {
  if ('count' in state) state.count = 0;
  if ('hasPrev' in state) state.hasPrev = false;
  if ('iter' in state) state.iter = 0;
  if ('prevAlphaSlope' in state) state.prevAlphaSlope = NaN;
}

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]));
  return m;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Accepts the line-search point (xt, gt) as the new x and writes it back to params; a stalled
 * search (no decrease possible at float64 precision) marks the state converged instead.
 */
function accept(state: SecondOrderState, params: ParamVector, f: number, evals: number, stalled = false) {
  if (stalled) {
    state.evals += evals;
    state.converged = true;
    return;
  }
  state.x.set(state.xt);
  state.gx.set(state.gt);
  state.fx = f;
  state.evals += evals;
  for (let i = 0; i < params.length; i++) params[i] = state.x[i];
  state.step++;
}

function isConverged(state: SecondOrderState): boolean {
  if (state.converged) return true;
  if (maxAbs(state.gx) <= state.hyper.gradTol) {
    state.converged = true;
    return true;
  }
  return false;
}

// ---------------------------------------------------------------- conjugate gradient

export interface CgState extends SecondOrderState {
  /** Gradient of the previous iterate (for β). */
  gPrev: Float64Array;
  hasPrev: boolean;
  /** Previous step length and g·d, for the next initial step guess. */
  prevAlphaSlope: number;
  iter: number;
}

/**
 * Nonlinear conjugate gradient, Polak–Ribière+: β = max(0, gₖ₊₁ᵀ(gₖ₊₁ − gₖ)/gₖᵀgₖ),
 * d ← −g + βd, strong-Wolfe line search with c₂ = 0.1; restarts with −g every n iterations or
 * when d is not a descent direction.
 */
export const cg: RegisteredOptimizer<CgState> = {
  name: 'cg',
  info: {
    name: 'cg',
    label: 'Conjugate gradient (PR+)',
    formula:
      '\\beta_k = \\max\\!\\left(0, \\frac{g_{k+1}^\\top (g_{k+1} - g_k)}{g_k^\\top g_k}\\right),\\; d_{k+1} = -g_{k+1} + \\beta_k d_k,\\; \\theta_{k+1} = \\theta_k + \\alpha_k d_k',
    summary:
      'Full-batch: each direction is conjugate to the previous ones; the step length comes from a line search.',
    hyper: [GRAD_TOL],
    secondOrder: true,
    needs: ['lossAndGrad'],
  },
  init(n, hyper) {
    return {
      ...secondOrderBase('cg', n, [GRAD_TOL], hyper),
      gPrev: new Float64Array(n),
      hasPrev: false,
      prevAlphaSlope: NaN,
      iter: 0,
    };
  },
  update(state, params, _grad, ctx) {
    const lossAndGrad = prepare('cg', 'Conjugate gradient', state, params, ctx);
    if (isConverged(state)) return;
    const { gx, d, gPrev } = state;
    const n = gx.length;
    let beta = 0;
    if (state.hasPrev && state.iter % Math.max(n, 1) !== 0) {
      let num = 0;
      let den = 0;
      for (let i = 0; i < n; i++) {
        num += gx[i] * (gx[i] - gPrev[i]);
        den += gPrev[i] * gPrev[i];
      }
      beta = den > 0 ? Math.max(0, num / den) : 0;
    }
    for (let i = 0; i < n; i++) d[i] = -gx[i] + beta * d[i];
    let slope = dot(gx, d);
    if (!(slope < 0)) {
      for (let i = 0; i < n; i++) d[i] = -gx[i];
      slope = dot(gx, d);
    }
    // Initial step: reuse α·(g·d) of the last iteration (Nocedal & Wright eq. 3.60), else unit length.
    const alpha0 = Number.isFinite(state.prevAlphaSlope)
      ? state.prevAlphaSlope / slope
      : 1 / Math.sqrt(-slope);
    const r = strongWolfe(
      { name: 'cg', lossAndGrad, x: state.x, d, xt: state.xt, gt: state.gt, f0: state.fx, dphi0: slope },
      alpha0,
      1e-4,
      0.1,
    );
    state.prevAlphaSlope = r.alpha * slope;
    gPrev.set(gx);
    state.hasPrev = true;
    state.iter++;
    accept(state, params, r.f, r.evals, r.stalled);
  },
};

// ---------------------------------------------------------------- L-BFGS

const HISTORY: HyperSpec = {
  name: 'history',
  label: 'm',
  default: 10,
  min: 1,
  max: 100,
  scale: 'linear',
  integer: true,
  description: 'number of recent (step, gradient-change) pairs kept to approximate the inverse Hessian',
};

export interface LbfgsState extends SecondOrderState {
  /** Ring buffers m×n of s = Δθ and y = Δg, and ρ = 1/(yᵀs). */
  s: Float64Array;
  y: Float64Array;
  rho: Float64Array;
  alphaTmp: Float64Array;
  /** Number of stored pairs (≤ m) and index of the newest. */
  count: number;
  newest: number;
}

/** L-BFGS: two-loop recursion over the last m pairs, H₀ = (sᵀy/yᵀy)·I, strong-Wolfe line search. */
export const lbfgs: RegisteredOptimizer<LbfgsState> = {
  name: 'lbfgs',
  info: {
    name: 'lbfgs',
    label: 'L-BFGS',
    formula:
      'd_k = -H_k g_k \\text{ (two-loop recursion over the last } m \\text{ pairs } s_i, y_i),\\; \\theta_{k+1} = \\theta_k + \\alpha_k d_k',
    summary:
      'Full-batch quasi-Newton with O(m·n) memory: the default second-order method for larger networks.',
    hyper: [HISTORY, GRAD_TOL],
    secondOrder: true,
    needs: ['lossAndGrad'],
  },
  init(n, hyper) {
    const base = secondOrderBase('lbfgs', n, [HISTORY, GRAD_TOL], hyper);
    const m = base.hyper.history;
    return {
      ...base,
      s: new Float64Array(m * n),
      y: new Float64Array(m * n),
      rho: new Float64Array(m),
      alphaTmp: new Float64Array(m),
      count: 0,
      newest: -1,
    };
  },
  update(state, params, _grad, ctx) {
    const lossAndGrad = prepare('lbfgs', 'L-BFGS', state, params, ctx);
    if (isConverged(state)) return;
    const { gx, d, s, y, rho, alphaTmp } = state;
    const n = gx.length;
    const m = state.hyper.history;
    // Two-loop recursion: d = −H·g.
    for (let i = 0; i < n; i++) d[i] = -gx[i];
    for (let k = 0; k < state.count; k++) {
      const j = (state.newest - k + m) % m;
      let a = 0;
      for (let i = 0; i < n; i++) a += s[j * n + i] * d[i];
      a *= rho[j];
      alphaTmp[j] = a;
      for (let i = 0; i < n; i++) d[i] -= a * y[j * n + i];
    }
    if (state.count > 0) {
      const j = state.newest;
      let yy = 0;
      for (let i = 0; i < n; i++) yy += y[j * n + i] * y[j * n + i];
      const gamma = 1 / (rho[j] * yy);
      for (let i = 0; i < n; i++) d[i] *= gamma;
    }
    for (let k = state.count - 1; k >= 0; k--) {
      const j = (state.newest - k + m) % m;
      let b = 0;
      for (let i = 0; i < n; i++) b += y[j * n + i] * d[i];
      b *= rho[j];
      for (let i = 0; i < n; i++) d[i] += s[j * n + i] * (alphaTmp[j] - b);
    }
    let slope = dot(gx, d);
    if (!(slope < 0)) {
      state.count = 0;
      for (let i = 0; i < n; i++) d[i] = -gx[i];
      slope = dot(gx, d);
    }
    const alpha0 = state.count === 0 ? 1 / Math.sqrt(-slope) : 1;
    const r = strongWolfe(
      { name: 'lbfgs', lossAndGrad, x: state.x, d, xt: state.xt, gt: state.gt, f0: state.fx, dphi0: slope },
      alpha0,
    );
    if (r.stalled) return accept(state, params, r.f, r.evals, true);
    // New pair s = x⁺ − x, y = g⁺ − g; kept only when the curvature sᵀy is safely positive.
    const j = (state.newest + 1) % m;
    let sy = 0;
    let ss = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      const si = state.xt[i] - state.x[i];
      const yi = state.gt[i] - gx[i];
      s[j * n + i] = si;
      y[j * n + i] = yi;
      sy += si * yi;
      ss += si * si;
      yy += yi * yi;
    }
    if (sy > 1e-10 * Math.sqrt(ss * yy)) {
      rho[j] = 1 / sy;
      state.newest = j;
      state.count = Math.min(state.count + 1, m);
    }
    accept(state, params, r.f, r.evals, r.stalled);
  },
};

// ---------------------------------------------------------------- BFGS

export interface BfgsState extends SecondOrderState {
  /** Dense inverse-Hessian approximation H (row-major n×n). */
  hInv: Float64Array;
  hy: Float64Array;
  /** 0 until the first pair has scaled H₀. */
  count: number;
}

/** BFGS with a dense inverse Hessian: H ← (I − ρsyᵀ)H(I − ρysᵀ) + ρssᵀ, strong-Wolfe line search. */
export const bfgs: RegisteredOptimizer<BfgsState> = {
  name: 'bfgs',
  info: {
    name: 'bfgs',
    label: 'BFGS',
    formula:
      'H_{k+1} = (I - \\rho_k s_k y_k^\\top) H_k (I - \\rho_k y_k s_k^\\top) + \\rho_k s_k s_k^\\top,\\; \\rho_k = \\frac{1}{y_k^\\top s_k}',
    summary: `Full-batch quasi-Newton that builds an n×n inverse-Hessian estimate from gradients (≤ ${DENSE_LIMIT} parameters).`,
    hyper: [GRAD_TOL],
    secondOrder: true,
    needs: ['lossAndGrad'],
  },
  init(n, hyper) {
    checkDense('bfgs', 'BFGS', n);
    const hInv = new Float64Array(n * n);
    for (let i = 0; i < n; i++) hInv[i * n + i] = 1;
    return { ...secondOrderBase('bfgs', n, [GRAD_TOL], hyper), hInv, hy: new Float64Array(n), count: 0 };
  },
  update(state, params, _grad, ctx) {
    const lossAndGrad = prepare('bfgs', 'BFGS', state, params, ctx);
    if (isConverged(state)) return;
    const { gx, d, hInv, hy } = state;
    const n = gx.length;
    if (state.count === 0) {
      hInv.fill(0);
      for (let i = 0; i < n; i++) hInv[i * n + i] = 1;
    }
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += hInv[i * n + k] * gx[k];
      d[i] = -s;
    }
    let slope = dot(gx, d);
    if (!(slope < 0)) {
      state.count = 0;
      hInv.fill(0);
      for (let i = 0; i < n; i++) {
        hInv[i * n + i] = 1;
        d[i] = -gx[i];
      }
      slope = dot(gx, d);
    }
    const alpha0 = state.count === 0 ? 1 / Math.sqrt(-slope) : 1;
    const r = strongWolfe(
      { name: 'bfgs', lossAndGrad, x: state.x, d, xt: state.xt, gt: state.gt, f0: state.fx, dphi0: slope },
      alpha0,
    );
    if (r.stalled) return accept(state, params, r.f, r.evals, true);
    // s = xt − x (reuse d), y = gt − gx (reuse gx after use below).
    let sy = 0;
    let ss = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      d[i] = state.xt[i] - state.x[i];
      gx[i] = state.gt[i] - gx[i];
      sy += d[i] * gx[i];
      ss += d[i] * d[i];
      yy += gx[i] * gx[i];
    }
    if (sy > 1e-10 * Math.sqrt(ss * yy)) {
      if (state.count === 0) {
        // Nocedal & Wright eq. 6.20: scale H₀ before the first update.
        const g0 = sy / yy;
        for (let i = 0; i < n; i++) hInv[i * n + i] = g0;
      }
      const rho = 1 / sy;
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let k = 0; k < n; k++) v += hInv[i * n + k] * gx[k];
        hy[i] = v;
      }
      const yhy = dot(gx, hy);
      const c = rho * rho * yhy + rho;
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < n; k++) {
          hInv[i * n + k] += -rho * (hy[i] * d[k] + d[i] * hy[k]) + c * d[i] * d[k];
        }
      }
      state.count++;
    }
    accept(state, params, r.f, r.evals, r.stalled);
  },
};

// ---------------------------------------------------------------- Newton and saddle-free Newton

const DAMPING: HyperSpec = {
  name: 'damping',
  label: 'λ',
  default: 1e-4,
  min: 0,
  max: 1e6,
  scale: 'log',
  description:
    'added to the Hessian diagonal (or |eigenvalues|) so the Newton step stays finite near flat directions',
};

export interface NewtonState extends SecondOrderState {
  hess: Float64Array;
  col: Float64Array;
  unit: Float64Array;
}

/**
 * Hessian-vector products by central differences of the gradient, (∇f(x+εv) − ∇f(x−εv))/(2ε),
 * for when the model offers no exact `hvp`. ε scales with ‖x‖ (Nocedal & Wright §8.1).
 */
export function hvpByFiniteDifference(lossAndGrad: LossAndGrad, n: number): HessianVectorProduct {
  const xp = new Float64Array(n);
  const gp = new Float64Array(n);
  const gm = new Float64Array(n);
  return (x, v, out) => {
    let xn = 0;
    let vn = 0;
    for (let i = 0; i < n; i++) {
      xn += x[i] * x[i];
      vn += v[i] * v[i];
    }
    if (vn === 0) {
      out.fill(0);
      return;
    }
    const eps = (Math.cbrt(Number.EPSILON) * (1 + Math.sqrt(xn))) / Math.sqrt(vn);
    for (let i = 0; i < n; i++) xp[i] = x[i] + eps * v[i];
    lossAndGrad(xp, gp);
    for (let i = 0; i < n; i++) xp[i] = x[i] - eps * v[i];
    lossAndGrad(xp, gm);
    for (let i = 0; i < n; i++) out[i] = (gp[i] - gm[i]) / (2 * eps);
  };
}

function buildHessian(state: NewtonState, hvp: HessianVectorProduct, name: string) {
  const n = state.x.length;
  const { hess, col, unit } = state;
  for (let j = 0; j < n; j++) {
    unit.fill(0);
    unit[j] = 1;
    hvp(state.x, unit, col);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(col[i])) {
        throw new OptimizerError(
          name,
          `Hessian entry (${i}, ${j}) is ${col[i]}; the loss is not twice differentiable here or overflowed`,
        );
      }
      hess[i * n + j] = col[i];
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (hess[i * n + j] + hess[j * n + i]);
      hess[i * n + j] = v;
      hess[j * n + i] = v;
    }
  }
}

function makeNewton(name: 'newton' | 'saddle-free-newton'): RegisteredOptimizer<NewtonState> {
  const saddleFree = name === 'saddle-free-newton';
  const label = saddleFree ? 'Saddle-free Newton' : 'Newton';
  return {
    name,
    info: {
      name,
      label,
      formula: saddleFree
        ? 'd = -V (|\\Lambda| + \\lambda I)^{-1} V^\\top \\nabla J,\\; H = V\\Lambda V^\\top,\\; \\theta \\leftarrow \\theta + \\alpha d'
        : 'd = -(H + \\lambda I)^{-1} \\nabla J,\\; \\theta \\leftarrow \\theta + \\alpha d',
      summary: saddleFree
        ? `Newton with |H|: flips negative curvature so saddle points repel instead of attract (≤ ${DENSE_LIMIT} parameters).`
        : `Damped Newton with the exact Hessian from Hessian-vector products (≤ ${DENSE_LIMIT} parameters).`,
      hyper: [DAMPING, GRAD_TOL],
      secondOrder: true,
      needs: ['lossAndGrad', 'hvp'],
    },
    init(n, hyper) {
      checkDense(name, label, n);
      return {
        ...secondOrderBase(name, n, [DAMPING, GRAD_TOL], hyper),
        hess: new Float64Array(n * n),
        col: new Float64Array(n),
        unit: new Float64Array(n),
      };
    },
    update(state, params, _grad, ctx) {
      const lossAndGrad = prepare(name, label, state, params, ctx);
      if (isConverged(state)) return;
      const n = state.x.length;
      const hvp = ctx.hvp ?? hvpByFiniteDifference(lossAndGrad, n);
      buildHessian(state, hvp, name);
      const { hess, gx, d } = state;
      let lambda = state.hyper.damping;
      if (saddleFree) {
        const { values, vectors } = symmetricEigen(hess, n);
        // d = −V diag(1/(|λᵢ| + damping)) Vᵀ g; a zero eigenvalue with zero damping gets a tiny floor.
        const floor = lambda > 0 ? 0 : 1e-12 * Math.max(1, maxAbs(values));
        d.fill(0);
        for (let k = 0; k < n; k++) {
          let c = 0;
          for (let i = 0; i < n; i++) c += vectors[i * n + k] * gx[i];
          c /= Math.abs(values[k]) + lambda + floor;
          for (let i = 0; i < n; i++) d[i] -= c * vectors[i * n + k];
        }
      } else {
        // Levenberg-style: raise the damping until H + λI is positive definite.
        let l: Float64Array | null = null;
        const scale = Math.max(1e-12, ...Array.from({ length: n }, (_, i) => Math.abs(hess[i * n + i])));
        for (let tries = 0; tries < 60; tries++) {
          const a = hess.slice();
          for (let i = 0; i < n; i++) a[i * n + i] += lambda;
          l = cholesky(a, n);
          if (l) break;
          lambda = Math.max(lambda * 10, 1e-8 * scale);
        }
        if (!l)
          throw new OptimizerError(
            name,
            'could not make H + λI positive definite; use saddle-free Newton or L-BFGS',
          );
        choleskySolve(l, n, gx, d);
        for (let i = 0; i < n; i++) d[i] = -d[i];
      }
      const slope = dot(gx, d);
      const r = backtracking({
        name,
        lossAndGrad,
        x: state.x,
        d,
        xt: state.xt,
        gt: state.gt,
        f0: state.fx,
        dphi0: slope,
      });
      accept(state, params, r.f, r.evals, r.stalled);
    },
  };
}

export const newton = makeNewton('newton');
export const saddleFreeNewton = makeNewton('saddle-free-newton');
