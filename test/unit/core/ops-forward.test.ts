/** Forward values of every primitive against closed forms computed independently here. */
import { describe, expect, it } from 'vitest';
import * as E from '../../../engine/index';
import { Rng } from '../../../engine/random/rng';
import { expectClose, rand64, t64 } from './helpers';

const xs = [-2.5, -1, -0.3, 0.2, 0.7, 1.5, 3];

describe('elementwise unary primitives (float64)', () => {
  const cases: [string, (t: E.Tensor) => E.Tensor, (x: number) => number, number[]][] = [
    ['neg', E.neg, (x) => -x, xs],
    ['reciprocal', E.reciprocal, (x) => 1 / x, xs],
    ['exp', E.exp, Math.exp, xs],
    ['log', E.log, Math.log, [0.1, 0.5, 1, 2, 10]],
    ['log1p', E.log1p, Math.log1p, [-0.5, 1e-10, 0.3, 4]],
    ['expm1', E.expm1, Math.expm1, [-2, 1e-10, 0.3, 4]],
    ['sqrt', E.sqrt, Math.sqrt, [0, 0.25, 2, 9]],
    ['tanh', E.tanh, Math.tanh, xs],
    ['sigmoid', E.sigmoid, (x) => 1 / (1 + Math.exp(-x)), xs],
    ['abs', E.abs, Math.abs, xs],
    ['sign', E.sign, Math.sign, [...xs, 0]],
  ];
  for (const [name, op, ref, pts] of cases) {
    it(name, () => {
      expectClose(op(t64(pts)).dataSync(), pts.map(ref), 1e-14);
    });
  }

  it('sigmoid is finite and exact in both tails (float32 and float64)', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const y = E.sigmoid(E.tensor([-1000, -40, 0, 40, 1000], [5], { dtype })).dataSync();
      expect(Array.from(y).every(Number.isFinite)).toBe(true);
      expect(y[0]).toBe(0);
      expect(y[2]).toBe(0.5);
      expect(y[4]).toBe(1);
    }
    // Far left tail keeps relative precision: σ(−40) = e^{−40}/(1+e^{−40}).
    expect(E.sigmoid(t64([-40])).item()).toBeCloseTo(Math.exp(-40) / (1 + Math.exp(-40)), 30);
  });

  it('erf matches an independent Simpson integration of 2/√π e^{−t²}', () => {
    const simpson = (x: number): number => {
      const n = 2000;
      const h = x / n;
      let s = 1 + Math.exp(-x * x);
      for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * Math.exp(-((i * h) ** 2));
      return ((s * h) / 3) * (2 / Math.sqrt(Math.PI));
    };
    const pts = [-4, -1.3, -0.2, 0.05, 0.5, 1, 2.2, 2.99, 3.01, 5];
    expectClose(E.erf(t64(pts)).dataSync(), pts.map(simpson), 1e-13);
    // Tabulated values (Abramowitz & Stegun table 7.1).
    expect(E.erf(t64([1])).item()).toBeCloseTo(0.8427007929497149, 15);
    expect(E.erf(t64([0.5])).item()).toBeCloseTo(0.5204998778130465, 15);
    expect(E.erf(t64([Infinity, -Infinity])).dataSync()).toEqual(new Float64Array([1, -1]));
  });
});

