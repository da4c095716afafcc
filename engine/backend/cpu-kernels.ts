/**
 * The CPU backend's kernel table: the reference kernels (cpu-reference.ts, the oracle) with the
 * hot primitives replaced by fast versions:
 * - matmul: float32 products of at least WASM_MIN_FLOPS go to the WebAssembly SIMD GEMM
 *   (wasm/gemm.ts, all transposition flags); small or float64 ones use the plain loops.
 * - elementwise add/sub/mul/div, where, and the common unary functions: one hand-written loop
 *   per operation for the equal-shape, scalar and row-broadcast cases. (The reference builds them
 *   from a shared closure, whose inner call to the element function becomes megamorphic in V8.)
 * - sum over the rows or columns of a matrix (bias gradients, per-row losses).
 * Everything else, and every uncommon broadcast, falls through to the reference kernel.
 *
 * Invariants: same contract as the reference (write every output element, never write inputs,
 * except the documented same-shape in-place accumulate); results equal the reference exactly for
 * elementwise kernels and up to float32 summation order for matmul and sum (test/unit/perf).
 */
import type { Shape } from '../tensor/shape';
import { REFERENCE_KERNELS, type CpuKernel, type CpuKernels } from './cpu-reference';
import type { HostArray } from './types';
import { gemmWasm, wasmGemmAvailable } from './wasm/gemm';

export type { CpuKernel, CpuKernels } from './cpu-reference';

const REF = REFERENCE_KERNELS;

/** m·n·k at or above which a float32 matmul uses the WebAssembly GEMM (packing costs O(mk + kn)). */
export const WASM_MIN_FLOPS = 16384;

let useWasm: boolean | undefined;
/** Turns the WebAssembly GEMM on or off (tests and benchmarks compare both); returns the old setting. */
export function setWasmGemm(on: boolean): boolean {
  const old = wasmEnabled();
  useWasm = on && wasmGemmAvailable();
  return old;
}
function wasmEnabled(): boolean {
  if (useWasm === undefined) useWasm = wasmGemmAvailable();
  return useWasm;
}

const matmul: CpuKernel<'matmul'> = (ins, shapes, out, outShape, attrs) => {
  const m = outShape[0];
  const n = outShape[1];
  const k = attrs.transA ? shapes[0][0] : shapes[0][1];
  if (out instanceof Float32Array && m * n * k >= WASM_MIN_FLOPS && wasmEnabled()) {
    gemmWasm(ins[0] as Float32Array, ins[1] as Float32Array, out, m, n, k, attrs.transA, attrs.transB);
    return;
  }
  REF.matmul(ins, shapes, out, outShape, attrs);
};

// ---------------------------------------------------------------- elementwise binary

/** True when `inShape` (minus leading 1s) equals the trailing axes of `outShape`. */
function isSuffix(inShape: Shape, outShape: Shape): boolean {
  let s = 0;
  while (s < inShape.length && inShape[s] === 1) s++;
  const k = inShape.length - s;
  if (k > outShape.length) return false;
  for (let i = 0; i < k; i++) if (inShape[s + i] !== outShape[outShape.length - k + i]) return false;
  return true;
}

/**
 * Which fast case applies: 0 equal sizes, 1 b scalar, 2 a scalar, 3 b repeats along rows,
 * 4 a repeats along rows, -1 none (use the reference).
 */
function binaryCase(
  a: HostArray,
  b: HostArray,
  shapes: readonly Shape[],
  out: HostArray,
  outShape: Shape,
): number {
  const n = out.length;
  const na = a.length;
  const nb = b.length;
  if (na === n && nb === n) return 0;
  if (na === n && nb === 1) return 1;
  if (nb === n && na === 1) return 2;
  if (na === n && nb > 0 && isSuffix(shapes[1], outShape)) return 3;
  if (nb === n && na > 0 && isSuffix(shapes[0], outShape)) return 4;
  return -1;
}

