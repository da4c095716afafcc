/**
 * The public, differentiable operations: one function per primitive plus a few compositions
 * (sub-graphs of primitives such as mean, sumTo, minimum, logSumExp).
 *
 * Conventions: binary ops broadcast (rules in engine/tensor/shape.ts) and accept a plain
 * number for either operand (it becomes a scalar of the other operand's dtype); axes may be
 * negative (counted from the end); every op returns a new tensor in the current tidy() scope.
 * Every function here is differentiable in reverse and forward mode except the comparisons
 * and `sign`, which have zero derivative.
 */
import { emptyTensor, scalar } from '../tensor/create';
import { fmtShape, normAxes, sameShape, sizeOf, type Shape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { apply } from './apply';
import type { PrimAttrs } from './prims';

export type TensorLike = Tensor | number;
const NONE = Object.freeze({}) as PrimAttrs['add'];

function lift2(a: TensorLike, b: TensorLike, where: string): [Tensor, Tensor] {
  if (a instanceof Tensor) {
    return [a, b instanceof Tensor ? b : scalar(b, { dtype: a.dtype, backend: a.backend })];
  }
  if (b instanceof Tensor) return [scalar(a, { dtype: b.dtype, backend: b.backend }), b];
  throw new TypeError(`${where}: at least one operand must be a Tensor (got two numbers)`);
}

// ------------------------------------------------------------- elementwise unary
/** −x. Shape preserved. */
export const neg = (x: Tensor): Tensor => apply('neg', [x], NONE);
/** 1/x (±∞ at 0). */
export const reciprocal = (x: Tensor): Tensor => apply('reciprocal', [x], NONE);
/** eˣ. */
export const exp = (x: Tensor): Tensor => apply('exp', [x], NONE);
/** ln x (−∞ at 0, NaN below). */
export const log = (x: Tensor): Tensor => apply('log', [x], NONE);
/** ln(1 + x), accurate for small |x|. */
export const log1p = (x: Tensor): Tensor => apply('log1p', [x], NONE);
/** eˣ − 1, accurate for small |x|. */
export const expm1 = (x: Tensor): Tensor => apply('expm1', [x], NONE);
/** √x (gradient infinite at 0). */
export const sqrt = (x: Tensor): Tensor => apply('sqrt', [x], NONE);
/** tanh x. */
export const tanh = (x: Tensor): Tensor => apply('tanh', [x], NONE);
/** Logistic σ(x) = 1/(1+e^{−x}), evaluated stably in both tails (lecture "Sigmoid"). */
export const sigmoid = (x: Tensor): Tensor => apply('sigmoid', [x], NONE);
/** Error function erf(x) (engine/ops/erf.ts). */
export const erf = (x: Tensor): Tensor => apply('erf', [x], NONE);
/** |x|; derivative sign(x) (0 at 0). */
export const abs = (x: Tensor): Tensor => apply('abs', [x], NONE);
/** sign(x) ∈ {−1, 0, 1}; zero derivative. */
export const sign = (x: Tensor): Tensor => apply('sign', [x], NONE);

// ------------------------------------------------------------- elementwise binary (broadcasting)
export const add = (a: TensorLike, b: TensorLike): Tensor => apply('add', lift2(a, b, 'add'), NONE);
export const sub = (a: TensorLike, b: TensorLike): Tensor => apply('sub', lift2(a, b, 'sub'), NONE);
export const mul = (a: TensorLike, b: TensorLike): Tensor => apply('mul', lift2(a, b, 'mul'), NONE);
export const div = (a: TensorLike, b: TensorLike): Tensor => apply('div', lift2(a, b, 'div'), NONE);
/** Elementwise max(a, b); gradient to the larger, split ½/½ at ties. ReLU = maximum(x, 0). */
export const maximum = (a: TensorLike, b: TensorLike): Tensor =>
  apply('maximum', lift2(a, b, 'maximum'), NONE);
/** Elementwise min(a, b) = −max(−a, −b). */
export const minimum = (a: TensorLike, b: TensorLike): Tensor => {
  const [x, y] = lift2(a, b, 'minimum');
  return neg(maximum(neg(x), neg(y)));
};
/** 1 where a > b else 0 (float tensor of the broadcast shape); zero derivative. */
export const greater = (a: TensorLike, b: TensorLike): Tensor =>
  apply('greater', lift2(a, b, 'greater'), NONE);
/** 1 where a ≥ b else 0. */
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor =>
  apply('greaterEqual', lift2(a, b, 'greaterEqual'), NONE);
/** 1 where a = b else 0. */
export const equal = (a: TensorLike, b: TensorLike): Tensor => apply('equal', lift2(a, b, 'equal'), NONE);
/** 1 where a < b else 0. */
export const less = (a: TensorLike, b: TensorLike): Tensor => greater(b, a);
/** 1 where a ≤ b else 0. */
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => greaterEqual(b, a);
/** x² (composition mul(x, x)). */
export const square = (x: Tensor): Tensor => mul(x, x);

/**
 * Elementwise select: a where cond ≠ 0, else b; the three broadcast together. The condition
 * is not differentiated; cotangents flow to the selected branch only.
 */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const opt = { dtype: cond.dtype, backend: cond.backend };
  const ta = a instanceof Tensor ? a : scalar(a, opt);
  const tb = b instanceof Tensor ? b : scalar(b, opt);
  return apply('where', [cond, ta, tb], NONE);
}

