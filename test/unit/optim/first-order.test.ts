import { describe, it, expect } from 'vitest';
import { sgd, momentum, nesterov } from '../../../engine/optim/sgd';
import { adagrad, rmsprop, adadelta, adam, adamw } from '../../../engine/optim/adaptive';
import { getOptimizer, optimizerInfos, checkOptimizerFits } from '../../../engine/optim/registry';
import { serializeState, deserializeState, type OptimizerStateBase } from '../../../engine/optim/types';

// Problem 1: quadratic J(θ) = ½θᵀAθ − bᵀθ, ∇J = Aθ − b.
const A = [
  [3, 0.5],
  [0.5, 1],
];
const B = [1, -2];
const quadGrad = (t: number[]) => [
  A[0][0] * t[0] + A[0][1] * t[1] - B[0],
  A[1][0] * t[0] + A[1][1] * t[1] - B[1],
];
const quadLoss = (t: number[]) =>
  0.5 * (t[0] * quadGrad(t)[0] + t[1] * quadGrad(t)[1]) + 0.5 * (-B[0] * t[0] - B[1] * t[1]);

// Problem 2: logistic regression p = σ(w·x + c), mean BCE on 4 points; θ = [w, c].
const XS = [-1, 0.5, 2, 3];
const YS = [0, 1, 0, 1];
const sig = (z: number) => 1 / (1 + Math.exp(-z));
const logGrad = (t: number[]) => {
  let gw = 0;
  let gc = 0;
  for (let i = 0; i < 4; i++) {
    const e = sig(t[0] * XS[i] + t[1]) - YS[i];
    gw += (e * XS[i]) / 4;
    gc += e / 4;
  }
  return [gw, gc];
};
const logLoss = (t: number[]) => {
  let s = 0;
  for (let i = 0; i < 4; i++) {
    const p = sig(t[0] * XS[i] + t[1]);
    s -= YS[i] * Math.log(p) + (1 - YS[i]) * Math.log(1 - p);
  }
  return s / 4;
};
const problems = [
  { name: 'quadratic', grad: quadGrad, loss: quadLoss, theta0: [1, 1] },
  { name: 'logistic', grad: logGrad, loss: logLoss, theta0: [0.3, -0.2] },
];

type Ref = (theta0: number[], grad: (t: number[]) => number[], lr: number) => number[][];

/** Independent float64 references written from the lecture formulas (three steps each). */
const refs: Record<string, { hyper: Record<string, number>; lr: number; ref: Ref }> = {
  sgd: {
    hyper: {},
    lr: 0.1,
    ref: (t0, g, a) => {
      const out: number[][] = [];
      let t = t0;
      for (let k = 0; k < 3; k++) {
        const gr = g(t);
        t = t.map((x, i) => x - a * gr[i]);
        out.push(t);
      }
      return out;
    },
  },
  momentum: {
    hyper: { beta: 0.6 },
    lr: 0.1,
    ref: (t0, g, a) => {
      const out: number[][] = [];
      let t = t0;
      let v = [0, 0];
      for (let k = 0; k < 3; k++) {
        const gr = g(t);
        v = v.map((vi, i) => 0.6 * vi - a * gr[i]);
        t = t.map((x, i) => x + v[i]);
        out.push(t);
      }
      return out;
    },
  },
  nesterov: {
    hyper: { beta: 0.8 },
    lr: 0.1,
    ref: (t0, g, a) => {
      const out: number[][] = [];
      let t = t0;
      let v = [0, 0];
      for (let k = 0; k < 3; k++) {
        const gr = g(t.map((x, i) => x + 0.8 * v[i]));
        v = v.map((vi, i) => 0.8 * vi - a * gr[i]);
        t = t.map((x, i) => x + v[i]);
        out.push(t);
      }
      return out;
    },
  },
  adagrad: {
    hyper: { delta: 1e-8 },
    lr: 0.5,
    ref: (t0, g, a) => {
      const out: number[][] = [];
      let t = t0;
      let r = [0, 0];
      for (let k = 0; k < 3; k++) {
        const gr = g(t);
        r = r.map((ri, i) => ri + gr[i] ** 2);
        t = t.map((x, i) => x - (a / (1e-8 + Math.sqrt(r[i]))) * gr[i]);
        out.push(t);
      }
      return out;
    },
  },
  rmsprop: {
    hyper: { rho: 0.9, momentum: 0.5, delta: 1e-8 },
    lr: 0.05,
    ref: (t0, g, a) => {
      const out: number[][] = [];
      let t = t0;
      let r = [0, 0];
      let v = [0, 0];
      for (let k = 0; k < 3; k++) {
        const gr = g(t);
        r = r.map((ri, i) => 0.9 * ri + 0.1 * gr[i] ** 2);
        v = v.map((vi, i) => 0.5 * vi - (a / (1e-8 + Math.sqrt(r[i]))) * gr[i]);
        t = t.map((x, i) => x + v[i]);
        out.push(t);
      }
      return out;
    },
  },
  adadelta: {
    hyper: { rho: 0.95, eps: 1e-6 },
    lr: 1,
    ref: (t0, g, a) => {
      const out: number[][] = [];
      let t = t0;
      let eg = [0, 0];
      let ed = [0, 0];
      for (let k = 0; k < 3; k++) {
        const gr = g(t);
        eg = eg.map((e, i) => 0.95 * e + 0.05 * gr[i] ** 2);
        const dx = gr.map((gi, i) => (-Math.sqrt(ed[i] + 1e-6) / Math.sqrt(eg[i] + 1e-6)) * gi);
        ed = ed.map((e, i) => 0.95 * e + 0.05 * dx[i] ** 2);
        t = t.map((x, i) => x + a * dx[i]);
        out.push(t);
      }
      return out;
    },
  },
  adam: {
    hyper: { beta1: 0.9, beta2: 0.999, delta: 1e-8 },
    lr: 0.01,
    ref: (t0, g, a) => {
      const out: number[][] = [];
      let t = t0;
      let m = [0, 0];
      let v = [0, 0];
      for (let k = 1; k <= 3; k++) {
        const gr = g(t);
        m = m.map((mi, i) => 0.9 * mi + 0.1 * gr[i]);
        v = v.map((vi, i) => 0.999 * vi + 0.001 * gr[i] ** 2);
        const mh = m.map((x) => x / (1 - 0.9 ** k));
        const vh = v.map((x) => x / (1 - 0.999 ** k));
        t = t.map((x, i) => x - (a / (1e-8 + Math.sqrt(vh[i]))) * mh[i]);
        out.push(t);
      }
      return out;
    },
  },
  adamw: {
    hyper: { beta1: 0.8, beta2: 0.99, delta: 1e-8, weightDecay: 0.1 },
    lr: 0.01,
    ref: (t0, g, a) => {
      const out: number[][] = [];
      let t = t0;
      let m = [0, 0];
      let v = [0, 0];
      for (let k = 1; k <= 3; k++) {
        const gr = g(t);
        m = m.map((mi, i) => 0.8 * mi + 0.2 * gr[i]);
        v = v.map((vi, i) => 0.99 * vi + 0.01 * gr[i] ** 2);
        const mh = m.map((x) => x / (1 - 0.8 ** k));
        const vh = v.map((x) => x / (1 - 0.99 ** k));
        t = t.map((x, i) => x - a * 0.1 * x - (a / (1e-8 + Math.sqrt(vh[i]))) * mh[i]);
        out.push(t);
      }
      return out;
    },
  },
};

