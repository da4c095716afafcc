/**
 * The CPU backend: the reference implementation of the Backend interface.
 *
 * Buffers are Float32Array/Float64Array kept in a per-size free list (the pool): `free`
 * returns a buffer to it and `allocate` reuses one of the same dtype and length, so a
 * training step that repeats the same shapes creates no new typed arrays after the first
 * step. `stats().allocations` counts typed arrays ever created; tests watch it stay flat.
 * Reads are copies (synchronous or as a resolved promise).
 */
import type { PrimAttrs, PrimName } from '../ops/prims';
import type { Shape } from '../tensor/shape';
import { CPU_KERNELS, type CpuKernel } from './cpu-kernels';
import type { Backend, BackendBuffer, BackendStats, DType, HostArray } from './types';

/** Sizes below this use the dense free-list array. */
const SMALL = 4096;

export class CpuBuffer implements BackendBuffer {
  constructor(
    readonly data: HostArray,
    readonly dtype: DType,
    /** Views share another buffer's memory and are never pooled. */
    readonly isView: boolean,
  ) {}
  get size(): number {
    return this.data.length;
  }
  /** @internal true while sitting in the pool (guards against double free). */
  pooled = false;
}

export interface CpuBackendOptions {
  /** Largest number of bytes kept in the pool; beyond it freed buffers are dropped. Default 256 MiB. */
  maxPoolBytes?: number;
}

export class CpuBackend implements Backend {
  readonly name = 'cpu';
  // Free lists by exact length: a dense array for small sizes (an index, no hashing on the
  // hot path), a Map for large ones.
  private readonly small32: (CpuBuffer[] | undefined)[] = [];
  private readonly small64: (CpuBuffer[] | undefined)[] = [];
  private readonly pool32 = new Map<number, CpuBuffer[]>();
  private readonly pool64 = new Map<number, CpuBuffer[]>();
  private allocations = 0;
  private live = 0;
  private pooled = 0;
  private poolBytes = 0;
  private liveBytes = 0;
  private readonly maxPoolBytes: number;
  // Scratch arrays so that run() allocates nothing for the common arities.
  private readonly a1: HostArray[] = [new Float32Array(0)];
  private readonly a2: HostArray[] = [new Float32Array(0), new Float32Array(0)];
  private readonly a3: HostArray[] = [new Float32Array(0), new Float32Array(0), new Float32Array(0)];

  constructor(opts: CpuBackendOptions = {}) {
    this.maxPoolBytes = opts.maxPoolBytes ?? 256 * 1024 * 1024;
  }

  allocate(size: number, dtype: DType): CpuBuffer {
    if (!Number.isInteger(size) || size < 0)
      throw new RangeError(`CpuBackend.allocate: invalid size ${size}`);
    const list = this.freeList(size, dtype, false);
    const bytes = size * (dtype === 'float32' ? 4 : 8);
    this.live++;
    this.liveBytes += bytes;
    if (list !== undefined && list.length > 0) {
      const b = list.pop()!;
      b.pooled = false;
      this.pooled--;
      this.poolBytes -= bytes;
      return b;
    }
    this.allocations++;
    return new CpuBuffer(dtype === 'float32' ? new Float32Array(size) : new Float64Array(size), dtype, false);
  }

  free(buf: BackendBuffer): void {
    const b = buf as CpuBuffer;
    if (b.isView || b.pooled) return;
    const bytes = b.data.byteLength;
    this.live--;
    this.liveBytes -= bytes;
    if (this.poolBytes + bytes > this.maxPoolBytes) return; // let the GC take it
    const list = this.freeList(b.size, b.dtype, true)!;
    b.pooled = true;
    list.push(b);
    this.pooled++;
    this.poolBytes += bytes;
  }

  private freeList(size: number, dtype: DType, create: boolean): CpuBuffer[] | undefined {
    if (size < SMALL) {
      const arr = dtype === 'float32' ? this.small32 : this.small64;
      let l = arr[size];
      if (l === undefined && create) l = arr[size] = [];
      return l;
    }
    const pool = dtype === 'float32' ? this.pool32 : this.pool64;
    let l = pool.get(size);
    if (l === undefined && create) pool.set(size, (l = []));
    return l;
  }

  write(buf: BackendBuffer, data: ArrayLike<number>): void {
    const b = buf as CpuBuffer;
    if (data.length !== b.size) {
      throw new RangeError(`CpuBackend.write: ${data.length} values for a buffer of ${b.size} elements`);
    }
    b.data.set(data);
  }

  readSync(buf: BackendBuffer): HostArray {
    return (buf as CpuBuffer).data.slice();
  }

  readValueSync(buf: BackendBuffer, index: number): number {
    return (buf as CpuBuffer).data[index];
  }

  read(buf: BackendBuffer): Promise<HostArray> {
    return Promise.resolve(this.readSync(buf));
  }

  /** The backing array itself (no copy). CPU-only fast path for the parameter store and tests. */
  hostArray(buf: BackendBuffer): HostArray {
    return (buf as CpuBuffer).data;
  }

  /** Wraps an existing typed array (no copy) as a non-pooled buffer. */
  wrap(data: HostArray): CpuBuffer {
    return new CpuBuffer(data, data instanceof Float32Array ? 'float32' : 'float64', true);
  }

  view(buf: BackendBuffer, offset: number, size: number): CpuBuffer {
    const b = buf as CpuBuffer;
    if (offset < 0 || size < 0 || offset + size > b.size) {
      throw new RangeError(
        `CpuBackend.view: [${offset}, ${offset + size}) is outside a buffer of ${b.size} elements`,
      );
    }
    return new CpuBuffer(b.data.subarray(offset, offset + size), b.dtype, true);
  }

  fill(buf: BackendBuffer, value: number): void {
    (buf as CpuBuffer).data.fill(value);
  }

  run<K extends PrimName>(
    prim: K,
    inputs: readonly BackendBuffer[],
    inShapes: readonly Shape[],
    out: BackendBuffer,
    outShape: Shape,
    attrs: PrimAttrs[K],
  ): void {
    let ins: HostArray[];
    const n = inputs.length;
    if (n === 1) {
      ins = this.a1;
      ins[0] = (inputs[0] as CpuBuffer).data;
    } else if (n === 2) {
      ins = this.a2;
      ins[0] = (inputs[0] as CpuBuffer).data;
      ins[1] = (inputs[1] as CpuBuffer).data;
    } else if (n === 3) {
      ins = this.a3;
      ins[0] = (inputs[0] as CpuBuffer).data;
      ins[1] = (inputs[1] as CpuBuffer).data;
      ins[2] = (inputs[2] as CpuBuffer).data;
    } else ins = inputs.map((b) => (b as CpuBuffer).data);
    (CPU_KERNELS[prim] as CpuKernel<K>)(ins, inShapes, (out as CpuBuffer).data, outShape, attrs);
  }

  stats(): BackendStats {
    return {
      allocations: this.allocations,
      live: this.live,
      pooled: this.pooled,
      bytes: this.poolBytes + this.liveBytes,
    };
  }

  /** Drop every pooled buffer (e.g. after a model is closed). */
  clearPool(): void {
    this.small32.length = 0;
    this.small64.length = 0;
    this.pool32.clear();
    this.pool64.clear();
    this.pooled = 0;
    this.poolBytes = 0;
  }
}