describe('binary primitives and broadcasting', () => {
  const a = t64([1, -2, 3, 4, 0.5, -6], [2, 3]);
  const b = t64([2, 5, -1], [3]);
  const ref = (f: (x: number, y: number) => number): number[] => [
    f(1, 2),
    f(-2, 5),
    f(3, -1),
    f(4, 2),
    f(0.5, 5),
    f(-6, -1),
  ];
  it('add/sub/mul/div/maximum broadcast a row over a matrix', () => {
    expectClose(
      E.add(a, b).dataSync(),
      ref((x, y) => x + y),
    );
    expectClose(
      E.sub(a, b).dataSync(),
      ref((x, y) => x - y),
    );
    expectClose(
      E.mul(a, b).dataSync(),
      ref((x, y) => x * y),
    );
    expectClose(
      E.div(a, b).dataSync(),
      ref((x, y) => x / y),
    );
    expectClose(E.maximum(a, b).dataSync(), ref(Math.max));
    expectClose(E.minimum(a, b).dataSync(), ref(Math.min));
    expect(E.add(a, b).shape).toEqual([2, 3]);
  });

  it('column [2,1] with row [1,3] gives an outer table; scalars and numbers broadcast', () => {
    const c = t64([10, 20], [2, 1]);
    const r = t64([1, 2, 3], [1, 3]);
    expect(E.add(c, r).toArray()).toEqual([
      [11, 12, 13],
      [21, 22, 23],
    ]);
    expect(E.sub(r, c).toArray()).toEqual([
      [-9, -8, -7],
      [-19, -18, -17],
    ]);
    expect(E.mul(2, r).toArray()).toEqual([[2, 4, 6]]);
    expect(E.sub(1, E.scalar(0.25, { dtype: 'float64' })).item()).toBe(0.75);
  });

  it('general broadcast [2,1,3] with [4,1] (odometer path)', () => {
    const rng = new Rng(3);
    const x = rand64(rng, [2, 1, 3]);
    const y = rand64(rng, [4, 1]);
    const out = E.mul(x, y);
    expect(out.shape).toEqual([2, 4, 3]);
    const xd = x.dataSync();
    const yd = y.dataSync();
    const od = out.dataSync();
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 4; j++)
        for (let k = 0; k < 3; k++) expect(od[i * 12 + j * 3 + k]).toBe(xd[i * 3 + k] * yd[j]);
  });

  it('compare ops give 0/1 masks; where selects with broadcasting', () => {
    const x = t64([-1, 0, 2]);
    expect(Array.from(E.greater(x, 0).dataSync())).toEqual([0, 0, 1]);
    expect(Array.from(E.greaterEqual(x, 0).dataSync())).toEqual([0, 1, 1]);
    expect(Array.from(E.equal(x, 0).dataSync())).toEqual([0, 1, 0]);
    expect(Array.from(E.less(x, 0).dataSync())).toEqual([1, 0, 0]);
    expect(Array.from(E.lessEqual(x, 0).dataSync())).toEqual([1, 1, 0]);
    expect(Array.from(E.where(E.greater(x, 0), x, E.mul(x, 0.1)).dataSync())).toEqual([-0.1, 0, 2]);
    const cond = t64([1, 0], [2, 1]);
    expect(E.where(cond, t64([1, 2, 3], [3]), -1).toArray()).toEqual([
      [1, 2, 3],
      [-1, -1, -1],
    ]);
  });

  it('rejects mixed dtypes, incompatible shapes and two numbers', () => {
    const f32 = E.tensor([1, 2, 3]);
    expect(() => E.add(f32, t64([1, 2, 3]))).toThrow(/float64 but input 0 is float32/);
    expect(() => E.add(a, t64([1, 2]))).toThrow(/add: shapes \[2, 3\] and \[2\] cannot be broadcast/);
    expect(() => E.add(1 as never, 2 as never)).toThrow(/at least one operand must be a Tensor/);
  });
});

describe('reductions', () => {
  const x = t64([1, 5, 3, -2, 8, 0], [2, 3]);
  it('sum over all / rows / columns, keepDims', () => {
    expect(E.sum(x).item()).toBe(15);
    expect(E.sum(x).shape).toEqual([]);
    expect(Array.from(E.sum(x, 1).dataSync())).toEqual([9, 6]);
    expect(Array.from(E.sum(x, 0).dataSync())).toEqual([-1, 13, 3]);
    expect(E.sum(x, -1, true).shape).toEqual([2, 1]);
    expect(E.mean(x, 0).toArray()).toEqual([-0.5, 6.5, 1.5]);
  });
  it('max / min over axes', () => {
    expect(E.max(x).item()).toBe(8);
    expect(Array.from(E.max(x, 1).dataSync())).toEqual([5, 8]);
    expect(Array.from(E.max(x, 0).dataSync())).toEqual([1, 8, 3]);
    expect(Array.from(E.min(x, 1).dataSync())).toEqual([1, -2]);
    expect(() => E.max(E.zeros([2, 0], { dtype: 'float64' }), 1)).toThrow(/empty axis/);
  });
  it('3-D reduction over the middle axis', () => {
    const rng = new Rng(5);
    const y = rand64(rng, [2, 3, 4]);
    const d = y.dataSync();
    const s = E.sum(y, 1).dataSync();
    for (let i = 0; i < 2; i++)
      for (let k = 0; k < 4; k++) {
        let acc = 0;
        for (let j = 0; j < 3; j++) acc += d[i * 12 + j * 4 + k];
        expect(s[i * 4 + k]).toBeCloseTo(acc, 14);
      }
  });
  it('logSumExp is stable for large logits', () => {
    const l = t64([1000, 1000, -1000, 0], [2, 2]);
    const r = E.logSumExp(l, 1).dataSync();
    expect(r[0]).toBeCloseTo(1000 + Math.log(2), 12);
    expect(r[1]).toBeCloseTo(Math.log(1 + Math.exp(-1000)), 12);
  });
});

