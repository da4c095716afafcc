/**
 * The Tensor: an n-dimensional float array living in a backend buffer.
 *
 * Invariants: float32 or float64, row-major, batch-first; `shape` is never mutated; a tensor's
 * contents never change after its op has run (the only exception is a parameter view, whose
 * flat store the optimizer updates between steps). Autodiff bookkeeping lives in a few
 * fields (`tape`/`slot` for reverse mode, `dual`/`tangent` for forward mode) that are null
 * outside a differentiation call, so no global state is involved.
 */
import type { Backend, BackendBuffer, DType, HostArray } from '../backend/types';
import { fmtShape, sizeOf, type Shape } from './shape';

/** Reverse-mode tape (see engine/autodiff/tape.ts); typed structurally to avoid an import cycle. */
export interface TapeLike {
  recording: boolean;
}
/** Forward-mode context (see engine/autodiff/grad.ts). */
export interface DualLike {
  active: boolean;
}

export class Tensor {
  readonly shape: Shape;
  readonly size: number;
  readonly dtype: DType;
  readonly backend: Backend;
  /** Device buffer; do not write it unless you own the tensor (param store, kernels). */
  readonly buf: BackendBuffer;
  /** When false (views, aliases) dispose() does not free the buffer. */
  readonly owns: boolean;
  disposed = false;
  /** Set by keep(): no tidy() scope will dispose this tensor. */
  kept = false;
  /** @internal Transient mark used by tidy() while it sorts returned from freed tensors. */
  returned = false;
  /** @internal Reverse mode: the tape that recorded this tensor and its slot there. */
  tape: TapeLike | null = null;
  /** @internal */
  slot = -1;
  /** @internal Forward mode: the jvp context and this tensor's tangent (same shape). */
  dual: DualLike | null = null;
  /** @internal */
  tangent: Tensor | null = null;

  constructor(backend: Backend, buf: BackendBuffer, shape: Shape, owns = true) {
    const size = sizeOf(shape);
    if (size !== buf.size) {
      throw new RangeError(
        `Tensor: shape ${fmtShape(shape)} has ${size} elements but the buffer has ${buf.size}`,
      );
    }
    this.backend = backend;
    this.buf = buf;
    this.shape = shape;
    this.size = size;
    this.dtype = buf.dtype;
    this.owns = owns;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** Copy of the contents (asynchronous: works on every backend). */
  async data(): Promise<HostArray> {
    this.assertLive('data');
    return this.backend.read(this.buf);
  }

  /** Copy of the contents, synchronously. @throws Error on a backend without synchronous reads. */
  dataSync(): HostArray {
    this.assertLive('dataSync');
    const r = this.backend.readSync;
    if (!r)
      throw new Error(`Tensor.dataSync: backend '${this.backend.name}' only supports await tensor.data()`);
    return r.call(this.backend, this.buf);
  }

  /** The single value of a one-element tensor, synchronously (CPU); allocates nothing. */
  item(): number {
    if (this.size !== 1)
      throw new RangeError(`Tensor.item: tensor has shape ${fmtShape(this.shape)}, not one element`);
    this.assertLive('item');
    const r = this.backend.readValueSync;
    return r ? r.call(this.backend, this.buf, 0) : this.dataSync()[0];
  }

  /** Nested JS arrays (for debugging and tests), synchronously. */
  toArray(): unknown {
    const d = this.dataSync();
    const build = (axis: number, off: number): unknown => {
      if (axis === this.shape.length) return d[off];
      const stride = sizeOf(this.shape.slice(axis + 1));
      return Array.from({ length: this.shape[axis] }, (_, i) => build(axis + 1, off + i * stride));
    };
    return build(0, 0);
  }

  /** Release the buffer to the backend pool (idempotent). Prefer tidy() over manual calls. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.owns) this.backend.free(this.buf);
  }

  /** @throws Error when the tensor was already disposed. */
  assertLive(where: string): void {
    if (this.disposed) {
      throw new Error(
        `${where}: tensor ${fmtShape(this.shape)} was disposed (created inside a tidy() that has ended?); ` +
          'return it from the tidy callback or keep() it',
      );
    }
  }

  toString(): string {
    return `Tensor(${this.dtype}, ${fmtShape(this.shape)})`;
  }
}