describe('first-order optimizers: first three updates equal the formula', () => {
  for (const [name, spec] of Object.entries(refs)) {
    for (const p of problems) {
      it(`${name} on the ${p.name} problem`, () => {
        const opt = getOptimizer(name);
        const state = opt.init(2, spec.hyper);
        const params = Float64Array.from(p.theta0);
        const grad = new Float64Array(2);
        const lossAndGrad = (x: Float32Array | Float64Array, out: Float32Array | Float64Array) => {
          const g = p.grad(Array.from(x));
          out[0] = g[0];
          out[1] = g[1];
          return p.loss(Array.from(x));
        };
        const expected = spec.ref(p.theta0, p.grad, spec.lr);
        for (let k = 0; k < 3; k++) {
          lossAndGrad(params, grad);
          opt.update(state, params, grad, { lr: spec.lr, lossAndGrad });
          expect(params[0]).toBeCloseTo(expected[k][0], 13);
          expect(params[1]).toBeCloseTo(expected[k][1], 13);
        }
        expect(state.step).toBe(3);
        // the steps actually moved the parameters
        expect(Math.abs(params[0] - p.theta0[0]) + Math.abs(params[1] - p.theta0[1])).toBeGreaterThan(1e-4);
      });
    }
  }
});

describe('optimizer state', () => {
  it('round-trips through JSON and resumes identically', () => {
    for (const name of ['momentum', 'adam', 'rmsprop', 'adadelta']) {
      const opt = getOptimizer(name);
      const a = opt.init(2);
      const pa = Float32Array.from([1, 1]);
      const g = new Float32Array(2);
      const step = (s: OptimizerStateBase, p: Float32Array) => {
        const gg = quadGrad(Array.from(p));
        g[0] = gg[0];
        g[1] = gg[1];
        opt.update(s, p, g, { lr: 0.05 });
      };
      step(a, pa);
      step(a, pa);
      const b = deserializeState(JSON.parse(JSON.stringify(serializeState(a)))) as OptimizerStateBase;
      const pb = pa.slice();
      step(a, pa);
      step(b, pb);
      expect(Array.from(pb)).toEqual(Array.from(pa));
      expect(b.step).toBe(3);
    }
  });

  it('serializes non-finite numbers and typed arrays exactly', () => {
    const s = {
      a: new Float32Array([0.1, -2]),
      b: new Float64Array([Math.PI]),
      c: NaN,
      d: [Infinity, 1],
      e: null,
    };
    const back = deserializeState(JSON.parse(JSON.stringify(serializeState(s)))) as typeof s;
    expect(back.a).toBeInstanceOf(Float32Array);
    expect(Array.from(back.a)).toEqual(Array.from(s.a));
    expect(back.b[0]).toBe(Math.PI);
    expect(back.c).toBeNaN();
    expect(back.d).toEqual([Infinity, 1]);
  });
});