// ------------------------------------------------------------- reductions
/** Sum over `axes` (default: all → shape []); `keepDims` keeps reduced axes as 1. */
export function sum(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  return apply('sum', [x], {
    axes: normAxes(typeof axes === 'number' ? [axes] : axes, x.rank, 'sum'),
    keepDims,
  });
}
/** Max over `axes` (default all). Cotangent shared equally by tied maxima. @throws on an empty axis. */
export function max(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  return apply('max', [x], {
    axes: normAxes(typeof axes === 'number' ? [axes] : axes, x.rank, 'max'),
    keepDims,
  });
}
/** Min over axes = −max(−x). */
export function min(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  return neg(max(neg(x), axes, keepDims));
}
/** Mean over `axes` (default all). */
export function mean(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  const ax = normAxes(typeof axes === 'number' ? [axes] : axes, x.rank, 'mean');
  let n = 1;
  for (const a of ax) n *= x.shape[a];
  return div(sum(x, ax, keepDims), n);
}
/**
 * log Σ exp(x) over `axis`, stable: m + log Σ exp(x − m) with m = max (held constant — the
 * result does not depend on m, so its gradient is exactly softmax(x)).
 */
export function logSumExp(x: Tensor, axis = -1, keepDims = false): Tensor {
  const m = stopGradient(max(x, axis, true));
  const s = add(log(sum(exp(sub(x, m)), axis, true)), m);
  return keepDims
    ? s
    : reshape(
        s,
        s.shape.filter((_d, i) => i !== normAxes([axis], x.rank, 'logSumExp')[0]),
      );
}

// ------------------------------------------------------------- matmul
/**
 * Matrix product C = op(A)·op(B) for 2-D tensors, op = transpose when transA/transB is set
 * (no transposed copy is made). A [m,k] (or [k,m] with transA), B [k,n] (or [n,k]) → C [m,n].
 */
export function matmul(a: Tensor, b: Tensor, opts: { transA?: boolean; transB?: boolean } = {}): Tensor {
  return apply('matmul', [a, b], { transA: opts.transA ?? false, transB: opts.transB ?? false });
}

