import { describe, it, expect } from 'vitest';
import type { RegisteredOptimizer } from '../../../engine/optim/common';
import type { SecondOrderState } from '../../../engine/optim/second-order';
import {
  cg,
  lbfgs,
  bfgs,
  newton,
  saddleFreeNewton,
  hvpByFiniteDifference,
} from '../../../engine/optim/second-order';
import { strongWolfe } from '../../../engine/optim/linesearch';
import { cholesky, choleskySolve, leastSquares } from '../../../engine/linalg/cholesky';
import { Rng } from '../../../engine/random/rng';
import type { ParamVector } from '../../../engine/optim/types';

/** Least squares ½‖Ax − b‖² with A m×p, and its closed form by Gauss–Jordan on AᵀA x = Aᵀb (in the test). */
function lsProblem(m: number, p: number, seed: number) {
  const rng = new Rng(seed);
  const a = Array.from({ length: m }, () => Array.from({ length: p }, () => rng.normal()));
  const b = Array.from({ length: m }, () => rng.normal());
  const lossAndGrad = (x: ParamVector, g: ParamVector) => {
    g.fill(0);
    let f = 0;
    for (let r = 0; r < m; r++) {
      let res = -b[r];
      for (let j = 0; j < p; j++) res += a[r][j] * x[j];
      f += 0.5 * res * res;
      for (let j = 0; j < p; j++) g[j] += res * a[r][j];
    }
    return f;
  };
  const hvp = (_x: Float64Array, v: Float64Array, out: Float64Array) => {
    out.fill(0);
    for (let r = 0; r < m; r++) {
      let av = 0;
      for (let j = 0; j < p; j++) av += a[r][j] * v[j];
      for (let j = 0; j < p; j++) out[j] += a[r][j] * av;
    }
  };
  // Closed form by Gauss–Jordan elimination with partial pivoting.
  const M = Array.from({ length: p }, (_, i) => {
    const row = Array.from({ length: p }, (_, j) => a.reduce((s, ar) => s + ar[i] * ar[j], 0));
    row.push(a.reduce((s, ar, r) => s + ar[i] * b[r], 0));
    return row;
  });
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(M[r][c]) > Math.abs(M[piv][c])) piv = r;
    [M[c], M[piv]] = [M[piv], M[c]];
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= p; k++) M[r][k] -= f * M[c][k];
    }
  }
  const solution = M.map((row, i) => row[p] / row[i]);
  return { a, b, lossAndGrad, hvp, solution };
}

const methods = { lbfgs, cg, newton, 'saddle-free-newton': saddleFreeNewton, bfgs } as unknown as Record<
  string,
  RegisteredOptimizer<SecondOrderState>
>;

