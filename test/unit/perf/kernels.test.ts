/**
 * Fast CPU kernels (engine/backend/cpu-kernels.ts, wasm/gemm.ts) against the reference kernels
 * (engine/backend/cpu-reference.ts) and against float64 products computed here, on random and edge
 * shapes: 1×1, primes, non-multiples of the 4×8 register tile, k across the 256 k-block.
 */
import { describe, expect, it } from 'vitest';
import { CPU_KERNELS, setWasmGemm, WASM_MIN_FLOPS } from '../../../engine/backend/cpu-kernels';
import { REFERENCE_KERNELS } from '../../../engine/backend/cpu-reference';
import { gemmModuleBytes, gemmWasm, wasmGemmAvailable } from '../../../engine/backend/wasm/gemm';
import { Rng } from '../../../engine/random/rng';

const rng = new Rng(1234);
const rand = (n: number) => Float32Array.from({ length: n }, () => rng.uniform(-1, 1));

/** float64 product of the float32 inputs, straight from the definition C[i,j] = Σ_p op(A)[i,p]·op(B)[p,j]. */
function product64(
  a: Float32Array,
  b: Float32Array,
  m: number,
  n: number,
  k: number,
  tA: boolean,
  tB: boolean,
) {
  const c = new Float64Array(m * n);
  const bound = new Float64Array(m * n); // Σ |a||b|: scale of the rounding error
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      let t = 0;
      for (let p = 0; p < k; p++) {
        const x = tA ? a[p * m + i] : a[i * k + p];
        const y = tB ? b[j * k + p] : b[p * n + j];
        s += x * y;
        t += Math.abs(x * y);
      }
      c[i * n + j] = s;
      bound[i * n + j] = t;
    }
  return { c, bound };
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 8, 1],
  [4, 8, 1],
  [3, 5, 7],
  [7, 13, 11],
  [17, 9, 257],
  [5, 31, 513],
  [32, 64, 64],
  [64, 10, 128],
  [129, 33, 300],
];
const LAYOUTS: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

describe('WebAssembly SIMD GEMM', () => {
  it('the generated module is valid WebAssembly with SIMD in this runtime', () => {
    expect(WebAssembly.validate(gemmModuleBytes())).toBe(true);
    expect(wasmGemmAvailable()).toBe(true);
  });

  for (const [m, n, k] of SHAPES) {
    for (const [tA, tB] of LAYOUTS) {
      it(`[${m}×${k}]·[${k}×${n}] transA=${tA} transB=${tB} matches the float64 product`, () => {
        const a = rand(m * k);
        const b = rand(k * n);
        const out = new Float32Array(m * n).fill(NaN); // stale pool contents must be overwritten
        gemmWasm(a, b, out, m, n, k, tA, tB);
        const { c, bound } = product64(a, b, m, n, k, tA, tB);
        for (let i = 0; i < m * n; i++) {
          // float32 accumulation: |error| ≤ k·u·Σ|a||b| (u = 2⁻²⁴), plus the final rounding.
          const tol = (k + 2) * 2 ** -24 * bound[i] + 1e-30;
          if (!(Math.abs(out[i] - c[i]) <= tol)) {
            throw new Error(`element ${i}: got ${out[i]}, float64 ${c[i]}, tolerance ${tol}`);
          }
        }
      });
    }
  }

  it('k = 0 gives zeros; repeated calls with shrinking and growing shapes stay correct', () => {
    const out = new Float32Array(6).fill(7);
    gemmWasm(new Float32Array(0), new Float32Array(0), out, 2, 3, 0, false, false);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
    for (const [m, n, k] of [
      [40, 40, 40],
      [3, 3, 3],
      [90, 20, 300],
    ]) {
      const a = rand(m * k);
      const b = rand(k * n);
      const o = new Float32Array(m * n);
      gemmWasm(a, b, o, m, n, k, false, false);
      const { c } = product64(a, b, m, n, k, false, false);
      for (let i = 0; i < m * n; i++) expect(Math.abs(o[i] - c[i])).toBeLessThan(1e-4 * k);
    }
  });

  it('is deterministic: the same inputs give bit-identical outputs', () => {
    const a = rand(37 * 300);
    const b = rand(300 * 29);
    const o1 = new Float32Array(37 * 29);
    const o2 = new Float32Array(37 * 29);
    gemmWasm(a, b, o1, 37, 29, 300, false, true);
    gemmWasm(
      new Float32Array(1000),
      new Float32Array(1000),
      new Float32Array(100),
      10,
      10,
      100,
      false,
      false,
    );
    gemmWasm(a, b, o2, 37, 29, 300, false, true);
    expect(Array.from(o2)).toEqual(Array.from(o1));
  });
});