const add: CpuKernel<'add'> = (ins, shapes, out, outShape, attrs) => {
  const a = ins[0];
  const b = ins[1];
  const n = out.length;
  switch (binaryCase(a, b, shapes, out, outShape)) {
    case 0:
      for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
      return;
    case 1: {
      const y = b[0];
      for (let i = 0; i < n; i++) out[i] = a[i] + y;
      return;
    }
    case 2: {
      const x = a[0];
      for (let i = 0; i < n; i++) out[i] = x + b[i];
      return;
    }
    case 3: {
      const w = b.length;
      for (let o = 0; o < n; o += w) for (let j = 0; j < w; j++) out[o + j] = a[o + j] + b[j];
      return;
    }
    case 4: {
      const w = a.length;
      for (let o = 0; o < n; o += w) for (let j = 0; j < w; j++) out[o + j] = a[j] + b[o + j];
      return;
    }
  }
  REF.add(ins, shapes, out, outShape, attrs);
};

const sub: CpuKernel<'sub'> = (ins, shapes, out, outShape, attrs) => {
  const a = ins[0];
  const b = ins[1];
  const n = out.length;
  switch (binaryCase(a, b, shapes, out, outShape)) {
    case 0:
      for (let i = 0; i < n; i++) out[i] = a[i] - b[i];
      return;
    case 1: {
      const y = b[0];
      for (let i = 0; i < n; i++) out[i] = a[i] - y;
      return;
    }
    case 2: {
      const x = a[0];
      for (let i = 0; i < n; i++) out[i] = x - b[i];
      return;
    }
    case 3: {
      const w = b.length;
      for (let o = 0; o < n; o += w) for (let j = 0; j < w; j++) out[o + j] = a[o + j] - b[j];
      return;
    }
    case 4: {
      const w = a.length;
      for (let o = 0; o < n; o += w) for (let j = 0; j < w; j++) out[o + j] = a[j] - b[o + j];
      return;
    }
  }
  REF.sub(ins, shapes, out, outShape, attrs);
};

const mul: CpuKernel<'mul'> = (ins, shapes, out, outShape, attrs) => {
  const a = ins[0];
  const b = ins[1];
  const n = out.length;
  switch (binaryCase(a, b, shapes, out, outShape)) {
    case 0:
      for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
      return;
    case 1: {
      const y = b[0];
      for (let i = 0; i < n; i++) out[i] = a[i] * y;
      return;
    }
    case 2: {
      const x = a[0];
      for (let i = 0; i < n; i++) out[i] = x * b[i];
      return;
    }
    case 3: {
      const w = b.length;
      for (let o = 0; o < n; o += w) for (let j = 0; j < w; j++) out[o + j] = a[o + j] * b[j];
      return;
    }
    case 4: {
      const w = a.length;
      for (let o = 0; o < n; o += w) for (let j = 0; j < w; j++) out[o + j] = a[j] * b[o + j];
      return;
    }
  }
  REF.mul(ins, shapes, out, outShape, attrs);
};

const div: CpuKernel<'div'> = (ins, shapes, out, outShape, attrs) => {
  const a = ins[0];
  const b = ins[1];
  const n = out.length;
  switch (binaryCase(a, b, shapes, out, outShape)) {
    case 0:
      for (let i = 0; i < n; i++) out[i] = a[i] / b[i];
      return;
    case 1: {
      const y = b[0];
      for (let i = 0; i < n; i++) out[i] = a[i] / y;
      return;
    }
    case 2: {
      const x = a[0];
      for (let i = 0; i < n; i++) out[i] = x / b[i];
      return;
    }
    case 3: {
      const w = b.length;
      for (let o = 0; o < n; o += w) for (let j = 0; j < w; j++) out[o + j] = a[o + j] / b[j];
      return;
    }
    case 4: {
      const w = a.length;
      for (let o = 0; o < n; o += w) for (let j = 0; j < w; j++) out[o + j] = a[j] / b[o + j];
      return;
    }
  }
  REF.div(ins, shapes, out, outShape, attrs);
};

