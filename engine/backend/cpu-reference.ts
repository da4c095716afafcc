/**
 * Reference CPU kernels (the oracle), one per primitive, on Float32Array or Float64Array (the same code
 * computes in either precision; float64 is used by gradient checks).
 *
 * Invariants: each kernel writes every element of `out` (pooled buffers hold stale data) and
 * never writes its inputs; shapes were validated by the primitive's shape rule before the
 * call. `CpuKernels` is a mapped type over PrimName, so a missing kernel fails `tsc`.
 * These plain loops are the correctness oracle for the fast kernels in cpu-kernels.ts (WASM SIMD
 * GEMM, specialised elementwise loops) and for the GPU kernels; test/unit/perf compares them.
 */
import type { PrimAttrs, PrimName } from '../ops/prims';
import { erf } from '../ops/erf';
import { broadcastStrides, sizeOf, stridesOf, type Shape } from '../tensor/shape';
import type { HostArray } from './types';

export type CpuKernel<K extends PrimName> = (
  ins: readonly HostArray[],
  inShapes: readonly Shape[],
  out: HostArray,
  outShape: Shape,
  attrs: PrimAttrs[K],
) => void;
export type CpuKernels = { [K in PrimName]: CpuKernel<K> };
/** A kernel without attributes (assignable to any CpuKernel). */
type PlainKernel = (
  ins: readonly HostArray[],
  inShapes: readonly Shape[],
  out: HostArray,
  outShape: Shape,
) => void;

// ---------------------------------------------------------------- elementwise

const unary =
  (f: (x: number) => number): PlainKernel =>
  (ins, _s, out) => {
    const a = ins[0];
    for (let i = 0; i < out.length; i++) out[i] = f(a[i]);
  };

/** True when `inShape` (minus leading 1s) equals the trailing axes of `outShape`. */
function isSuffix(inShape: Shape, outShape: Shape): boolean {
  let s = 0;
  while (s < inShape.length && inShape[s] === 1) s++;
  const k = inShape.length - s;
  if (k > outShape.length) return false;
  for (let i = 0; i < k; i++) if (inShape[s + i] !== outShape[outShape.length - k + i]) return false;
  return true;
}

/** Broadcasting binary kernel with fast paths for equal shapes, scalars and row-tiled operands. */
const binary =
  (f: (x: number, y: number) => number): PlainKernel =>
  (ins, shapes, out, outShape) => {
    const a = ins[0];
    const b = ins[1];
    const n = out.length;
    const na = a.length;
    const nb = b.length;
    if (na === n && nb === n) {
      for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]);
    } else if (na === n && nb === 1) {
      const y = b[0];
      for (let i = 0; i < n; i++) out[i] = f(a[i], y);
    } else if (nb === n && na === 1) {
      const x = a[0];
      for (let i = 0; i < n; i++) out[i] = f(x, b[i]);
    } else if (na === n && nb > 0 && isSuffix(shapes[1], outShape)) {
      for (let o = 0; o < n; o += nb) for (let j = 0; j < nb; j++) out[o + j] = f(a[o + j], b[j]);
    } else if (nb === n && na > 0 && isSuffix(shapes[0], outShape)) {
      for (let o = 0; o < n; o += na) for (let j = 0; j < na; j++) out[o + j] = f(a[j], b[o + j]);
    } else {
      const rank = outShape.length;
      const sa = broadcastStrides(shapes[0], outShape);
      const sb = broadcastStrides(shapes[1], outShape);
      const idx = new Array<number>(rank).fill(0);
      const inner = outShape[rank - 1];
      const ai = sa[rank - 1];
      const bi = sb[rank - 1];
      let pa = 0;
      let pb = 0;
      for (let o = 0; o < n;) {
        for (let j = 0; j < inner; j++) out[o++] = f(a[pa + j * ai], b[pb + j * bi]);
        for (let d = rank - 2; d >= 0; d--) {
          idx[d]++;
          pa += sa[d];
          pb += sb[d];
          if (idx[d] < outShape[d]) break;
          pa -= sa[d] * outShape[d];
          pb -= sb[d] * outShape[d];
          idx[d] = 0;
        }
      }
    }
  };

/** Copies `x` (shape `inShape`) broadcast to `outShape` into out. Shared by broadcastTo and where. */
function broadcastCopy(x: HostArray, inShape: Shape, out: HostArray, outShape: Shape): void {
  const n = out.length;
  if (x.length === n) {
    out.set(x);
    return;
  }
  if (x.length === 1) {
    out.fill(x[0]);
    return;
  }
  const rank = outShape.length;
  const s = broadcastStrides(inShape, outShape);
  const idx = new Array<number>(rank).fill(0);
  const inner = outShape[rank - 1];
  const si = s[rank - 1];
  let p = 0;
  for (let o = 0; o < n;) {
    for (let j = 0; j < inner; j++) out[o++] = x[p + j * si];
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]++;
      p += s[d];
      if (idx[d] < outShape[d]) break;
      p -= s[d] * outShape[d];
      idx[d] = 0;
    }
  }
}