describe('optimizer errors', () => {
  it('rejects bad hyperparameters, lengths, learning rates and NaN gradients without mutating', () => {
    expect(() => adam.init(3, { beta1: 1.5 })).toThrow(/beta1.*outside/);
    expect(() => adam.init(3, { betaOne: 0.9 })).toThrow(/unknown hyperparameter 'betaOne'/);
    const s = momentum.init(2);
    const p = new Float64Array([1, 2]);
    expect(() => momentum.update(s, p, new Float64Array(3), { lr: 0.1 })).toThrow(/grad has 3 entries/);
    expect(() => momentum.update(s, p, new Float64Array(2), { lr: NaN })).toThrow(/learning rate/);
    expect(() => momentum.update(s, p, new Float64Array([0, NaN]), { lr: 0.1 })).toThrow(
      /gradient\[1\] is NaN/,
    );
    expect(Array.from(p)).toEqual([1, 2]);
    expect(s.step).toBe(0);
    expect(() => nesterov.update(nesterov.init(2), p, new Float64Array(2), { lr: 0.1 })).toThrow(
      /lossAndGrad/,
    );
    expect(() => sgd.update(adam.init(2), p, new Float64Array(2), { lr: 0.1 })).toThrow(/created by 'adam'/);
    expect(() => getOptimizer('adamax')).toThrow(/unknown optimizer 'adamax'/);
  });

  it('works on Float32Array parameters', () => {
    for (const o of [sgd, momentum, adagrad, rmsprop, adadelta, adam, adamw]) {
      const s = (o as typeof sgd).init(2);
      const p = Float32Array.from([1, 1]);
      for (let k = 0; k < 50; k++) {
        const g = Float32Array.from(quadGrad(Array.from(p)));
        (o as typeof sgd).update(s, p, g, { lr: o === adadelta ? 1 : 0.05 });
      }
      expect(quadLoss(Array.from(p))).toBeLessThan(quadLoss([1, 1]));
    }
  });
});

describe('registry', () => {
  it('lists every optimizer with hyperparameter defaults inside their ranges', () => {
    const infos = optimizerInfos();
    expect(infos.map((i) => i.name)).toEqual([
      'sgd',
      'momentum',
      'nesterov',
      'adagrad',
      'rmsprop',
      'adadelta',
      'adam',
      'adamw',
      'cg',
      'newton',
      'saddle-free-newton',
      'bfgs',
      'lbfgs',
    ]);
    for (const info of infos) {
      expect(info.formula.length).toBeGreaterThan(10);
      expect(info.summary.length).toBeGreaterThan(10);
      for (const h of info.hyper) {
        expect(h.default).toBeGreaterThanOrEqual(h.min);
        expect(h.default).toBeLessThanOrEqual(h.max);
      }
      const state = getOptimizer(info.name).init(3);
      expect(state.paramCount).toBe(3);
    }
    expect(infos.filter((i) => i.secondOrder).map((i) => i.name)).toEqual([
      'cg',
      'newton',
      'saddle-free-newton',
      'bfgs',
      'lbfgs',
    ]);
  });

  it('explains why a second-order method does not fit minibatches or big networks', () => {
    expect(checkOptimizerFits('adam', 32, 1000, 1e6)).toBeNull();
    expect(checkOptimizerFits('lbfgs', 32, 1000, 100)).toMatch(/full-batch.*batch size to 1000.*Adam/);
    expect(checkOptimizerFits('newton', 1000, 1000, 5000)).toMatch(/5000 parameters.*L-BFGS/);
    expect(checkOptimizerFits('lbfgs', 1000, 1000, 5000)).toBeNull();
  });
});

describe('AdamW decay mask', () => {
  it('decays only masked entries (frozen parameters and biases keep their values under zero gradient)', () => {
    const s = adamw.init(3, { weightDecay: 0.5 });
    const p = new Float64Array([2, 2, 2]);
    adamw.update(s, p, new Float64Array(3), { lr: 0.1, decayMask: Uint8Array.from([1, 0, 1]) });
    // zero gradient: m̂ = 0, so only the decay θ ← θ − αλθ = 2 − 0.1·0.5·2 = 1.9 acts.
    expect(Array.from(p)).toEqual([1.9, 2, 1.9]);
    expect(() => adamw.update(s, p, new Float64Array(3), { lr: 0.1, decayMask: new Uint8Array(2) })).toThrow(
      /decayMask/,
    );
  });
});