// ------------------------------------------------------------- layout
/** Same data, new shape (one entry may be −1: inferred). @throws RangeError on size mismatch. */
export function reshape(x: Tensor, shape: Shape): Tensor {
  let sh = shape;
  const k = shape.indexOf(-1);
  if (k >= 0) {
    const rest = sizeOf(shape.filter((_d, i) => i !== k));
    if (rest === 0 || x.size % rest !== 0) {
      throw new RangeError(`reshape: cannot infer −1 in ${fmtShape(shape)} for ${x.size} elements`);
    }
    sh = shape.map((d, i) => (i === k ? x.size / rest : d));
  }
  if (sameShape(sh, x.shape)) return x;
  return apply('reshape', [x], { shape: [...sh] });
}
/** Permutes axes (default: reversed; for 2-D the matrix transpose). */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const p = perm ?? x.shape.map((_d, i) => x.rank - 1 - i);
  return apply('transpose', [x], { perm: p });
}
/** Broadcasts x to `shape` (copies). */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  if (sameShape(x.shape, shape)) return x;
  return apply('broadcastTo', [x], { shape: [...shape] });
}
/**
 * Sums `x` down to `shape`, undoing a broadcast (the adjoint of broadcastTo): sums the extra
 * leading axes and the axes where `shape` has 1.
 */
export function sumTo(x: Tensor, shape: Shape): Tensor {
  if (sameShape(x.shape, shape)) return x;
  const lead = x.rank - shape.length;
  if (lead < 0)
    throw new RangeError(`sumTo: cannot sum ${fmtShape(x.shape)} to the larger rank ${fmtShape(shape)}`);
  const axes: number[] = [];
  for (let i = 0; i < x.rank; i++) if (i < lead || (shape[i - lead] === 1 && x.shape[i] !== 1)) axes.push(i);
  return reshape(sum(x, axes, false), shape);
}
/** x[begin : begin+size] per axis; a size of −1 means "to the end". */
export function slice(x: Tensor, begin: readonly number[], size: readonly number[]): Tensor {
  const sz = size.map((s, i) => (s === -1 ? x.shape[i] - begin[i] : s));
  return apply('slice', [x], { begin: [...begin], size: sz });
}
/** Zero padding: before[i] zeros before and after[i] after axis i. */
export function pad(x: Tensor, before: readonly number[], after: readonly number[]): Tensor {
  return apply('pad', [x], { before: [...before], after: [...after] });
}
/** Concatenates along `axis` (other axes must match). */
export function concat(xs: readonly Tensor[], axis = -1): Tensor {
  if (xs.length === 0) throw new RangeError('concat: needs at least one tensor');
  const ax = axis < 0 ? axis + xs[0].rank : axis;
  if (xs.length === 1) return xs[0];
  return apply('concat', xs, { axis: ax });
}
/**
 * Takes entries at `indices` along `axis`: out.shape = x.shape with shape[axis] → indices.length.
 * Picking one class per row of logp [B, C]: gather(reshape(logp, [B*C]), i*C + y[i]).
 * @throws RangeError for an index out of range (naming its position).
 */
export function gather(x: Tensor, indices: Int32Array | readonly number[], axis = 0): Tensor {
  const idx = indices instanceof Int32Array ? indices : Int32Array.from(indices);
  return apply('gather', [x], { indices: idx, axis: axis < 0 ? axis + x.rank : axis });
}
/** Adjoint of gather: zeros of x.shape with axis → dimSize, then out[indices[j]] += x[j]. */
export function scatterAdd(
  x: Tensor,
  indices: Int32Array | readonly number[],
  axis: number,
  dimSize: number,
): Tensor {
  const idx = indices instanceof Int32Array ? indices : Int32Array.from(indices);
  return apply('scatterAdd', [x], { indices: idx, axis: axis < 0 ? axis + x.rank : axis, dimSize });
}

/** A copy of x's values that autodiff treats as a constant (no gradient, no tangent). */
export function stopGradient(x: Tensor): Tensor {
  x.assertLive('stopGradient');
  const out = emptyTensor(x.backend, x.shape, x.dtype);
  x.backend.run('reshape', [x.buf], [x.shape], out.buf, x.shape, { shape: x.shape });
  return out;
}
