/**
 * The primitive set: the only operations the backends implement and the autodiff knows.
 * Everything else (sub-graphs such as softmax, losses, layers) is a composition of these.
 *
 * Invariant: `PrimName` is the single list of primitives. Rule tables (`engine/ops/rules.ts`)
 * and backend kernel tables (`engine/backend/*`) are mapped types over it, so adding a name
 * here without its forward kernel, VJP and JVP fails `tsc`.
 *
 * Choice of primitives: tanh, sigmoid, erf, log1p, expm1, sqrt are primitives (not
 * compositions) because their stable closed forms are cheaper and more accurate than the
 * compositions (sigmoid via 1/(1+e^{-x}) gives 0·∞ in its gradient for x ≪ 0; GELU exact
 * needs erf, which has no composition; softplus(−100) needs log1p to keep 3.7e−44).
 */

export type UnaryPrim =
  | 'neg'
  | 'reciprocal'
  | 'exp'
  | 'log'
  | 'log1p'
  | 'expm1'
  | 'sqrt'
  | 'tanh'
  | 'sigmoid'
  | 'erf'
  | 'abs'
  | 'sign';

export type BinaryPrim = 'add' | 'sub' | 'mul' | 'div' | 'maximum';
export type ComparePrim = 'greater' | 'greaterEqual' | 'equal';

export type PrimName =
  | UnaryPrim
  | BinaryPrim
  | ComparePrim
  | 'where'
  | 'sum'
  | 'max'
  | 'matmul'
  | 'reshape'
  | 'transpose'
  | 'broadcastTo'
  | 'slice'
  | 'pad'
  | 'concat'
  | 'gather'
  | 'scatterAdd';

export const UNARY_PRIMS: readonly UnaryPrim[] = [
  'neg',
  'reciprocal',
  'exp',
  'log',
  'log1p',
  'expm1',
  'sqrt',
  'tanh',
  'sigmoid',
  'erf',
  'abs',
  'sign',
];
export const BINARY_PRIMS: readonly BinaryPrim[] = ['add', 'sub', 'mul', 'div', 'maximum'];
export const COMPARE_PRIMS: readonly ComparePrim[] = ['greater', 'greaterEqual', 'equal'];

type NoAttrs = Record<string, never>;

/** Static (non-tensor) arguments of each primitive. Axes are normalised (≥ 0, sorted). */
export type PrimAttrs = { [K in UnaryPrim | BinaryPrim | ComparePrim | 'where']: NoAttrs } & {
  /** Reduce over `axes`; `keepDims` keeps them as size 1. */
  sum: { axes: readonly number[]; keepDims: boolean };
  max: { axes: readonly number[]; keepDims: boolean };
  /** C = op(A)·op(B), op = transpose when the flag is set; 2-D only. */
  matmul: { transA: boolean; transB: boolean };
  reshape: { shape: readonly number[] };
  transpose: { perm: readonly number[] };
  broadcastTo: { shape: readonly number[] };
  /** out = x[begin : begin + size] per axis. */
  slice: { begin: readonly number[]; size: readonly number[] };
  /** Zero padding: `before[i]` zeros in front of and `after[i]` behind axis i. */
  pad: { before: readonly number[]; after: readonly number[] };
  concat: { axis: number };
  /** out = x taken at `indices` along `axis` (indices are data, not differentiated). */
  gather: { indices: Int32Array; axis: number };
  /** out (x.shape with axis → dimSize) = 0; out[indices[j]] += x[j] along `axis`. */
  scatterAdd: { indices: Int32Array; axis: number; dimSize: number };
};