describe('second-order methods on least squares', () => {
  for (const [name, opt] of Object.entries(methods)) {
    it(`${name} reaches the closed-form solution to 1e-6 in under 50 iterations`, () => {
      const pr = lsProblem(20, 5, 11);
      const state = opt.init(5);
      const params = new Float64Array(5);
      const grad = new Float64Array(5);
      let it = 0;
      const err = () => Math.max(...pr.solution.map((s, i) => Math.abs(s - params[i])));
      while (err() > 1e-6 && it < 50) {
        opt.update(state, params, grad, {
          lr: 0.01,
          lossAndGrad: pr.lossAndGrad,
          hvp: pr.hvp,
          fullBatch: true,
        });
        it++;
      }
      expect(err()).toBeLessThan(1e-6);
      expect(it).toBeLessThan(50);
    });

    it(`${name} stops with a clear error when the loss is non-finite`, () => {
      const opt2 = opt;
      const nanLoss = (_x: ParamVector, g: ParamVector) => {
        g.fill(NaN);
        return NaN;
      };
      const p = new Float64Array(3);
      expect(() =>
        opt2.update(opt2.init(3), p, new Float64Array(3), { lr: 1, lossAndGrad: nanLoss, fullBatch: true }),
      ).toThrow(/loss at the current parameters is NaN/);
      // Finite only at the start point: every step must be rejected, ending in an error (never "success").
      const pr = lsProblem(10, 3, 2);
      const onlyAtStart = (x: ParamVector, g: ParamVector) => {
        const f = pr.lossAndGrad(x, g);
        return x.some((v) => v !== 0) ? Infinity : f;
      };
      const p2 = new Float64Array(3);
      const ctx = {
        lr: 1,
        lossAndGrad: onlyAtStart,
        hvp: pr.hvp,
        fullBatch: true,
      };
      expect(() => opt2.update(opt2.init(3), p2, new Float64Array(3), ctx)).toThrow(
        /no step with a finite loss/,
      );
      expect(Array.from(p2)).toEqual([0, 0, 0]);
    });

    it(`${name} refuses minibatch training`, () => {
      const pr = lsProblem(10, 3, 2);
      expect(() =>
        opt.update(opt.init(3), new Float64Array(3), new Float64Array(3), {
          lr: 1,
          lossAndGrad: pr.lossAndGrad,
        }),
      ).toThrow(/full-batch method.*Adam/);
    });
  }

  for (const [name, opt] of Object.entries(methods)) {
    it(`${name} keeps running quietly after convergence (flat loss at float64 precision)`, () => {
      const pr = lsProblem(20, 5, 3);
      const state = opt.init(5);
      const params = new Float64Array(5);
      const ctx = { lr: 1, lossAndGrad: pr.lossAndGrad, hvp: pr.hvp, fullBatch: true };
      for (let i = 0; i < 120; i++) opt.update(state, params, params, ctx);
      pr.solution.forEach((s, i) => expect(params[i]).toBeCloseTo(s, 9));
      expect(state.converged).toBe(true);
    });

    it(`${name} reports a gradient that does not match the loss`, () => {
      // loss ½‖x‖² but the "gradient" has the wrong sign: every descent step raises the loss.
      const wrong = (x: ParamVector, g: ParamVector) => {
        let f = 0;
        for (let i = 0; i < x.length; i++) {
          f += 0.5 * x[i] * x[i];
          g[i] = -x[i];
        }
        return f;
      };
      const hvp = (_x: Float64Array, v: Float64Array, out: Float64Array) => out.set(v);
      const p = new Float64Array([1, -2]);
      expect(() =>
        opt.update(opt.init(2), p, p, { lr: 1, lossAndGrad: wrong, hvp, fullBatch: true }),
      ).toThrow(/gradient does not match the loss/);
      expect(Array.from(p)).toEqual([1, -2]);
    });
  }

  it('dense methods refuse networks above 2,000 parameters, pointing to L-BFGS', () => {
    expect(() => newton.init(2001)).toThrow(/2,001 parameters \(limit 2,000\).*L-BFGS/);
    expect(() => saddleFreeNewton.init(5000)).toThrow(/L-BFGS/);
    expect(() => bfgs.init(2500)).toThrow(/L-BFGS/);
    expect(lbfgs.init(100000).paramCount).toBe(100000);
  });

  it('L-BFGS works on Float32Array params and restarts when params change from outside', () => {
    const pr = lsProblem(20, 4, 5);
    const state = lbfgs.init(4);
    const p = new Float32Array(4);
    const ctx = { lr: 1, lossAndGrad: pr.lossAndGrad, fullBatch: true };
    for (let i = 0; i < 30; i++) lbfgs.update(state, p, p, ctx);
    pr.solution.forEach((s, i) => expect(p[i]).toBeCloseTo(s, 5));
    p.fill(3); // e.g. "restore best weights"
    lbfgs.update(state, p, p, ctx);
    expect(state.x[0]).not.toBe(3); // moved from the new start
    expect(p[0]).not.toBe(3);
  });
});