function whereKernel(
  ins: readonly HostArray[],
  shapes: readonly Shape[],
  out: HostArray,
  outShape: Shape,
): void {
  const [c, a, b] = ins;
  const n = out.length;
  if (c.length === n && a.length === n && b.length === n) {
    for (let i = 0; i < n; i++) out[i] = c[i] !== 0 ? a[i] : b[i];
    return;
  }
  // General case: per-output index arithmetic through broadcast strides.
  const rank = outShape.length;
  const st = shapes.map((s) => broadcastStrides(s, outShape));
  const os = stridesOf(outShape);
  for (let o = 0; o < n; o++) {
    let rem = o;
    let pc = 0;
    let pa = 0;
    let pb = 0;
    for (let d = 0; d < rank; d++) {
      const k = Math.floor(rem / os[d]);
      rem -= k * os[d];
      pc += k * st[0][d];
      pa += k * st[1][d];
      pb += k * st[2][d];
    }
    out[o] = c[pc] !== 0 ? a[pa] : b[pb];
  }
}

// ---------------------------------------------------------------- reductions

/** out[j] = reduce over the reduced axes; `init` is the neutral element. */
function reduceKernel<K extends 'sum' | 'max'>(isMax: boolean): CpuKernel<K> {
  return (ins, shapes, out, _outShape, attrs) => {
    const x = ins[0];
    const shape = shapes[0];
    const axes = attrs.axes;
    out.fill(isMax ? -Infinity : 0);
    const n = x.length;
    if (n === 0) return;
    if (out.length === 1) {
      let acc = isMax ? -Infinity : 0;
      if (isMax) {
        for (let i = 0; i < n; i++) if (!(x[i] <= acc)) acc = x[i];
      } else for (let i = 0; i < n; i++) acc += x[i];
      out[0] = acc;
      return;
    }
    // Output strides indexed by INPUT axis (0 on reduced axes): row-major walk over x.
    const rank = shape.length;
    const keptShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const ks = stridesOf(keptShape);
    const so = shape.map((_d, i) => (axes.includes(i) ? 0 : ks[i]));
    const idx = new Array<number>(rank).fill(0);
    const inner = shape[rank - 1];
    const si = so[rank - 1];
    let p = 0;
    for (let i = 0; i < n;) {
      if (isMax) {
        for (let j = 0; j < inner; j++, i++) {
          const v = x[i];
          const q = p + j * si;
          if (!(v <= out[q])) out[q] = v;
        }
      } else {
        for (let j = 0; j < inner; j++, i++) out[p + j * si] += x[i];
      }
      for (let d = rank - 2; d >= 0; d--) {
        idx[d]++;
        p += so[d];
        if (idx[d] < shape[d]) break;
        p -= so[d] * shape[d];
        idx[d] = 0;
      }
    }
  };
}

// ---------------------------------------------------------------- matmul

/**
 * out[m, n] = op(A)·op(B) with plain loops, without materialising transposes.
 * @param a A [m, k], or [k, m] when transA; @param b B [k, n], or [n, k] when transB (row-major).
 * Also used directly by engine/fastpath for products too small for the WebAssembly GEMM.
 */
export function gemmPlain(
  a: HostArray,
  b: HostArray,
  out: HostArray,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
): void {
  if (!transB) {
    out.fill(0);
    if (!transA) {
      // A[m,k]·B[k,n]: i-p-j order streams rows of B.
      for (let i = 0; i < m; i++) {
        const ro = i * n;
        for (let p = 0; p < k; p++) {
          const av = a[i * k + p];
          const rb = p * n;
          for (let j = 0; j < n; j++) out[ro + j] += av * b[rb + j];
        }
      }
    } else {
      // Aᵀ·B with A[k,m]: p-i-j order.
      for (let p = 0; p < k; p++) {
        const rb = p * n;
        for (let i = 0; i < m; i++) {
          const av = a[p * m + i];
          const ro = i * n;
          for (let j = 0; j < n; j++) out[ro + j] += av * b[rb + j];
        }
      }
    }
  } else if (!transA) {
    // A[m,k]·Bᵀ with B[n,k]: row-by-row dot products.
    for (let i = 0; i < m; i++) {
      const ra = i * k;
      for (let j = 0; j < n; j++) {
        const rb = j * k;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ra + p] * b[rb + p];
        out[i * n + j] = s;
      }
    }
  } else {
    // Aᵀ·Bᵀ with A[k,m], B[n,k].
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[p * m + i] * b[j * k + p];
        out[i * n + j] = s;
      }
    }
  }
}

/** C[m,n] = op(A)·op(B) (see gemmPlain). */
const matmul: CpuKernel<'matmul'> = (ins, shapes, out, outShape, { transA, transB }) => {
  const k = transA ? shapes[0][0] : shapes[0][1];
  gemmPlain(ins[0], ins[1], out, outShape[0], outShape[1], k, transA, transB);
};

// ---------------------------------------------------------------- layout

