import { describe, expect, it } from 'vitest';
import { applyScaler, columnStats, fitScaler, invertScaler } from '../../../engine/data/scaling';
import { applyZca, fitZca, invertZca } from '../../../engine/data/zca';
import { prepareDataset, inverseFeatures, inverseTargets } from '../../../engine/data/prepare';
import { readTable } from '../../../engine/data/reader';
import { Rng } from '../../../engine/random/rng';
import { readCsv, readData } from './helpers';

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

/** Population covariance of rows×d data, computed directly. */
function covariance(x: ArrayLike<number>, n: number, d: number): number[][] {
  const mean = Array.from({ length: d }, (_, j) => {
    let s = 0;
    for (let r = 0; r < n; r++) s += x[r * d + j];
    return s / n;
  });
  return mean.map((_, a) =>
    mean.map((__, b) => {
      let s = 0;
      for (let r = 0; r < n; r++) s += (x[r * d + a] - mean[a]) * (x[r * d + b] - mean[b]);
      return s / n;
    }),
  );
}

describe('min-max and z-score', () => {
  it('match the lecture formulas on hand-computed values', () => {
    // x = 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population variance 4, std 2 (a textbook example).
    const x = [2, 4, 4, 4, 5, 5, 7, 9];
    const s = columnStats(x);
    expect(s).toEqual({ count: 8, min: 2, max: 9, mean: 5, std: 2 });
    const z = fitScaler('z-score', s);
    expect(x.map((v) => applyScaler(z, v))).toEqual([-1.5, -0.5, -0.5, -0.5, 0, 0, 1, 2]);
    const m = fitScaler('min-max', s);
    expect(x.map((v) => applyScaler(m, v))).toEqual([0, 2 / 7, 2 / 7, 2 / 7, 3 / 7, 3 / 7, 5 / 7, 1]);
  });

  it('skip NaN (missing) entries', () => {
    expect(columnStats([1, NaN, 3])).toEqual({ count: 2, min: 1, max: 3, mean: 2, std: 1 });
  });

  it('a constant column scales to exactly 0 — also when its mean does not round-trip (0.1)', () => {
    const x = new Array(1000).fill(0.1);
    const s = columnStats(x);
    expect(s.std).toBe(0);
    for (const kind of ['z-score', 'min-max'] as const) {
      const p = fitScaler(kind, s);
      expect(p.scale).toBe(0);
      expect(x.every((v) => applyScaler(p, v) === 0)).toBe(true);
      expect(invertScaler(p, 0)).toBe(0.1);
    }
    const prep = prepareDataset(readCsv('constant_column.csv'), {
      featureScaling: 'z-score',
      split: { train: 1 },
    });
    for (let r = 0; r < prep.rows; r++) expect(prep.features[r * 2]).toBe(0);
  });

  it('the mean is accurate for large offsets (two-pass)', () => {
    const x = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16];
    const s = columnStats(x);
    expect(s.mean).toBe(1e9 + 10);
    expect(s.std).toBeCloseTo(Math.sqrt(22.5), 9);
  });
});

