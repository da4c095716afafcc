import { describe, it, expect } from 'vitest';
import {
  trainRbf,
  rbfPredict,
  rbfLossAndGrad,
  packRbf,
  rbfFeatures,
  type RbfModel,
} from '../../../engine/rbf/rbf';
import {
  kmeansPlusPlus,
  randomSampleCentres,
  uniformCentres,
  growingNeuralGas,
} from '../../../engine/rbf/centres';
import { rbfWidths } from '../../../engine/rbf/widths';
import { Rng } from '../../../engine/random/rng';
import { randomRbfModel } from './helpers';

function sineData(seed: number, n = 200) {
  const rng = new Rng(seed);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = rng.uniform(-Math.PI, Math.PI);
    y[i] = Math.sin(x[i]) + 0.05 * rng.normal();
  }
  return { x, y };
}

function rmseOnGrid(model: RbfModel): number {
  const m = 401;
  const grid = Float64Array.from({ length: m }, (_, i) => -Math.PI + (2 * Math.PI * i) / (m - 1));
  const p = rbfPredict(model, grid, m);
  let s = 0;
  for (let i = 0; i < m; i++) s += (p[i] - Math.sin(grid[i])) ** 2;
  return Math.sqrt(s / m);
}

describe('RBF networks on y = sin(x) + N(0, 0.05²)', () => {
  it('2-step training with 20 K-means++ centres reaches RMSE < 0.05 against the noiseless sine', () => {
    const { x, y } = sineData(1);
    const r = trainRbf(x, 200, 1, y, 1, { centres: 20, placement: 'kmeans++', seed: 3 });
    expect(r.recipe).toBe('2-step');
    expect(r.model.k).toBe(20);
    expect(rmseOnGrid(r.model)).toBeLessThan(0.05);
  });

  it('other placements and gradient-descent output weights also fit', () => {
    const { x, y } = sineData(2);
    // Uniform placement can leave gaps (the lecture's case for vector quantization): looser bound.
    for (const [placement, bound] of [
      ['sample', 0.1],
      ['uniform', 0.15],
      ['gng', 0.05],
    ] as const) {
      const r = trainRbf(x, 200, 1, y, 1, { centres: 20, placement, seed: 5 });
      expect(rmseOnGrid(r.model)).toBeLessThan(bound);
    }
    const gd = trainRbf(x, 200, 1, y, 1, {
      centres: 20,
      seed: 5,
      output: 'gradient-descent',
      outputEpochs: 3000,
      outputLr: 0.05,
    });
    expect(rmseOnGrid(gd.model)).toBeLessThan(0.1);
  });

  it('3-step fine-tuning lowers the training error from a poor start', () => {
    const { x, y } = sineData(3, 100);
    // 6 centres at global widths: step 2 alone is poor; step 3 moves centres and widths.
    const r = trainRbf(x, 100, 1, y, 1, {
      centres: 6,
      placement: 'uniform',
      widths: { method: 'global' },
      seed: 2,
      fineTune: { epochs: 300, lr: 0.02 },
    });
    expect(r.recipe).toBe('3-step');
    expect(r.mseAfterStep3!).toBeLessThan(r.mseAfterStep2);
    expect(Array.from(r.model.widths).every((s) => s >= r.widthFloor)).toBe(true);
  });
});

describe('RBF analytic gradient', () => {
  it('matches central finite differences (2-D inputs, 2 outputs)', () => {
    const rng = new Rng(9);
    const n = 7;
    const d = 2;
    const k = 3;
    const out = 2;
    const x = Float64Array.from({ length: n * d }, () => rng.normal());
    const y = Float64Array.from({ length: n * out }, () => rng.normal());
    const model = randomRbfModel(rng, k, d, out);
    const v = packRbf(model);
    const g = new Float64Array(v.length);
    const loss = rbfLossAndGrad(v, g, model, x, n, y);
    // loss equals the MSE of the forward model, computed from the features
    const phi = rbfFeatures(model, x, n);
    let mse = 0;
    for (let r = 0; r < n; r++)
      for (let o = 0; o < out; o++) {
        let p = 0;
        for (let i = 0; i <= k; i++) p += phi[r * (k + 1) + i] * model.weights[i * out + o];
        mse += (p - y[r * out + o]) ** 2 / (n * out);
      }
    expect(loss).toBeCloseTo(mse, 12);
    const s = new Float64Array(v.length);
    const h = 1e-6;
    for (let i = 0; i < v.length; i++) {
      const q = v.slice();
      q[i] += h;
      const fp = rbfLossAndGrad(q, s, model, x, n, y);
      q[i] -= 2 * h;
      const fm = rbfLossAndGrad(q, s, model, x, n, y);
      expect(Math.abs(g[i] - (fp - fm) / (2 * h))).toBeLessThan(1e-7);
    }
  });
});