describe('matmul in the three backprop layouts', () => {
  const rng = new Rng(11);
  const A = rand64(rng, [3, 4]);
  const B = rand64(rng, [4, 5]);
  const naive = (
    a: Float64Array | Float32Array,
    b: Float64Array | Float32Array,
    m: number,
    k: number,
    n: number,
  ): number[] => {
    const out: number[] = [];
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
        out.push(s);
      }
    return out;
  };
  const ref = naive(A.dataSync(), B.dataSync(), 3, 4, 5);
  it('A·B', () => expectClose(E.matmul(A, B).dataSync(), ref));
  it('Aᵀ·B via transA', () => expectClose(E.matmul(E.transpose(A), B, { transA: true }).dataSync(), ref));
  it('A·Bᵀ via transB', () => expectClose(E.matmul(A, E.transpose(B), { transB: true }).dataSync(), ref));
  it('Aᵀ·Bᵀ', () =>
    expectClose(E.matmul(E.transpose(A), E.transpose(B), { transA: true, transB: true }).dataSync(), ref));
  it('errors name the shapes', () => {
    expect(() => E.matmul(A, A)).toThrow(
      /matmul: inner dimensions differ: A \[3, 4\] · B \[3, 4\] \(4 vs 3\)/,
    );
    expect(() => E.matmul(t64([1, 2]), A)).toThrow(/needs 2-D/);
  });
});

describe('layout primitives', () => {
  const x = t64([0, 1, 2, 3, 4, 5], [2, 3]);
  it('reshape (with −1), transpose, broadcastTo', () => {
    expect(E.reshape(x, [3, -1]).toArray()).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expect(E.transpose(x).toArray()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    const y = t64(
      Array.from({ length: 24 }, (_, i) => i),
      [2, 3, 4],
    );
    const z = E.transpose(y, [2, 0, 1]);
    expect(z.shape).toEqual([4, 2, 3]);
    const zd = z.dataSync();
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++)
        for (let k = 0; k < 4; k++) expect(zd[k * 6 + i * 3 + j]).toBe(i * 12 + j * 4 + k);
    expect(E.broadcastTo(t64([7, 8], [2, 1]), [2, 2]).toArray()).toEqual([
      [7, 7],
      [8, 8],
    ]);
    expect(() => E.reshape(x, [4, 2])).toThrow(/cannot reshape \[2, 3\]/);
    expect(() => E.broadcastTo(x, [3, 3])).toThrow(/cannot be broadcast/);
  });
  it('slice, pad, concat', () => {
    expect(E.slice(x, [0, 1], [2, 2]).toArray()).toEqual([
      [1, 2],
      [4, 5],
    ]);
    expect(E.slice(x, [1, 0], [-1, -1]).toArray()).toEqual([[3, 4, 5]]);
    expect(E.pad(t64([1, 2], [1, 2]), [1, 0], [0, 2]).toArray()).toEqual([
      [0, 0, 0, 0],
      [1, 2, 0, 0],
    ]);
    expect(E.concat([x, t64([9, 9], [2, 1])], 1).toArray()).toEqual([
      [0, 1, 2, 9],
      [3, 4, 5, 9],
    ]);
    expect(E.concat([x, x], 0).shape).toEqual([4, 3]);
    expect(() => E.slice(x, [0, 2], [1, 2])).toThrow(/outside/);
    expect(() => E.concat([x, t64([1, 2, 3])], 0)).toThrow(/incompatible/);
  });
  it('gather and scatterAdd (per-row class pick)', () => {
    expect(E.gather(x, [1, 0, 1], 0).toArray()).toEqual([
      [3, 4, 5],
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(E.gather(x, [2, 0], 1).toArray()).toEqual([
      [2, 0],
      [5, 3],
    ]);
    // Row i picks class y[i]: logits [2,3], y = [2, 0] → [2, 3].
    expect(Array.from(E.gather(E.reshape(x, [6]), [0 * 3 + 2, 1 * 3 + 0]).dataSync())).toEqual([2, 3]);
    expect(Array.from(E.scatterAdd(t64([1, 2, 3]), [2, 0, 2], 0, 4).dataSync())).toEqual([2, 0, 4, 0]);
    expect(() => E.gather(x, [2], 0)).toThrow(/index 2 at position 0 is outside \[0, 2\)/);
  });
});

describe('float32 path', () => {
  it('computes in float32 with float32 rounding', () => {
    const a = E.tensor([0.1, 0.2]);
    const s = E.add(a, 0.2).dataSync();
    expect(s).toBeInstanceOf(Float32Array);
    expect(s[0]).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
  });
});
