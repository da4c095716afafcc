/**
 * Creating tensors. Every factory takes optional `{ dtype, backend }`; the default dtype is
 * float32 and the default backend a shared CPU backend (see `defaultBackend`). Created
 * tensors join the current tidy() scope.
 */
import { CpuBackend } from '../backend/cpu';
import type { Backend, DType } from '../backend/types';
import { track } from '../memory/scope';
import type { Rng } from '../random/rng';
import { checkShape, fmtShape, sizeOf, type Shape } from './shape';
import { Tensor } from './tensor';

export interface CreateOptions {
  dtype?: DType;
  backend?: Backend;
}

let shared: CpuBackend | null = null;

/** The shared default CPU backend (created on first use). Independent runs may create their own. */
export function defaultBackend(): CpuBackend {
  if (shared === null) shared = new CpuBackend();
  return shared;
}

/** @internal A tensor with an uninitialised pooled buffer, tracked by the current scope. */
export function emptyTensor(backend: Backend, shape: Shape, dtype: DType): Tensor {
  const t = new Tensor(backend, backend.allocate(sizeOf(shape), dtype), shape);
  track(t);
  return t;
}

/**
 * A tensor holding `data` (row-major) with the given shape (default: 1-D of data.length).
 * @throws RangeError when data.length ≠ product(shape) or a value is not a number.
 */
export function tensor(data: ArrayLike<number>, shape?: Shape, opts: CreateOptions = {}): Tensor {
  const sh = shape ?? [data.length];
  checkShape(sh, 'tensor');
  if (data.length !== sizeOf(sh)) {
    throw new RangeError(
      `tensor: ${data.length} values do not fill shape ${fmtShape(sh)} (${sizeOf(sh)} elements)`,
    );
  }
  const backend = opts.backend ?? defaultBackend();
  const t = emptyTensor(backend, [...sh], opts.dtype ?? 'float32');
  backend.write(t.buf, data);
  return t;
}

/** A tensor of shape `shape` filled with `value`. */
export function full(shape: Shape, value: number, opts: CreateOptions = {}): Tensor {
  checkShape(shape, 'full');
  const backend = opts.backend ?? defaultBackend();
  const t = emptyTensor(backend, [...shape], opts.dtype ?? 'float32');
  backend.fill(t.buf, value);
  return t;
}

export const zeros = (shape: Shape, opts?: CreateOptions): Tensor => full(shape, 0, opts);
export const ones = (shape: Shape, opts?: CreateOptions): Tensor => full(shape, 1, opts);
/** A 0-d (shape []) tensor. */
export const scalar = (value: number, opts?: CreateOptions): Tensor => full([], value, opts);

/** Same shape, dtype and backend as `t`, filled with `value`. */
export function fullLike(t: Tensor, value: number): Tensor {
  const out = emptyTensor(t.backend, t.shape, t.dtype);
  t.backend.fill(out.buf, value);
  return out;
}
export const zerosLike = (t: Tensor): Tensor => fullLike(t, 0);
export const onesLike = (t: Tensor): Tensor => fullLike(t, 1);

/** Standard normal samples ×std + mean from the seeded generator (row-major fill order). */
export function randn(
  shape: Shape,
  rng: Rng,
  opts: CreateOptions & { mean?: number; std?: number } = {},
): Tensor {
  const n = sizeOf(shape);
  const d = new Float64Array(n);
  const m = opts.mean ?? 0;
  const s = opts.std ?? 1;
  for (let i = 0; i < n; i++) d[i] = m + s * rng.normal();
  return tensor(d, shape, opts);
}

/** Uniform samples in [a, b) from the seeded generator. */
export function randu(shape: Shape, rng: Rng, a = 0, b = 1, opts: CreateOptions = {}): Tensor {
  const n = sizeOf(shape);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = rng.uniform(a, b);
  return tensor(d, shape, opts);
}

/**
 * A copy of `t` converted to `dtype` (on the same backend). Not differentiated.
 * @throws TypeError on a device backend without synchronous reads when the dtype changes
 *   (WebGPU is float32 only); a same-dtype cast there is a device copy.
 */
export function cast(t: Tensor, dtype: DType): Tensor {
  if (t.backend.readSync === undefined) {
    if (dtype !== t.dtype) {
      throw new TypeError(
        `cast: backend '${t.backend.name}' cannot convert ${t.dtype} to ${dtype}; read the data with await t.data() and create the tensor on the CPU`,
      );
    }
    t.assertLive('cast');
    const out = emptyTensor(t.backend, t.shape, dtype);
    t.backend.run('reshape', [t.buf], [t.shape], out.buf, t.shape, { shape: t.shape });
    return out;
  }
  return tensor(t.dataSync(), t.shape, { dtype, backend: t.backend });
}
