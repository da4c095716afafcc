/**
 * The case list of the backend-parameterised op suite, shared by the vitest suite on Dawn/Mesa
 * (test/unit/webgpu/ops.test.ts) and the Chromium/SwiftShader suite (test/e2e/webgpu-ops.spec.ts,
 * through test/e2e/webgpu-ops/entry.ts) so that the two cannot drift. Every primitive (and the
 * compositions built from them) has a float64 JS reference computed independently here; GRAD_CASES
 * are scalar losses whose gradients exercise every VJP rule. Nothing here may import Node, vitest
 * or DOM APIs: the file is bundled for the browser.
 */
import type { Backend } from '../../../engine/backend/types';
import * as E from '../../../engine/index';
import { bce, crossEntropyWithLogits } from '../../../engine/losses';
import { dense, relu } from '../../../engine/nn';
import { Rng } from '../../../engine/random/rng';

export type Arr = Float32Array;
export interface Case {
  name: string;
  /** Input shapes with value ranges (values are rounded to float32 before the reference sees them). */
  inputs: { shape: number[]; lo?: number; hi?: number; ints?: number }[];
  f: (t: E.Tensor[]) => E.Tensor;
  ref: (x: Arr[]) => ArrayLike<number>;
  bigReduction?: boolean;
  /**
   * Extra absolute slack per element against the float64 reference, for long float32 sums: the
   * rounding error of a k-term dot product is ≈ √k·2⁻²⁴·Σ|terms| (both backends accumulate in float32).
   */
  slack?: (x: Arr[]) => ArrayLike<number>;
}

export const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const strides = (s: readonly number[]) => {
  const r = new Array<number>(s.length);
  let acc = 1;
  for (let i = s.length - 1; i >= 0; i--) {
    r[i] = acc;
    acc *= s[i];
  }
  return r;
};
/** Multi-index of flat position o in shape s. */
const unravel = (o: number, s: readonly number[]) => {
  const st = strides(s);
  return s.map((_d, i) => Math.floor(o / st[i]) % s[i]);
};
/** Value of x (shape xs) at the broadcast multi-index idx of a larger output. */
function bAt(x: Arr, xs: readonly number[], idx: number[]): number {
  const off = idx.length - xs.length;
  const st = strides(xs);
  let p = 0;
  for (let i = 0; i < xs.length; i++) p += (xs[i] === 1 ? 0 : idx[i + off]) * st[i];
  return x[p];
}
function bShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_x, i) => {
    const da = a[i - (n - a.length)] ?? 1;
    const db = b[i - (n - b.length)] ?? 1;
    return Math.max(da, db);
  });
}
function binRef(sa: number[], sb: number[], f: (x: number, y: number) => number) {
  return ([a, b]: Arr[]) => {
    const os = bShape(sa, sb);
    return Array.from({ length: size(os) }, (_x, o) => {
      const idx = unravel(o, os);
      return f(bAt(a, sa, idx), bAt(b, sb, idx));
    });
  };
}
function reduceRef(s: number[], axes: number[], isMax: boolean) {
  return ([x]: Arr[]) => {
    const ks = s.map((d, i) => (axes.includes(i) ? 1 : d));
    const out = new Array<number>(size(ks)).fill(isMax ? -Infinity : 0);
    const kst = strides(ks);
    for (let i = 0; i < x.length; i++) {
      const idx = unravel(i, s);
      let q = 0;
      idx.forEach((v, d) => (q += (axes.includes(d) ? 0 : v) * kst[d]));
      out[q] = isMax ? Math.max(out[q], x[i]) : out[q] + x[i];
    }
    return out;
  };
}
function matmulRef(m: number, n: number, k: number, ta: boolean, tb: boolean) {
  return ([a, b]: Arr[]) => {
    const out = new Array<number>(m * n).fill(0);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++)
          s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
        out[i * n + j] = s;
      }
    return out;
  };
}
const erfRef = (x: number): number => {
  // Simpson integration of 2/√π e^{−t²} (independent of both implementations).
  const n = 2000;
  const h = x / n;
  let s = 1 + Math.exp(-x * x);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * Math.exp(-((i * h) ** 2));
  return ((s * h) / 3) * (2 / Math.sqrt(Math.PI));
};
const sigm = (x: number) => 1 / (1 + Math.exp(-x));

const unary = (
  name: string,
  f: (t: E.Tensor) => E.Tensor,
  r: (x: number) => number,
  lo = -3,
  hi = 3,
): Case => ({
  name,
  inputs: [{ shape: [7, 13], lo, hi }],
  f: ([x]) => f(x),
  ref: ([x]) => Array.from(x, r),
});