describe('Newton variants: first step against closed forms', () => {
  it('undamped Newton jumps to A⁻¹b on a quadratic in one step', () => {
    // J = ½θᵀAθ − bᵀθ with A = [[4,1],[1,3]], b = [1,2] → θ* = A⁻¹b = [1/11, 7/11].
    const lossAndGrad = (x: ParamVector, g: ParamVector) => {
      g[0] = 4 * x[0] + x[1] - 1;
      g[1] = x[0] + 3 * x[1] - 2;
      return 0.5 * (4 * x[0] ** 2 + 2 * x[0] * x[1] + 3 * x[1] ** 2) - x[0] - 2 * x[1];
    };
    const s = newton.init(2, { damping: 0 });
    const p = new Float64Array([5, -5]);
    newton.update(s, p, p, { lr: 1, lossAndGrad, fullBatch: true }); // hvp by finite differences
    expect(p[0]).toBeCloseTo(1 / 11, 7);
    expect(p[1]).toBeCloseTo(7 / 11, 7);
  });

  it('saddle-free Newton moves away from a saddle where Newton would jump onto it', () => {
    // J = ½(x² − y²): saddle at 0. g = (x, −y), |H| = I → d = (−x, y) (computed by hand).
    const lossAndGrad = (v: ParamVector, g: ParamVector) => {
      g[0] = v[0];
      g[1] = -v[1];
      return 0.5 * (v[0] ** 2 - v[1] ** 2);
    };
    const hvp = (_x: Float64Array, v: Float64Array, out: Float64Array) => {
      out[0] = v[0];
      out[1] = -v[1];
    };
    const s = saddleFreeNewton.init(2, { damping: 0 });
    const p = new Float64Array([0.5, 0.25]);
    saddleFreeNewton.update(s, p, p, { lr: 1, lossAndGrad, hvp, fullBatch: true });
    expect(p[0]).toBeCloseTo(0, 10);
    expect(p[1]).toBeCloseTo(0.5, 10);
  });

  it('finite-difference Hessian-vector products match the exact Hessian of a cubic', () => {
    // f = x³ + xy² → H = [[6x, 2y],[2y, 2x]].
    const lossAndGrad = (v: ParamVector, g: ParamVector) => {
      g[0] = 3 * v[0] ** 2 + v[1] ** 2;
      g[1] = 2 * v[0] * v[1];
      return v[0] ** 3 + v[0] * v[1] ** 2;
    };
    const hvp = hvpByFiniteDifference(lossAndGrad, 2);
    const out = new Float64Array(2);
    hvp(new Float64Array([1.5, -2]), new Float64Array([0.3, 0.7]), out);
    expect(out[0]).toBeCloseTo(6 * 1.5 * 0.3 + 2 * -2 * 0.7, 6);
    expect(out[1]).toBeCloseTo(2 * -2 * 0.3 + 2 * 1.5 * 0.7, 6);
  });
});

describe('strong-Wolfe line search', () => {
  it('returns a step satisfying both Wolfe conditions on the Rosenbrock function', () => {
    const lossAndGrad = (v: ParamVector, g: ParamVector) => {
      const [x, y] = [v[0], v[1]];
      g[0] = -2 * (1 - x) - 400 * x * (y - x * x);
      g[1] = 200 * (y - x * x);
      return (1 - x) ** 2 + 100 * (y - x * x) ** 2;
    };
    const x = new Float64Array([-1.2, 1]);
    const g0 = new Float64Array(2);
    const f0 = lossAndGrad(x, g0);
    const d = new Float64Array([-g0[0], -g0[1]]);
    const dphi0 = -(g0[0] ** 2 + g0[1] ** 2);
    const xt = new Float64Array(2);
    const gt = new Float64Array(2);
    const r = strongWolfe({ name: 't', lossAndGrad, x, d, xt, gt, f0, dphi0 }, 1, 1e-4, 0.9);
    const g1 = new Float64Array(2);
    const f1 = lossAndGrad(new Float64Array([x[0] + r.alpha * d[0], x[1] + r.alpha * d[1]]), g1);
    expect(f1).toBeLessThanOrEqual(f0 + 1e-4 * r.alpha * dphi0);
    expect(Math.abs(g1[0] * d[0] + g1[1] * d[1])).toBeLessThanOrEqual(0.9 * Math.abs(dphi0));
    expect(xt[0]).toBeCloseTo(x[0] + r.alpha * d[0], 14);
    expect(gt[0]).toBeCloseTo(g1[0], 10);
  });
});

describe('Cholesky and least squares', () => {
  it('solves SPD systems and reports indefinite ones', () => {
    const a = new Float64Array([4, 2, 2, 3]);
    const l = cholesky(a, 2)!;
    const x = choleskySolve(l, 2, [2, 1]);
    // By hand: 4x + 2y = 2, 2x + 3y = 1 → x = 0.5, y = 0.
    expect(x[0]).toBeCloseTo(0.5, 14);
    expect(x[1]).toBeCloseTo(0, 14);
    expect(cholesky(new Float64Array([1, 2, 2, 1]), 2)).toBeNull();
  });
  it('fits a line exactly and handles a duplicated column', () => {
    const xs = [0, 1, 2, 3];
    const X = xs.flatMap((x) => [1, x]);
    const w = leastSquares(
      X,
      4,
      2,
      xs.map((x) => 2 + 3 * x),
      1,
    );
    expect(w[0]).toBeCloseTo(2, 10);
    expect(w[1]).toBeCloseTo(3, 10);
    const Xd = xs.flatMap((x) => [x, x]);
    const wd = leastSquares(
      Xd,
      4,
      2,
      xs.map((x) => 2 * x),
      1,
    );
    expect(wd[0] + wd[1]).toBeCloseTo(2, 6);
  });
});
