import { describe, it, expect } from 'vitest';
import { symmetricEigen } from '../../../engine/linalg/eigh';
import { Rng } from '../../../engine/random/rng';

function randomSymmetric(n: number, rng: Rng): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      const v = rng.normal();
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  return a;
}

/** max_k ‖A v_k − λ_k v_k‖ and max |VᵀV − I|, computed directly. */
function residuals(a: Float64Array, n: number, values: Float64Array, vectors: Float64Array) {
  let eig = 0;
  let orth = 0;
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let j = 0; j < n; j++) av += a[i * n + j] * vectors[j * n + k];
      eig = Math.max(eig, Math.abs(av - values[k] * vectors[i * n + k]));
    }
    for (let m = 0; m < n; m++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += vectors[i * n + k] * vectors[i * n + m];
      orth = Math.max(orth, Math.abs(dot - (k === m ? 1 : 0)));
    }
  }
  return { eig, orth };
}

describe('symmetricEigen', () => {
  it('satisfies A·v = λv with orthonormal eigenvectors and ascending values on random matrices', () => {
    const rng = new Rng(7);
    for (const n of [1, 2, 3, 5, 10, 33, 64]) {
      const a = randomSymmetric(n, rng);
      const { values, vectors } = symmetricEigen(a, n);
      const { eig, orth } = residuals(a, n, values, vectors);
      expect(eig).toBeLessThan(1e-10 * n);
      expect(orth).toBeLessThan(1e-12 * n);
      for (let k = 1; k < n; k++) expect(values[k]).toBeGreaterThanOrEqual(values[k - 1]);
      // trace = Σλ
      let tr = 0;
      let sum = 0;
      for (let i = 0; i < n; i++) tr += a[i * n + i];
      for (const v of values) sum += v;
      expect(sum).toBeCloseTo(tr, 9);
    }
  });

  it('matches the closed form of a 2×2 matrix', () => {
    // [[2,1],[1,2]] has eigenvalues 1 and 3 with vectors (1,−1)/√2 and (1,1)/√2.
    const { values, vectors } = symmetricEigen(new Float64Array([2, 1, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(1, 14);
    expect(values[1]).toBeCloseTo(3, 14);
    expect(Math.abs(vectors[0 * 2 + 1])).toBeCloseTo(Math.SQRT1_2, 14);
    expect(vectors[0 * 2 + 1] * vectors[1 * 2 + 1]).toBeGreaterThan(0);
    expect(vectors[0 * 2 + 0] * vectors[1 * 2 + 0]).toBeLessThan(0);
  });

  it('handles repeated eigenvalues, diagonal, zero and rank-deficient matrices', () => {
    const n = 6;
    // Q diag(1,1,1,5,5,0) Qᵀ built from a random orthogonal Q (from another decomposition).
    const rng = new Rng(3);
    const q = symmetricEigen(randomSymmetric(n, rng), n).vectors;
    const lam = [1, 1, 1, 5, 5, 0];
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += q[i * n + k] * lam[k] * q[j * n + k];
        a[i * n + j] = s;
      }
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[i * n + j] = a[j * n + i];
    const r = symmetricEigen(a, n);
    expect(Array.from(r.values).map((v) => Math.round(v * 1e9) / 1e9 + 0)).toEqual([0, 1, 1, 1, 5, 5]);
    const res = residuals(a, n, r.values, r.vectors);
    expect(res.eig).toBeLessThan(1e-12);
    expect(res.orth).toBeLessThan(1e-12);

    const diag = new Float64Array([3, 0, 0, 0, -1, 0, 0, 0, 2]);
    expect(Array.from(symmetricEigen(diag, 3).values)).toEqual([-1, 2, 3]);
    const zero = symmetricEigen(new Float64Array(16), 4);
    expect(Array.from(zero.values)).toEqual([0, 0, 0, 0]);
    expect(residuals(new Float64Array(16), 4, zero.values, zero.vectors).orth).toBeLessThan(1e-15);
    expect(symmetricEigen(new Float64Array(0), 0).values.length).toBe(0);
  });

  it('does not modify its input', () => {
    const a = new Float64Array([4, 1, 2, 1, 3, 0, 2, 0, 1]);
    const copy = a.slice();
    symmetricEigen(a, 3);
    expect(Array.from(a)).toEqual(Array.from(copy));
  });

  it('rejects bad input with a clear error', () => {
    expect(() => symmetricEigen(new Float64Array(3), 2)).toThrow(/expected n² = 4/);
    expect(() => symmetricEigen(new Float64Array([1, 2, 3, 4]), 2)).toThrow(/not symmetric at \(1, 0\)/);
    expect(() => symmetricEigen(new Float64Array([1, NaN, NaN, 1]), 2)).toThrow(/entry \(0, 1\) is NaN/);
    expect(() => symmetricEigen(new Float64Array(1), -1)).toThrow(/non-negative integer/);
  });
});
