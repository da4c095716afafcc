/**
 * The backend interface: the narrow surface a compute device must offer.
 *
 * allocate/free device buffers, write host data into them, read them back ASYNCHRONOUSLY
 * (a CPU backend may also read synchronously), make a view at an offset (the flat parameter
 * store), and run one primitive's kernel. Tensors, ops, autodiff, layers and optimizers only
 * talk to this interface, so a WebGPU backend slots in by implementing it.
 *
 * Invariants: a kernel writes EVERY element of its output buffer (outputs come from a pool and
 * hold stale data); inputs are never written, except that the caller may pass the same
 * buffer as output and first input for same-shape elementwise kernels (in-place accumulate).
 */
import type { PrimAttrs, PrimName } from '../ops/prims';
import type { Shape } from '../tensor/shape';

export type DType = 'float32' | 'float64';
export type HostArray = Float32Array | Float64Array;

/** An opaque device buffer of `size` elements of `dtype`. */
export interface BackendBuffer {
  readonly size: number;
  readonly dtype: DType;
}

export interface BackendStats {
  /** Number of device/host arrays ever created (pool misses + views' backing stores). */
  allocations: number;
  /** Buffers handed out and not yet freed. */
  live: number;
  /** Buffers waiting in the pool. */
  pooled: number;
  /** Bytes held in pool + live buffers (views excluded). */
  bytes: number;
}

export interface Backend {
  readonly name: string;
  /** A buffer of `size` elements; contents are unspecified (may be reused from the pool). */
  allocate(size: number, dtype: DType): BackendBuffer;
  /** Return a buffer to the pool. Freeing a view is a no-op. */
  free(buf: BackendBuffer): void;
  /** Copy host data into the buffer (length must equal buf.size). */
  write(buf: BackendBuffer, data: ArrayLike<number>): void;
  /** Read a copy of the buffer's contents. */
  read(buf: BackendBuffer): Promise<HostArray>;
  /** Synchronous read (CPU only); undefined on devices that cannot. Returns a COPY. */
  readSync?(buf: BackendBuffer): HostArray;
  /** One element, synchronously, without a copy (CPU only); undefined on devices that cannot. */
  readValueSync?(buf: BackendBuffer, index: number): number;
  /** A view of `size` elements of `buf` starting at element `offset`; shares memory. */
  view(buf: BackendBuffer, offset: number, size: number): BackendBuffer;
  /** Run primitive `prim` reading `inputs` (with their shapes) into `out` of shape `outShape`. */
  run<K extends PrimName>(
    prim: K,
    inputs: readonly BackendBuffer[],
    inShapes: readonly Shape[],
    out: BackendBuffer,
    outShape: Shape,
    attrs: PrimAttrs[K],
  ): void;
  /** Fill every element with `value`. */
  fill(buf: BackendBuffer, value: number): void;
  stats(): BackendStats;
}