export const CASES: Case[] = [
  unary('neg', E.neg, (x) => -x),
  unary('reciprocal', E.reciprocal, (x) => 1 / x, 0.2, 4),
  unary('exp', E.exp, Math.exp),
  unary('log', E.log, Math.log, 0.01, 10),
  unary('log1p (incl. tiny x)', E.log1p, Math.log1p, -0.9, 1e-3),
  unary('log1p', E.log1p, Math.log1p, -0.5, 20),
  unary('expm1 (tiny x)', E.expm1, Math.expm1, -1e-3, 1e-3),
  unary('expm1', E.expm1, Math.expm1, -5, 5),
  unary('sqrt', E.sqrt, Math.sqrt, 0, 9),
  unary('tanh', E.tanh, Math.tanh, -6, 6),
  unary('tanh (near 0)', E.tanh, Math.tanh, -0.2, 0.2),
  unary('sigmoid', E.sigmoid, sigm, -12, 12),
  unary('erf', E.erf, erfRef, -3, 3),
  unary('erf (near 0)', E.erf, erfRef, -0.6, 0.6),
  unary('abs', E.abs, Math.abs),
  unary('sign', E.sign, Math.sign),
  {
    name: 'tanh/sigmoid/exp tails stay finite (±1000)',
    inputs: [{ shape: [6], lo: 0, hi: 0 }],
    f: ([x]) => {
      const v = E.add(x, E.tensor([-1000, -80, -20, 20, 80, 1000], [6], { backend: x.backend }));
      return E.concat([E.tanh(v), E.sigmoid(v), E.expm1(E.neg(E.abs(v)))], 0);
    },
    ref: () => {
      const v = [-1000, -80, -20, 20, 80, 1000];
      return [...v.map(Math.tanh), ...v.map(sigm), ...v.map((x) => Math.expm1(-Math.abs(x)))];
    },
  },
  ...(['add', 'sub', 'mul', 'div', 'maximum', 'greater', 'greaterEqual', 'equal'] as const).flatMap((op) => {
    const fns: Record<string, (x: number, y: number) => number> = {
      add: (x, y) => x + y,
      sub: (x, y) => x - y,
      mul: (x, y) => x * y,
      div: (x, y) => x / y,
      maximum: Math.max,
      greater: (x, y) => +(x > y),
      greaterEqual: (x, y) => +(x >= y),
      equal: (x, y) => +(x === y),
    };
    const shapes: [number[], number[]][] = [
      [
        [5, 6],
        [5, 6],
      ],
      [[5, 6], [6]],
      [
        [5, 1],
        [1, 6],
      ],
      [[], [3, 4]],
      [
        [2, 1, 4],
        [3, 1],
      ],
    ];
    // Integers in a small range so that comparisons see ties; division keeps away from 0.
    return shapes.map(([sa, sb]): Case => ({
      name: `${op} [${sa}] ∘ [${sb}]`,
      inputs: [
        { shape: sa, ints: 3 },
        { shape: sb, ints: 3, lo: op === 'div' ? 1 : undefined },
      ],
      f: ([a, b]) => (E as unknown as Record<string, (a: E.Tensor, b: E.Tensor) => E.Tensor>)[op](a, b),
      ref: binRef(sa, sb, fns[op]),
    }));
  }),
  {
    name: 'where with broadcasting condition and branches',
    inputs: [{ shape: [4, 1], ints: 1, lo: 0 }, { shape: [4, 5] }, { shape: [5] }],
    f: ([c, a, b]) => E.where(c, a, b),
    ref: ([c, a, b]) => Array.from({ length: 20 }, (_x, o) => (c[Math.floor(o / 5)] !== 0 ? a[o] : b[o % 5])),
  },
  ...(
    [
      [[6, 7], [0], false],
      [[6, 7], [1], true],
      [[6, 7], [0, 1], false],
      [[3, 4, 5], [1], false],
      [[3, 4, 5], [0, 2], true],
      [[2, 3, 4, 5], [1, 3], false],
    ] as [number[], number[], boolean][]
  ).flatMap(([s, axes, keep]): Case[] => [
    {
      name: `sum [${s}] over [${axes}]${keep ? ' keepDims' : ''}`,
      inputs: [{ shape: s }],
      f: ([x]) => E.sum(x, axes, keep),
      ref: reduceRef(s, axes, false),
    },
    {
      name: `max [${s}] over [${axes}]${keep ? ' keepDims' : ''}`,
      inputs: [{ shape: s }],
      f: ([x]) => E.max(x, axes, keep),
      ref: reduceRef(s, axes, true),
    },
  ]),
  {
    name: 'sum of 30 000 elements (tree reduction)',
    inputs: [{ shape: [30000], lo: 0, hi: 1 }],
    f: ([x]) => E.sum(x),
    ref: reduceRef([30000], [0], false),
    bigReduction: true,
  },
  {
    name: 'max of [3, 40000] over axis 1 (several chunks per output, then a second pass)',
    inputs: [{ shape: [3, 40000], lo: -1e3, hi: 1e3 }],
    f: ([x]) => E.max(x, 1),
    ref: reduceRef([3, 40000], [1], true),
  },
  {
    name: 'sums of [40000, 2] over axis 0 (chunked, strided)',
    inputs: [{ shape: [40000, 2] }],
    f: ([x]) => E.sum(x, 0, true),
    ref: reduceRef([40000, 2], [0], false),
    bigReduction: true,
  },
  {
    name: 'column sums of [12000, 3] (bias gradient shape)',
    inputs: [{ shape: [12000, 3] }],
    f: ([x]) => E.sum(x, 0),
    ref: reduceRef([12000, 3], [0], false),
    bigReduction: true,
  },
  ...(
    [
      [3, 4, 5],
      [37, 23, 19],
      [70, 65, 130],
      [1, 9, 1],
      [64, 64, 64],
    ] as const
  ).flatMap(([m, n, k]) =>
    (
      [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const
    ).map(([ta, tb]): Case => ({
      name: `matmul ${m}×${k}·${k}×${n}${ta ? ' Aᵀ' : ''}${tb ? ' Bᵀ' : ''}`,
      inputs: [{ shape: ta ? [k, m] : [m, k] }, { shape: tb ? [n, k] : [k, n] }],
      f: ([a, b]) => E.matmul(a, b, { transA: ta, transB: tb }),
      ref: matmulRef(m, n, k, ta, tb),
      slack: (xs) =>
        Array.from(
          matmulRef(m, n, k, ta, tb)(xs.map((x) => x.map(Math.abs))),
          (v) => 4 * 2 ** -24 * Math.sqrt(k) * v,
        ),
    })),
  ),
  {
    name: 'reshape + transpose [2,3,4] perm [2,0,1]',
    inputs: [{ shape: [6, 4] }],
    f: ([x]) => E.transpose(E.reshape(x, [2, 3, 4]), [2, 0, 1]),
    ref: ([x]) =>
      Array.from({ length: 24 }, (_v, o) => {
        const [k, i, j] = unravel(o, [4, 2, 3]);
        return x[i * 12 + j * 4 + k];
      }),
  },
  {
    name: 'broadcastTo [3,1] → [2,3,4]',
    inputs: [{ shape: [3, 1] }],
    f: ([x]) => E.broadcastTo(x, [2, 3, 4]),
    ref: ([x]) => Array.from({ length: 24 }, (_v, o) => x[unravel(o, [2, 3, 4])[1]]),
  },
  {
    name: 'slice [5,6,7] at [1,2,3] size [3,2,4]',
    inputs: [{ shape: [5, 6, 7] }],
    f: ([x]) => E.slice(x, [1, 2, 3], [3, 2, 4]),
    ref: ([x]) =>
      Array.from({ length: 24 }, (_v, o) => {
        const [i, j, k] = unravel(o, [3, 2, 4]);
        return x[(i + 1) * 42 + (j + 2) * 7 + (k + 3)];
      }),
  },
  {
    name: 'pad [3,4] before [1,0] after [2,3]',
    inputs: [{ shape: [3, 4] }],
    f: ([x]) => E.pad(x, [1, 0], [2, 3]),
    ref: ([x]) =>
      Array.from({ length: 42 }, (_v, o) => {
        const [i, j] = unravel(o, [6, 7]);
        return i >= 1 && i < 4 && j < 4 ? x[(i - 1) * 4 + j] : 0;
      }),
  },
  {
    name: 'concat three tensors on axis 1 and two on axis 0',
    inputs: [{ shape: [2, 3] }, { shape: [2, 1] }, { shape: [2, 4] }],
    f: ([a, b, c]) => E.concat([E.concat([a, b, c], 1), E.concat([c, b, a], 1)], 0),
    ref: ([a, b, c]) => {
      const row = (xs: Arr[], widths: number[], r: number) =>
        xs.flatMap((x, t) => Array.from(x.subarray(r * widths[t], (r + 1) * widths[t])));
      return [
        ...row([a, b, c], [3, 1, 4], 0),
        ...row([a, b, c], [3, 1, 4], 1),
        ...row([c, b, a], [4, 1, 3], 0),
        ...row([c, b, a], [4, 1, 3], 1),
      ];
    },
  },
  {
    name: 'gather rows and columns (repeated indices)',
    inputs: [{ shape: [4, 5] }],
    f: ([x]) =>
      E.concat([E.reshape(E.gather(x, [3, 0, 3], 0), [15]), E.reshape(E.gather(x, [4, 4, 1], 1), [12])], 0),
    ref: ([x]) => [
      ...[3, 0, 3].flatMap((r) => Array.from(x.subarray(r * 5, r * 5 + 5))),
      ...Array.from({ length: 4 }, (_v, r) => [4, 4, 1].map((c) => x[r * 5 + c])).flat(),
    ],
  },
  {
    name: 'scatterAdd with duplicate and missing indices',
    inputs: [{ shape: [3, 4] }],
    f: ([x]) => E.scatterAdd(x, [2, 0, 2, 2], 1, 5),
    ref: ([x]) =>
      Array.from({ length: 15 }, (_v, o) => {
        const [r, d] = unravel(o, [3, 5]);
        let s = 0;
        [2, 0, 2, 2].forEach((ix, j) => (s += ix === d ? x[r * 4 + j] : 0));
        return s;
      }),
  },
  {
    name: 'logSumExp and mean (compositions)',
    inputs: [{ shape: [5, 7], lo: -30, hi: 30 }],
    f: ([x]) => E.concat([E.logSumExp(x, -1), E.reshape(E.mean(x, 0), [7])], 0),
    ref: ([x]) => [
      ...Array.from({ length: 5 }, (_v, r) => {
        const row = Array.from(x.subarray(r * 7, r * 7 + 7));
        const m = Math.max(...row);
        return m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
      }),
      ...Array.from({ length: 7 }, (_v, c) => [0, 1, 2, 3, 4].reduce((s, r) => s + x[r * 7 + c], 0) / 5),
    ],
  },
];

export function makeInputs(c: Case, seed: number): Arr[] {
  const rng = new Rng(seed);
  return c.inputs.map(({ shape, lo = -2, hi = 2, ints }) =>
    Float32Array.from({ length: size(shape) }, () =>
      ints !== undefined ? Math.max(lo, Math.floor(rng.uniform(-ints, ints + 1))) : rng.uniform(lo, hi),
    ),
  );
}

export async function runOn(be: Backend, c: Case, xs: Arr[]): Promise<Float32Array> {
  const ts = xs.map((x, i) => E.tensor(x, c.inputs[i].shape, { backend: be }));
  const y = E.tidy(() => c.f(ts));
  const out = (await y.data()) as Float32Array;
  y.dispose();
  ts.forEach((t) => t.dispose());
  return out;
}

/** Scalar losses whose gradients exercise every VJP rule; compared between backends. */
export interface GradCase {
  name: string;
  shapes: number[][];
  f: (p: E.Tensor[]) => E.Tensor;
}

export const GRAD_CASES: GradCase[] = [
  {
    name: 'dense → tanh → softmax cross-entropy',
    shapes: [[6, 4], [4, 5], [5]],
    f: ([x, W, b]) => {
      const logits = E.tanh(E.add(E.matmul(x, W), b));
      const lse = E.logSumExp(logits, -1);
      const picked = E.gather(E.reshape(logits, [30]), Int32Array.from([0, 6, 12, 18, 24, 29]));
      return E.mean(E.sub(lse, picked));
    },
  },
  {
    name: 'sigmoid, exp, log1p, erf, sqrt, reciprocal, abs',
    shapes: [[3, 4], [4]],
    f: ([a, b]) => {
      const s = E.sigmoid(E.mul(a, b));
      const t = E.add(E.log1p(E.exp(E.neg(E.abs(a)))), E.erf(E.div(a, 2)));
      return E.add(
        E.sum(E.add(E.mul(s, t), E.sqrt(E.add(E.square(b), 1)))),
        E.sum(E.reciprocal(E.add(E.square(a), 2))),
      );
    },
  },
  {
    name: 'max / maximum / where / expm1 / sub / div',
    shapes: [[4, 5], [5]],
    f: ([a, b]) => {
      const r = E.maximum(a, E.mul(b, 0.3));
      const w = E.where(E.greater(a, 0), E.expm1(a), E.div(a, E.add(E.square(b), 1)));
      return E.add(E.sum(E.max(E.mul(r, w), 1)), E.mean(E.sub(w, r)));
    },
  },
  {
    name: 'layout: transpose, slice, pad, concat, broadcastTo, scatterAdd',
    shapes: [
      [3, 4],
      [4, 3],
    ],
    f: ([a, b]) => {
      const t = E.transpose(b);
      const c = E.concat([E.slice(a, [0, 1], [3, 2]), E.pad(E.slice(t, [1, 0], [2, 2]), [1, 0], [0, 0])], 1);
      const s = E.scatterAdd(c, [1, 0, 1, 2], 1, 3);
      const bb = E.broadcastTo(E.reshape(E.sum(a, 1), [3, 1]), [3, 3]);
      return E.sum(E.mul(E.tanh(s), bb));
    },
  },
  {
    name: 'engine/nn + engine/losses: dense → ReLU → dense → softmax cross-entropy, and BCE',
    shapes: [[8, 3], [3, 6], [6], [6, 4], [4]],
    f: ([x, W1, b1, W2, b2]) => {
      const z = dense(relu(dense(x, W1, b1)), W2, b2);
      const ce = crossEntropyWithLogits(z, Int32Array.from([0, 1, 2, 3, 3, 2, 1, 0]));
      const y = E.tensor(
        new Float32Array(32).map((_v, i) => i % 2),
        [8, 4],
        { backend: x.backend },
      );
      return E.add(ce, bce(E.sigmoid(z), y));
    },
  },
  {
    name: 'matmul with transposed operands',
    shapes: [
      [5, 3],
      [4, 5],
    ],
    f: ([a, b]) => E.sum(E.square(E.matmul(a, b, { transA: true, transB: true }))),
  },
];

/** Seeded inputs of gradient case number `i`, uniform in [−1.5, 1.5). */
export function gradInputs(c: GradCase, i: number): Arr[] {
  const rng = new Rng(500 + i);
  return c.shapes.map((s) => Float32Array.from({ length: size(s) }, () => rng.uniform(-1.5, 1.5)));
}

/** The loss value then the gradient of each parameter, on backend `be` (all as float32 arrays). */
export async function gradsOn(be: Backend, c: GradCase, xs: Arr[]): Promise<Float32Array[]> {
  const ps = xs.map((x, k) => E.tensor(x, c.shapes[k], { backend: be }));
  const { value, grads: g } = E.valueAndGrad((p: E.Tensor[]) => c.f(p))(ps);
  const out = [await value.data(), ...(await Promise.all(g.map((t) => t.data())))] as Float32Array[];
  value.dispose();
  g.forEach((t) => t.dispose());
  ps.forEach((t) => t.dispose());
  return out;
}

/** Relative tolerance of a case against the CPU backend: 1e−4 for reductions over > 10⁴ elements. */
export const rtolOf = (c: Case): number => (c.bigReduction ? 1e-4 : 1e-5);

export type CaseGroup = 'elementwise' | 'reductions' | 'matmul/layout';

/** The report group of a primitive case (by the op its name starts with). */
export function caseGroup(c: Case): CaseGroup {
  if (/^(sum|sums|max |column sums|logSumExp)/.test(c.name)) return 'reductions';
  if (/^(matmul|reshape|broadcastTo|slice|pad|concat|gather|scatterAdd)/.test(c.name)) return 'matmul/layout';
  return 'elementwise';
}

/**
 * Worst |a − e| / (atol + rtol·|e| + slack) over the elements (≤ 1 means within tolerance) and where
 * it occurs; a length mismatch or a NaN where a number is expected gives Infinity.
 */
export function worstError(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  atol: number,
  rtol: number,
  slack?: ArrayLike<number>,
): { ratio: number; index: number; got: number; want: number } {
  if (actual.length !== expected.length)
    return { ratio: Infinity, index: -1, got: actual.length, want: expected.length };
  let worst = { ratio: 0, index: -1, got: 0, want: 0 };
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (!Number.isFinite(e) && a === e) continue;
    const tol = atol + rtol * Math.abs(e) + (slack ? slack[i] : 0);
    const r = Number.isFinite(a) && Number.isFinite(e) ? Math.abs(a - e) / tol : Infinity;
    if (r > worst.ratio) worst = { ratio: r, index: i, got: a, want: e };
  }
  return worst;
}