describe('ZCA whitening', () => {
  const rng = new Rng(7);
  const n = 500;
  const d = 4;
  // Correlated data: x = A·g + offset with a fixed mixing matrix A.
  const A = [
    [2, 0, 0, 0],
    [1, 1, 0, 0],
    [0.5, -1, 0.3, 0],
    [0, 0.2, 0.1, 3],
  ];
  const x = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    const g = [rng.normal(), rng.normal(), rng.normal(), rng.normal()];
    for (let a = 0; a < d; a++) x[r * d + a] = 10 * a + A[a].reduce((s, v, k) => s + v * g[k], 0);
  }
  const all = Int32Array.from({ length: n }, (_, i) => i);

  it('gives identity covariance (ε = 0) and a symmetric W', () => {
    const p = fitZca(x, d, all, 0);
    const y = Float64Array.from(x);
    applyZca(p, y);
    const c = covariance(y, n, d);
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) expect(c[a][b]).toBeCloseTo(a === b ? 1 : 0, 9);
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++) expect(p.whiten[a * d + b]).toBeCloseTo(p.whiten[b * d + a], 12);
    expect(p.rank).toBe(4);
  });

  it('W·Σ·W = I and W² = Σ⁻¹ (the defining property of the symmetric whitening matrix)', () => {
    const p = fitZca(x, d, all, 0);
    const S = covariance(x, n, d);
    const W = (a: number, b: number) => p.whiten[a * d + b];
    // (W·W)·Σ = I
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) {
        let s = 0;
        for (let k = 0; k < d; k++) for (let m = 0; m < d; m++) s += W(a, k) * W(k, m) * S[m][b];
        expect(s).toBeCloseTo(a === b ? 1 : 0, 9);
      }
    }
  });

  it('with ε > 0 the whitened variances are λ/(λ + ε) along the eigenvectors', () => {
    const eps = 0.5;
    const p = fitZca(x, d, all, eps);
    const y = Float64Array.from(x);
    applyZca(p, y);
    const c = covariance(y, n, d);
    // trace of Cov(Wx) = Σ λ/(λ+ε)
    const expected = p.eigenvalues.reduce((s, l) => s + l / (l + eps), 0);
    expect(c[0][0] + c[1][1] + c[2][2] + c[3][3]).toBeCloseTo(expected, 9);
  });

  it('inverse restores the data', () => {
    const p = fitZca(x, d, all, 1e-3);
    const y = Float64Array.from(x);
    applyZca(p, y);
    invertZca(p, y);
    expect(maxAbsDiff(y, x)).toBeLessThan(1e-9);
  });

  it('rank-deficient data: duplicate and constant columns give finite output with rank 2', () => {
    const m = 100;
    const z = new Float64Array(m * 4);
    for (let r = 0; r < m; r++) {
      const u = rng.normal();
      const v = rng.normal();
      z.set([u, 2 * u, v, 3], r * 4);
    }
    const p = fitZca(
      z,
      4,
      Int32Array.from({ length: m }, (_, i) => i),
      0,
    );
    expect(p.rank).toBe(2);
    const y = Float64Array.from(z);
    applyZca(p, y);
    expect(y.every(Number.isFinite)).toBe(true);
    const c = covariance(y, m, 4);
    // Cov(Wx) is the projector onto the data's span: trace = rank, idempotent.
    expect(c[0][0] + c[1][1] + c[2][2] + c[3][3]).toBeCloseTo(2, 9);
    expect(c[3][3]).toBeCloseTo(0, 12);
    invertZca(p, y);
    expect(maxAbsDiff(y, z)).toBeLessThan(1e-9);
  });

  it('is fitted on the training rows only (in prepareDataset)', () => {
    const t = readData('iris.csv');
    const p = prepareDataset(t, { featureScaling: 'zca', zcaEpsilon: 0 });
    const w = p.featureWidth;
    const train = new Float64Array(p.trainRows.length * w);
    p.trainRows.forEach((r, k) => train.set(p.features.subarray(r * w, r * w + w), k * w));
    const c = covariance(train, p.trainRows.length, w);
    for (let a = 0; a < w; a++) for (let b = 0; b < w; b++) expect(c[a][b]).toBeCloseTo(a === b ? 1 : 0, 4);
    // The validation rows are transformed with the same W, so their covariance is not exactly I.
    const back = inverseFeatures(p.recipe, p.features);
    const firstRow = [5.1, 3.5, 1.4, 0.2];
    firstRow.forEach((v, j) => expect(back[j]).toBeCloseTo(v, 4));
  });
});

describe('regression targets in original units', () => {
  it('target scaling is fitted on training rows and inverted exactly', () => {
    const t = readData('diabetes.csv');
    for (const kind of ['z-score', 'min-max'] as const) {
      const p = prepareDataset(t, { targetScaling: kind });
      const sc = p.recipe.targets[0].scaler;
      const trainY = Array.from(p.trainRows, (r) => t.columns[10].values[p.sourceRows[r] - 1]);
      const s = columnStats(trainY);
      expect(sc?.shift).toBeCloseTo(kind === 'z-score' ? s.mean : s.min, 10);
      const back = inverseTargets(p.recipe, p.targets);
      for (let k = 0; k < p.rows; k++)
        expect(back[k]).toBeCloseTo(t.columns[10].values[p.sourceRows[k] - 1], 3);
    }
  });

  it('several regression targets (linnerud) are scaled independently', () => {
    const p = prepareDataset(readData('linnerud.csv'), {
      targets: ['weight', 'waist', 'pulse'],
      targetScaling: 'z-score',
      split: { train: 1 },
    });
    expect(p.targetWidth).toBe(3);
    const back = inverseTargets(p.recipe, p.targets);
    expect(Array.from(back.subarray(0, 3)).map((v) => Math.round(v * 1e4) / 1e4)).toEqual([191, 36, 50]);
  });

  it('inverseTargets refuses a classification recipe', () => {
    const p = prepareDataset(readData('iris.csv'));
    expect(() => inverseTargets(p.recipe, [0])).toThrow(/classification/);
  });
});

it('the importer handles negative zero and exponents in scaling input', () => {
  const t = readTable('a,y\n-0,1\n1e0,2\n2E0,3\n');
  const p = prepareDataset(t, { featureScaling: 'min-max', split: { train: 1 } });
  expect(Array.from(p.features)).toEqual([0, 0.5, 1]);
});