describe('centre placement and widths', () => {
  it('K-means++ with a fixed seed is deterministic and finds well-separated clusters', () => {
    const rng = new Rng(1);
    const pts: number[] = [];
    for (const [cx, cy] of [
      [0, 0],
      [10, 0],
      [0, 10],
    ])
      for (let i = 0; i < 30; i++) pts.push(cx + 0.3 * rng.normal(), cy + 0.3 * rng.normal());
    const a = kmeansPlusPlus(pts, 90, 2, 3, new Rng(42));
    const b = kmeansPlusPlus(pts, 90, 2, 3, new Rng(42));
    expect(Array.from(a.centres)).toEqual(Array.from(b.centres));
    expect(Array.from(a.assignments)).toEqual(Array.from(b.assignments));
    const found = [0, 1, 2].map((i) => [
      Math.round(a.centres[2 * i] / 10) * 10,
      Math.round(a.centres[2 * i + 1] / 10) * 10,
    ]);
    expect(found.map((c) => c.join(',')).sort()).toEqual(['0,0', '0,10', '10,0']);
    // each point's assigned centre is its nearest (Lloyd fixed point)
    for (let r = 0; r < 90; r++) {
      const d2 = [0, 1, 2].map(
        (i) => (pts[2 * r] - a.centres[2 * i]) ** 2 + (pts[2 * r + 1] - a.centres[2 * i + 1]) ** 2,
      );
      expect(d2[a.assignments[r]]).toBe(Math.min(...d2));
    }
  });

  it('duplicate input points do not produce NaN (centres, widths, training, predictions)', () => {
    const n = 50;
    const x = new Float64Array(n).fill(1.5);
    const y = new Float64Array(n).fill(2);
    for (const placement of ['sample', 'uniform', 'kmeans++', 'gng'] as const) {
      const two = trainRbf(x, n, 1, y, 1, { centres: 5, placement, seed: 1 });
      expect(rbfPredict(two.model, [1.5], 1)[0]).toBeCloseTo(2, 4);
      const r = trainRbf(x, n, 1, y, 1, {
        centres: 5,
        placement,
        seed: 1,
        fineTune: { epochs: 20, lr: 0.01 },
      });
      expect(Array.from(r.model.widths).every((s) => Number.isFinite(s) && s > 0)).toBe(true);
      expect(Array.from(r.model.centres).every(Number.isFinite)).toBe(true);
      const p = rbfPredict(r.model, [1.5, 0, 3], 3);
      expect(Array.from(p).every(Number.isFinite)).toBe(true);
    }
    // partly duplicated data: coinciding centres get the floor, not 0
    const w = rbfWidths([0, 0, 1, 1], 4, 1);
    expect(w[0]).toBe(1); // nearest distinct centre at distance 1
    expect(rbfWidths([3, 3, 3], 3, 1).every((s) => s > 0)).toBe(true);
  });

  it('random sample and uniform placement stay in the data; GNG grows to the requested size', () => {
    const rng = new Rng(4);
    const x = Float64Array.from({ length: 200 }, () => rng.uniform(2, 5));
    const s = randomSampleCentres(x, 100, 2, 10, new Rng(1));
    for (let i = 0; i < 10; i++) {
      const found = [...Array(100).keys()].some(
        (r) => x[2 * r] === s[2 * i] && x[2 * r + 1] === s[2 * i + 1],
      );
      expect(found).toBe(true);
    }
    const u = uniformCentres(x, 100, 2, 10, new Rng(1));
    expect(Array.from(u).every((v) => v >= 2 && v <= 5)).toBe(true);
    const g = growingNeuralGas(x, 100, 2, new Rng(1), { maxNodes: 8 });
    expect(g.centres.length).toBe(16);
    expect(g.edges.length).toBeGreaterThan(0);
    expect(() => randomSampleCentres(x, 100, 2, 101, new Rng(1))).toThrow(/at most 100 centres/);
    expect(() => kmeansPlusPlus([1, NaN], 2, 1, 1, new Rng(1))).toThrow(/row 1, column 0 is NaN/);
  });
});