const transpose: CpuKernel<'transpose'> = (ins, shapes, out, outShape, { perm }) => {
  const x = ins[0];
  const inShape = shapes[0];
  const rank = inShape.length;
  if (rank === 2 && perm[0] === 1) {
    const r = inShape[0];
    const c = inShape[1];
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = x[i * c + j];
    return;
  }
  const xs = stridesOf(inShape);
  const s = perm.map((p) => xs[p]); // input stride for each OUTPUT axis
  const idx = new Array<number>(rank).fill(0);
  const n = out.length;
  let p = 0;
  for (let o = 0; o < n; o++) {
    out[o] = x[p];
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      p += s[d];
      if (idx[d] < outShape[d]) break;
      p -= s[d] * outShape[d];
      idx[d] = 0;
    }
  }
};

/** Walks the sub-box `size` at `begin` of a tensor of shape `full`, calling back flat offsets row by row. */
function boxRows(
  full: Shape,
  begin: readonly number[],
  size: Shape,
  row: (fullOff: number, boxOff: number, len: number) => void,
): void {
  const rank = full.length;
  if (rank === 0) {
    row(0, 0, 1);
    return;
  }
  const fs = stridesOf(full);
  const inner = size[rank - 1];
  const total = sizeOf(size);
  if (total === 0) return;
  const idx = new Array<number>(rank).fill(0);
  let base = 0;
  for (let d = 0; d < rank; d++) base += begin[d] * fs[d];
  let p = base;
  for (let o = 0; o < total; o += inner) {
    row(p, o, inner);
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]++;
      p += fs[d];
      if (idx[d] < size[d]) break;
      p -= fs[d] * size[d];
      idx[d] = 0;
    }
  }
}

const slice: CpuKernel<'slice'> = (ins, shapes, out, outShape, { begin }) => {
  const x = ins[0];
  boxRows(shapes[0], begin, outShape, (f, b, len) => {
    for (let j = 0; j < len; j++) out[b + j] = x[f + j];
  });
};

const pad: CpuKernel<'pad'> = (ins, shapes, out, outShape, { before }) => {
  const x = ins[0];
  out.fill(0);
  boxRows(outShape, before, shapes[0], (f, b, len) => {
    for (let j = 0; j < len; j++) out[f + j] = x[b + j];
  });
};

const concat: CpuKernel<'concat'> = (ins, shapes, out, outShape, { axis }) => {
  const outer = sizeOf(outShape.slice(0, axis));
  const outRow = sizeOf(outShape.slice(axis));
  let col = 0;
  for (let t = 0; t < ins.length; t++) {
    const x = ins[t];
    const len = sizeOf(shapes[t].slice(axis));
    for (let o = 0; o < outer; o++) {
      const src = o * len;
      const dst = o * outRow + col;
      for (let j = 0; j < len; j++) out[dst + j] = x[src + j];
    }
    col += len;
  }
};

const gather: CpuKernel<'gather'> = (ins, shapes, out, _outShape, { indices, axis }) => {
  const x = ins[0];
  const shape = shapes[0];
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  const dim = shape[axis];
  const m = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const src = (o * dim + indices[j]) * inner;
      const dst = (o * m + j) * inner;
      for (let t = 0; t < inner; t++) out[dst + t] = x[src + t];
    }
  }
};

const scatterAdd: CpuKernel<'scatterAdd'> = (ins, shapes, out, _outShape, { indices, axis, dimSize }) => {
  const x = ins[0];
  const shape = shapes[0];
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  const m = indices.length;
  out.fill(0);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const dst = (o * dimSize + indices[j]) * inner;
      const src = (o * m + j) * inner;
      for (let t = 0; t < inner; t++) out[dst + t] += x[src + t];
    }
  }
};

const copy: CpuKernel<'reshape'> = (ins, _s, out) => {
  out.set(ins[0]);
};

export const REFERENCE_KERNELS: CpuKernels = {
  neg: unary((x) => -x),
  reciprocal: unary((x) => 1 / x),
  exp: unary(Math.exp),
  log: unary(Math.log),
  log1p: unary(Math.log1p),
  expm1: unary(Math.expm1),
  sqrt: unary(Math.sqrt),
  tanh: unary(Math.tanh),
  // Stable in both tails: never evaluates exp of a large positive number.
  sigmoid: unary((x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)))),
  erf: unary(erf),
  abs: unary(Math.abs),
  sign: unary((x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN)),
  add: binary((x, y) => x + y),
  sub: binary((x, y) => x - y),
  mul: binary((x, y) => x * y),
  div: binary((x, y) => x / y),
  maximum: binary((x, y) => (x >= y || Number.isNaN(x) ? x : y)),
  greater: binary((x, y) => (x > y ? 1 : 0)),
  greaterEqual: binary((x, y) => (x >= y ? 1 : 0)),
  equal: binary((x, y) => (x === y ? 1 : 0)),
  where: whereKernel,
  sum: reduceKernel(false),
  max: reduceKernel(true),
  matmul,
  reshape: copy,
  transpose,
  broadcastTo: (ins, shapes, out, outShape) => broadcastCopy(ins[0], shapes[0], out, outShape),
  slice,
  pad,
  concat,
  gather,
  scatterAdd,
};