describe('CPU kernel table: fast vs reference', () => {
  it('matmul dispatches to the GEMM above the threshold and agrees with the reference kernel', () => {
    // The shapes below cover both sides of the dispatch threshold.
    expect(64 * 32 * 64).toBeGreaterThanOrEqual(WASM_MIN_FLOPS);
    expect(2 * 4 * 2).toBeLessThan(WASM_MIN_FLOPS);
    for (const [m, n, k] of [
      [64, 32, 64],
      [2, 4, 2],
      [33, 65, 17],
    ]) {
      for (const [tA, tB] of LAYOUTS) {
        const a = rand(m * k);
        const b = rand(k * n);
        const shapes = [tA ? [k, m] : [m, k], tB ? [n, k] : [k, n]];
        const fast = new Float32Array(m * n);
        const ref = new Float32Array(m * n);
        CPU_KERNELS.matmul([a, b], shapes, fast, [m, n], { transA: tA, transB: tB });
        REFERENCE_KERNELS.matmul([a, b], shapes, ref, [m, n], { transA: tA, transB: tB });
        for (let i = 0; i < m * n; i++) expect(Math.abs(fast[i] - ref[i])).toBeLessThan(1e-5 * k);
      }
    }
  });

  it('setWasmGemm(false) falls back to the plain loops (identical to the reference)', () => {
    const old = setWasmGemm(false);
    try {
      const a = rand(64 * 64);
      const b = rand(64 * 64);
      const fast = new Float32Array(64 * 64);
      const ref = new Float32Array(64 * 64);
      CPU_KERNELS.matmul(
        [a, b],
        [
          [64, 64],
          [64, 64],
        ],
        fast,
        [64, 64],
        { transA: false, transB: false },
      );
      REFERENCE_KERNELS.matmul(
        [a, b],
        [
          [64, 64],
          [64, 64],
        ],
        ref,
        [64, 64],
        { transA: false, transB: false },
      );
      expect(Array.from(fast)).toEqual(Array.from(ref));
    } finally {
      setWasmGemm(old);
    }
  });

  const BIN = ['add', 'sub', 'mul', 'div', 'greater'] as const;
  const CASES: [number[], number[], number[]][] = [
    [
      [5, 3],
      [5, 3],
      [5, 3],
    ], // equal
    [[5, 3], [], [5, 3]], // scalar b
    [[1], [4, 2], [4, 2]], // scalar a
    [[6, 7], [7], [6, 7]], // row-broadcast b (bias)
    [
      [1, 7],
      [6, 7],
      [6, 7],
    ], // row-broadcast a
    [
      [6, 1],
      [6, 7],
      [6, 7],
    ], // column broadcast: reference path
    [
      [1, 1],
      [1, 1],
      [1, 1],
    ],
  ];
  for (const op of BIN) {
    it(`${op} equals the reference exactly on every broadcast case`, () => {
      for (const [sa, sb, so] of CASES) {
        const na = sa.reduce((x, y) => x * y, 1);
        const nb = sb.reduce((x, y) => x * y, 1);
        const no = so.reduce((x, y) => x * y, 1);
        for (const dt of [Float32Array, Float64Array]) {
          const a = dt.from(rand(na));
          const b = dt.from(Array.from(rand(nb), (v) => (op === 'div' ? v + 2 : v)));
          const f = new dt(no).fill(NaN);
          const r = new dt(no).fill(NaN);
          CPU_KERNELS[op]([a, b], [sa, sb], f, so, {} as never);
          REFERENCE_KERNELS[op]([a, b], [sa, sb], r, so, {} as never);
          expect(Array.from(f)).toEqual(Array.from(r));
        }
      }
    });
  }

  it('add may write its first input in place (same-shape accumulate)', () => {
    const a = Float32Array.from([1, 2, 3]);
    CPU_KERNELS.add([a, Float32Array.from([10, 20, 30])], [[3], [3]], a, [3], {} as never);
    expect(Array.from(a)).toEqual([11, 22, 33]);
  });

  it('where, unary functions and row/column sums equal the reference', () => {
    const x = Float64Array.from(rand(24), (v, i) => (i === 3 ? 0 : i === 5 ? 800 : i === 6 ? -800 : v * 5));
    const c = Float64Array.from(x, (v) => (v > 0 ? 1 : 0));
    for (const [cs, as, bs] of [
      [[24], [24], []],
      [[24], [], [24]],
      [[], [24], [24]],
      [[24], [24], [24]],
      [[4, 6], [6], [4, 6]],
    ] as number[][][]) {
      const pick = (s: number[], v: Float64Array) =>
        v.subarray(
          0,
          s.reduce((p, q) => p * q, 1),
        );
      const ins = [
        pick(cs, c),
        pick(as, x),
        pick(
          bs,
          Float64Array.from(x, (v) => -v),
        ),
      ];
      const f = new Float64Array(24);
      const r = new Float64Array(24);
      const os = cs.length === 2 || as.length === 2 || bs.length === 2 ? [4, 6] : [24];
      CPU_KERNELS.where(ins, [cs, as, bs], f, os, {} as never);
      REFERENCE_KERNELS.where(ins, [cs, as, bs], r, os, {} as never);
      expect(Array.from(f)).toEqual(Array.from(r));
    }
    for (const op of ['exp', 'log', 'neg', 'tanh', 'sigmoid'] as const) {
      const f = new Float64Array(24);
      const r = new Float64Array(24);
      const inp = op === 'log' ? Float64Array.from(x, Math.abs) : x;
      CPU_KERNELS[op]([inp], [[24]], f, [24], {} as never);
      REFERENCE_KERNELS[op]([inp], [[24]], r, [24], {} as never);
      expect(Array.from(f)).toEqual(Array.from(r));
    }
    const m = Float64Array.from(rand(35));
    for (const axes of [[0], [1], [0, 1]]) {
      const outShape = axes.length === 2 ? [] : axes[0] === 0 ? [7] : [5];
      const n = axes.length === 2 ? 1 : outShape[0];
      const f = new Float64Array(n).fill(NaN);
      const r = new Float64Array(n).fill(NaN);
      CPU_KERNELS.sum([m], [[5, 7]], f, outShape, { axes, keepDims: false });
      REFERENCE_KERNELS.sum([m], [[5, 7]], r, outShape, { axes, keepDims: false });
      for (let i = 0; i < n; i++) expect(f[i]).toBeCloseTo(r[i], 12);
    }
  });
});