const greater: CpuKernel<'greater'> = (ins, shapes, out, outShape, attrs) => {
  const a = ins[0];
  const b = ins[1];
  const n = out.length;
  const c = binaryCase(a, b, shapes, out, outShape);
  if (c === 0) {
    for (let i = 0; i < n; i++) out[i] = a[i] > b[i] ? 1 : 0;
  } else if (c === 1) {
    const y = b[0];
    for (let i = 0; i < n; i++) out[i] = a[i] > y ? 1 : 0;
  } else REF.greater(ins, shapes, out, outShape, attrs);
};

/** where(c, a, b) when each operand is either full size or a single element (ReLU, masks). */
const where: CpuKernel<'where'> = (ins, shapes, out, outShape, attrs) => {
  const [c, a, b] = ins;
  const n = out.length;
  if (
    (c.length === n || c.length === 1) &&
    (a.length === n || a.length === 1) &&
    (b.length === n || b.length === 1)
  ) {
    if (c.length === n && a.length === n && b.length === 1) {
      const y = b[0];
      for (let i = 0; i < n; i++) out[i] = c[i] !== 0 ? a[i] : y;
      return;
    }
    if (c.length === n && a.length === 1 && b.length === n) {
      const x = a[0];
      for (let i = 0; i < n; i++) out[i] = c[i] !== 0 ? x : b[i];
      return;
    }
    const sc = c.length === n ? 1 : 0;
    const sa = a.length === n ? 1 : 0;
    const sb = b.length === n ? 1 : 0;
    for (let i = 0; i < n; i++) out[i] = c[i * sc] !== 0 ? a[i * sa] : b[i * sb];
    return;
  }
  REF.where(ins, shapes, out, outShape, attrs);
};

// ---------------------------------------------------------------- unary

const exp: CpuKernel<'exp'> = (ins, _s, out) => {
  const a = ins[0];
  for (let i = 0; i < out.length; i++) out[i] = Math.exp(a[i]);
};
const log: CpuKernel<'log'> = (ins, _s, out) => {
  const a = ins[0];
  for (let i = 0; i < out.length; i++) out[i] = Math.log(a[i]);
};
const neg: CpuKernel<'neg'> = (ins, _s, out) => {
  const a = ins[0];
  for (let i = 0; i < out.length; i++) out[i] = -a[i];
};
const tanh: CpuKernel<'tanh'> = (ins, _s, out) => {
  const a = ins[0];
  for (let i = 0; i < out.length; i++) out[i] = Math.tanh(a[i]);
};
/** Same stable formula as the reference: never exp of a large positive number. */
const sigmoid: CpuKernel<'sigmoid'> = (ins, _s, out) => {
  const a = ins[0];
  for (let i = 0; i < out.length; i++) {
    const x = a[i];
    if (x >= 0) out[i] = 1 / (1 + Math.exp(-x));
    else {
      const e = Math.exp(x);
      out[i] = e / (1 + e);
    }
  }
};

// ---------------------------------------------------------------- reductions

/** sum over axis 0 or axis 1 of a matrix, or over everything; else the reference. */
const sum: CpuKernel<'sum'> = (ins, shapes, out, outShape, attrs) => {
  const x = ins[0];
  const s = shapes[0];
  const axes = attrs.axes;
  if (s.length === 2 && axes.length === 1) {
    const r = s[0];
    const c = s[1];
    if (axes[0] === 0) {
      out.fill(0);
      for (let i = 0; i < r; i++) {
        const o = i * c;
        for (let j = 0; j < c; j++) out[j] += x[o + j];
      }
      return;
    }
    if (axes[0] === 1) {
      for (let i = 0; i < r; i++) {
        const o = i * c;
        let acc = 0;
        for (let j = 0; j < c; j++) acc += x[o + j];
        out[i] = acc;
      }
      return;
    }
  }
  REF.sum(ins, shapes, out, outShape, attrs);
};

export const CPU_KERNELS: CpuKernels = {
  ...REFERENCE_KERNELS,
  matmul,
  add,
  sub,
  mul,
  div,
  greater,
  where,
  exp,
  log,
  neg,
  tanh,
  sigmoid,
  sum,
};
