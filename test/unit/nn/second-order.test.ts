import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { hvp, tensor, valueAndGrad } from '../../../engine/index';
import { activation, dense, type ActivationName } from '../../../engine/nn';
import { bceWithLogits, crossEntropyWithLogits, mse } from '../../../engine/losses';
import { Rng } from '../../../engine/random/rng';
import { REFERENCE, Trainer } from '../../../bench/suites/engine';
import type { WorkloadSpec } from '../../../bench/data';

const f64 = (d: number[], shape: number[]) => tensor(d, shape, { dtype: 'float64' });
const rnd = (seed: number, n: number, a = -1, b = 1) => {
  const r = new Rng(seed);
  return Array.from({ length: n }, () => r.uniform(a, b));
};

/**
 * Hessian-vector products through the nn compositions (used by Newton-type optimizers) against central
 * differences of the reverse-mode gradient: (∇f(θ + hv) − ∇f(θ − hv)) / 2h.
 */
describe('Hessian-vector products through activations and losses', () => {
  const x = f64(rnd(1, 10), [5, 2]);
  const yReg = f64(rnd(2, 5), [5, 1]);
  const yBin = f64([1, 0, 0, 1, 1], [5, 1]);
  const cases: [ActivationName, 'mse' | 'bce' | 'ce'][] = [
    ['sigmoid', 'bce'],
    ['tanh', 'mse'],
    ['gelu', 'ce'],
    ['softplus', 'mse'],
    ['silu', 'bce'],
    ['elu', 'ce'],
    ['gaussian', 'mse'],
    ['lecun_tanh', 'ce'],
  ];
  for (const [act, loss] of cases) {
    it(`${act} hidden layer, ${loss} loss`, () => {
      const out = loss === 'ce' ? 3 : 1;
      const P = { W1: f64(rnd(3, 8), [2, 4]), b1: f64(rnd(4, 4), [4]), W2: f64(rnd(5, 4 * out), [4, out]) };
      const V = { W1: f64(rnd(6, 8), [2, 4]), b1: f64(rnd(7, 4), [4]), W2: f64(rnd(8, 4 * out), [4, out]) };
      const f = (p: typeof P) => {
        const z = dense(activation(act, dense(x, p.W1, p.b1)), p.W2, null);
        if (loss === 'mse') return mse(z, yReg);
        if (loss === 'bce') return bceWithLogits(z, yBin);
        return crossEntropyWithLogits(z, [0, 2, 1, 1, 0]);
      };
      const Hv = hvp(f, P, V).hvp;
      const h = 1e-5;
      const shift = (s: number) =>
        Object.fromEntries(
          Object.entries(P).map(([k, t]) => {
            const a = t.dataSync();
            const v = V[k as keyof typeof V].dataSync();
            return [
              k,
              f64(
                Array.from(a, (q, i) => q + s * h * v[i]),
                [...t.shape],
              ),
            ];
          }),
        ) as typeof P;
      const gp = valueAndGrad(f)(shift(1)).grads;
      const gm = valueAndGrad(f)(shift(-1)).grads;
      for (const k of Object.keys(P) as (keyof typeof P)[]) {
        const a = Hv[k].dataSync();
        const p1 = gp[k].dataSync();
        const m1 = gm[k].dataSync();
        a.forEach((val, i) => {
          const fd = (p1[i] - m1[i]) / (2 * h);
          expect(Math.abs(val - fd), `${act}/${loss} ${k}[${i}]`).toBeLessThan(1e-6 + 1e-5 * Math.abs(fd));
        });
      }
    });
  }
});

describe('benchmark W1 (XOR) with the engine reproduces the reference loss', () => {
  it('final loss 0.02012 after 1000 steps of SGD with momentum (bench/WORKLOADS.md)', () => {
    const w = (JSON.parse(readFileSync('bench/workloads.json', 'utf8')) as Record<string, WorkloadSpec>).xor;
    const tr = new Trainer('xor', w);
    let loss = NaN;
    for (let t = 0; t < 1000; t++) loss = tr.step(t);
    expect(Math.abs(loss - REFERENCE.xor!)).toBeLessThan(5e-6);
  });
});
