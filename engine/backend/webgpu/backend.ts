/**
 * The WebGPU backend: implements the Backend interface with one WGSL kernel per primitive
 * (engine/backend/webgpu/kernels/*), float32 only.
 *
 * Execution model: `run`/`fill` only ENCODE dispatches into a command encoder (tensors stay on the
 * device); work is submitted when something needs it — a read, a host write, a full parameter
 * arena, or every `maxBatch` dispatches. Per-dispatch parameters (offsets, shapes, strides,
 * scalars) and index side data go to a host "arena" copied to one GPU buffer right before each
 * submit, so a pending dispatch never sees a later write (queue.writeBuffer runs before the
 * submitted commands, in queue order).
 *
 * Invariants: every pipeline is compiled once, in `create`, inside error scopes (a shader error
 * is a WebGpuError at start-up, not a hang mid-run); each submit is wrapped in validation and
 * out-of-memory scopes whose result is reported by the next `read`/`sync`; after device loss
 * every call throws a WebGpuError naming the reason; buffers are pooled by exact length like the
 * CPU backend; a buffer freed beyond the pool budget is destroyed only after the next submit.
 * An input sharing its GPU buffer with the output (in-place accumulate, parameter views) is
 * copied first, because WebGPU forbids binding one buffer as read-only and writable at once.
 */
import type { PrimAttrs, PrimName, UnaryPrim, BinaryPrim, ComparePrim } from '../../ops/prims';
import { BINARY_PRIMS, COMPARE_PRIMS, UNARY_PRIMS } from '../../ops/prims';
import { broadcastStrides, sizeOf, stridesOf, type Shape } from '../../tensor/shape';
import type { Backend, BackendBuffer, BackendStats, DType, HostArray } from '../types';
import { acquireDevice, WebGpuError, type DeviceOptions, type GpuDeviceInfo } from './device';
import {
  BufferUsage,
  MapModeRead,
  type WBindGroupEntry,
  type WBindGroupLayout,
  type WBuffer,
  type WCommandEncoder,
  type WComputePass,
  type WComputePipeline,
  type WDevice,
  type WDeviceLostInfo,
  type WGpu,
} from './gpu-api';
import { accumulateWgsl } from './kernels/accumulate';
import { biasActWgsl, FUSED_ACTIVATIONS, type FusedActivation } from './kernels/bias-act';
import { binaryWgsl, whereWgsl } from './kernels/broadcast';
import { PARAM_WORDS, WG } from './kernels/common';
import { concatPartWgsl } from './kernels/concat';
import { fillWgsl } from './kernels/fill';
import { gatherWgsl } from './kernels/gather';
import { matmulNaiveWgsl } from './kernels/matmul-naive';
import { matmulTiledWgsl, tiledBlock } from './kernels/matmul-tiled';
import { optimizerWgsl, type GpuOptimizerName } from './kernels/optim';
import { padWgsl } from './kernels/pad';
import { REDUCE_CHUNK, reduceWgsl } from './kernels/reduce';
import { scatterAddWgsl } from './kernels/scatter-add';
import { softmaxWgsl } from './kernels/softmax';
import { stridedCopyWgsl } from './kernels/strided-copy';
import { unaryWgsl } from './kernels/unary';
import { checkRank, collapseAxes, invertIndices } from './layout';

export { WebGpuError } from './device';

export interface WebGpuBackendOptions extends DeviceOptions {
  /** Matrix-product kernel: 'tiled' (default) or 'naive' (the reference). */
  matmul?: 'tiled' | 'naive';
  /** Largest number of bytes kept in the buffer pool (default 512 MiB). */
  maxPoolBytes?: number;
  /** Dispatches encoded before an automatic submit (default 256). */
  maxBatch?: number;
}

/** A tensor's storage: `size` float32 elements at element `offset` of a GPU buffer (views share it). */
export class GpuBuffer implements BackendBuffer {
  /** @internal true while in the pool. */
  pooled = false;
  constructor(
    readonly gpu: WBuffer,
    readonly offset: number,
    readonly size: number,
    readonly dtype: DType,
    readonly isView: boolean,
  ) {}
}

/** Bytes of the parameter/side-data arena (one GPU buffer, rewritten before every submit). */
const ARENA_BYTES = 1 << 20;
const SLOT_BYTES = PARAM_WORDS * 4; // 256: the largest uniform/storage offset alignment WebGPU allows
const MAX_GROUPS = 65535;

type KernelKey = string;

/**
 * The WebGPU implementation of the Backend interface: float32 device buffers, asynchronous reads,
 * one WGSL kernel per primitive (kernels/). Device loss, out-of-memory and shader errors surface as
 * WebGpuError.
 */
export class WebGpuBackend implements Backend {
  readonly name = 'webgpu';
  readonly device: WDevice;
  readonly info: Omit<GpuDeviceInfo, 'device'> & { matmul: string; tile: number };
  private readonly pipelines = new Map<KernelKey, { pipeline: WComputePipeline; layout: WBindGroupLayout }>();
  private readonly pools = new Map<number, GpuBuffer[]>();
  private readonly tile: number;
  private readonly useTiled: boolean;
  private readonly maxPoolBytes: number;
  private readonly maxBatch: number;
  private readonly arena: WBuffer;
  private readonly arenaHost = new ArrayBuffer(ARENA_BYTES);
  private readonly u32 = new Uint32Array(this.arenaHost);
  private readonly f32 = new Float32Array(this.arenaHost);
  private arenaUsed = 0;
  private enc: WCommandEncoder | null = null;
  private pass: WComputePass | null = null;
  private pending = 0;
  private readonly deferred: WBuffer[] = [];
  private errorChecks: Promise<void>[] = [];
  private firstError: string | null = null;
  private lostInfo: WDeviceLostInfo | null = null;
  private readonly lostPromise: Promise<never>;
  private allocations = 0;
  private live = 0;
  private pooled = 0;
  private liveBytes = 0;
  private poolBytes = 0;
  private dispatches = 0;
  private submits = 0;

  /**
   * Creates the backend on a device from `gpu` (navigator.gpu, or createNodeGpu() in Node) and
   * compiles every kernel.
   * @throws WebGpuError when no adapter/device is available or a kernel fails to compile.
   */
  static async create(gpu: WGpu, opts: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
    const info = await acquireDevice(gpu, opts);
    const b = new WebGpuBackend(info, opts);
    try {
      await b.compileAll();
    } catch (e) {
      info.device.destroy();
      throw e;
    }
    return b;
  }

  private constructor(info: GpuDeviceInfo, opts: WebGpuBackendOptions) {
    this.device = info.device;
    this.tile = info.limits.maxComputeInvocationsPerWorkgroup >= 256 ? 16 : 8;
    this.useTiled = (opts.matmul ?? 'tiled') === 'tiled';
    this.maxPoolBytes = opts.maxPoolBytes ?? 512 * 1024 * 1024;
    this.maxBatch = opts.maxBatch ?? 256;
    this.info = {
      adapterDescription: info.adapterDescription,
      featureLevel: info.featureLevel,
      limits: info.limits,
      matmul: this.useTiled ? 'tiled' : 'naive',
      tile: this.tile,
    };
    this.arena = this.device.createBuffer({
      size: ARENA_BYTES,
      usage: BufferUsage.UNIFORM | BufferUsage.STORAGE | BufferUsage.COPY_DST,
      label: 'netloom-params',
    });
    this.lostPromise = this.device.lost.then((i) => {
      this.lostInfo = i;
      throw this.lostError('device');
    });
    this.lostPromise.catch(() => undefined); // observed later by whoever races it
    this.device.addEventListener?.('uncapturederror', (ev) => {
      this.firstError ??= ev.error.message;
    });
  }

  // ------------------------------------------------------------------ pipelines

  private kernelSources(): [KernelKey, string][] {
    const src: [KernelKey, string][] = [];
    for (const p of UNARY_PRIMS) src.push([`unary:${p}`, unaryWgsl(p)]);
    for (const p of [...BINARY_PRIMS, ...COMPARE_PRIMS]) src.push([`binary:${p}`, binaryWgsl(p)]);
    src.push(['where', whereWgsl()]);
    src.push(['reduce:sum', reduceWgsl('sum')], ['reduce:max', reduceWgsl('max')]);
    src.push(['matmul:naive', matmulNaiveWgsl()], ['matmul:tiled', matmulTiledWgsl(this.tile)]);
    src.push(['copy', stridedCopyWgsl()], ['pad', padWgsl()], ['concat', concatPartWgsl()]);
    src.push(['gather', gatherWgsl()], ['scatterAdd', scatterAddWgsl()], ['fill', fillWgsl()]);
    for (const o of ['sgd', 'momentum', 'adam'] as const) src.push([`optim:${o}`, optimizerWgsl(o)]);
    src.push(['softmax', softmaxWgsl()], ['accumulate', accumulateWgsl()]);
    for (const a of FUSED_ACTIVATIONS) src.push([`biasAct:${a}`, biasActWgsl(a)]);
    return src;
  }

  /** Compiles every kernel (see compileKernel); the first failure rejects. */
  private async compileAll(): Promise<void> {
    const checks = this.kernelSources().map(async ([key, code]) => {
      this.pipelines.set(key, await compileKernel(this.device, key, code));
    });
    await Promise.race([Promise.all(checks), this.lostPromise]);
  }

  // ------------------------------------------------------------------ errors

  private lostError(where: string): WebGpuError {
    const i = this.lostInfo;
    return new WebGpuError(
      `WebGPU ${where}: the device was lost (${i?.reason ?? 'unknown'}${i?.message ? `: ${i.message}` : ''}); ` +
        'the run stopped — start it again (the CPU backend always works)',
    );
  }

  private ensureAlive(where: string): void {
    if (this.lostInfo !== null) throw this.lostError(where);
    if (this.firstError !== null) {
      const m = this.firstError;
      this.firstError = null;
      throw new WebGpuError(`WebGPU ${where}: an earlier command failed: ${m}`);
    }
  }

  /** Waits for the error scopes of every submit so far; throws the first error they caught. */
  private async checkErrors(where: string): Promise<void> {
    const checks = this.errorChecks;
    this.errorChecks = [];
    await Promise.race([Promise.all(checks), this.lostPromise]);
    this.ensureAlive(where);
  }

  // ------------------------------------------------------------------ buffers

  allocate(size: number, dtype: DType): GpuBuffer {
    if (dtype !== 'float32') {
      throw new TypeError(
        `WebGpuBackend.allocate: ${dtype} is not supported (WGSL has no 64-bit floats); use float32 on WebGPU and run float64 gradient checks on the CPU backend`,
      );
    }
    if (!Number.isInteger(size) || size < 0)
      throw new RangeError(`WebGpuBackend.allocate: invalid size ${size}`);
    this.ensureAlive('allocate');
    const bytes = size * 4;
    const cap = Math.min(this.info.limits.maxBufferSize, this.info.limits.maxStorageBufferBindingSize);
    if (bytes > cap) {
      throw new WebGpuError(
        `WebGPU: a tensor of ${size} elements (${(bytes / 2 ** 20).toFixed(1)} MiB) exceeds this device's buffer limit of ${(cap / 2 ** 20).toFixed(1)} MiB; use a smaller batch or layer, or the CPU backend`,
      );
    }
    this.live++;
    this.liveBytes += bytes;
    const list = this.pools.get(size);
    if (list !== undefined && list.length > 0) {
      const b = list.pop()!;
      b.pooled = false;
      this.pooled--;
      this.poolBytes -= bytes;
      return b;
    }
    this.allocations++;
    const gpu = this.device.createBuffer({
      size: Math.max(16, Math.ceil(bytes / 16) * 16),
      usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
    });
    return new GpuBuffer(gpu, 0, size, 'float32', false);
  }

  free(buf: BackendBuffer): void {
    const b = buf as GpuBuffer;
    if (b.isView || b.pooled) return;
    const bytes = b.size * 4;
    this.live--;
    this.liveBytes -= bytes;
    if (this.poolBytes + bytes > this.maxPoolBytes) {
      this.deferred.push(b.gpu); // pending commands may still use it
      return;
    }
    let list = this.pools.get(b.size);
    if (list === undefined) this.pools.set(b.size, (list = []));
    b.pooled = true;
    list.push(b);
    this.pooled++;
    this.poolBytes += bytes;
  }

  view(buf: BackendBuffer, offset: number, size: number): GpuBuffer {
    const b = buf as GpuBuffer;
    if (offset < 0 || size < 0 || offset + size > b.size) {
      throw new RangeError(
        `WebGpuBackend.view: [${offset}, ${offset + size}) is outside a buffer of ${b.size} elements`,
      );
    }
    return new GpuBuffer(b.gpu, b.offset + offset, size, b.dtype, true);
  }

  write(buf: BackendBuffer, data: ArrayLike<number>): void {
    const b = buf as GpuBuffer;
    if (data.length !== b.size) {
      throw new RangeError(`WebGpuBackend.write: ${data.length} values for a buffer of ${b.size} elements`);
    }
    this.ensureAlive('write');
    if (b.size === 0) return;
    this.flush(); // pending dispatches must read the old contents
    const f = data instanceof Float32Array ? data : Float32Array.from(data);
    this.device.queue.writeBuffer(b.gpu, b.offset * 4, f);
  }

  /** Reads a copy back (submits pending work first). @throws WebGpuError on device loss or a failed command. */
  async read(buf: BackendBuffer): Promise<HostArray> {
    const b = buf as GpuBuffer;
    this.ensureAlive('read');
    if (b.size === 0) {
      await this.sync();
      return new Float32Array(0);
    }
    const bytes = b.size * 4;
    const staging = this.device.createBuffer({
      size: bytes,
      usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST,
    });
    const enc = this.encoder();
    this.endPass();
    enc.copyBufferToBuffer(b.gpu, b.offset * 4, staging, 0, bytes);
    this.flush();
    try {
      await Promise.race([staging.mapAsync(MapModeRead), this.lostPromise]);
      const out = new Float32Array(staging.getMappedRange().slice(0));
      staging.unmap();
      await this.checkErrors('read');
      return out;
    } catch (e) {
      if (e instanceof WebGpuError) throw e;
      this.ensureAlive('read');
      throw new WebGpuError(`WebGPU read: mapping the result failed: ${(e as Error).message}`);
    } finally {
      staging.destroy();
    }
  }

  /** Submits pending work and waits until the device has finished it (for timing and error checks). */
  async sync(): Promise<void> {
    this.ensureAlive('sync');
    this.flush();
    await Promise.race([this.device.queue.onSubmittedWorkDone(), this.lostPromise]);
    await this.checkErrors('sync');
  }

  fill(buf: BackendBuffer, value: number): void {
    const b = buf as GpuBuffer;
    if (b.size === 0) return;
    const s = this.slot();
    this.u32[s] = b.size;
    this.u32[s + 1] = b.offset;
    this.f32[s + 5] = value;
    this.dispatch('fill', s, b, [], this.grid1(b.size));
  }

  stats(): BackendStats {
    return {
      allocations: this.allocations,
      live: this.live,
      pooled: this.pooled,
      bytes: this.poolBytes + this.liveBytes,
    };
  }

  /** Dispatch and submit counters (for benchmarks and tests of batching). */
  counters(): { dispatches: number; submits: number } {
    return { dispatches: this.dispatches, submits: this.submits };
  }

  /** Frees pooled buffers and the device. The backend is unusable afterwards. */
  destroy(): void {
    if (this.lostInfo !== null) return;
    this.flush();
    for (const list of this.pools.values()) for (const b of list) b.gpu.destroy();
    this.pools.clear();
    this.device.destroy();
  }

  // ------------------------------------------------------------------ encoding

  private encoder(): WCommandEncoder {
    if (this.enc === null) {
      this.device.pushErrorScope('validation');
      this.device.pushErrorScope('out-of-memory');
      this.enc = this.device.createCommandEncoder();
    }
    return this.enc;
  }

  private endPass(): void {
    if (this.pass !== null) {
      this.pass.end();
      this.pass = null;
    }
  }

  /** Submits everything encoded so far (no-op when nothing is pending). */
  flush(): void {
    if (this.enc === null) return;
    this.endPass();
    const cb = this.enc.finish();
    if (this.arenaUsed > 0) this.device.queue.writeBuffer(this.arena, 0, this.arenaHost, 0, this.arenaUsed);
    this.device.queue.submit([cb]);
    this.submits++;
    this.enc = null;
    this.arenaUsed = 0;
    this.pending = 0;
    const oom = this.device.popErrorScope();
    const val = this.device.popErrorScope();
    this.errorChecks.push(
      Promise.all([oom, val]).then(
        ([a, b]) => {
          const e = a ?? b;
          if (e) this.firstError ??= `${a ? 'out of GPU memory' : 'validation error'}: ${e.message}`;
        },
        () => undefined, // popErrorScope rejects only when the device is lost, which lostPromise reports
      ),
    );
    for (const b of this.deferred) b.destroy();
    this.deferred.length = 0;
  }

  /** Reserves one parameter block in the arena; returns its first word index. */
  private slot(): number {
    if (this.arenaUsed + SLOT_BYTES > ARENA_BYTES) this.flush();
    const w = this.arenaUsed >> 2;
    this.arenaUsed += SLOT_BYTES;
    return w;
  }

  /**
   * Places integer side data (indices) for the next dispatch: in the arena when it fits, else in
   * a dedicated buffer. Returns the buffer and the word offset the kernel adds.
   */
  private sideData(data: Int32Array): { gpu: WBuffer; word: number } {
    const bytes = Math.max(16, Math.ceil((data.length * 4) / SLOT_BYTES) * SLOT_BYTES);
    if (bytes > ARENA_BYTES / 2) {
      const gpu = this.device.createBuffer({
        size: Math.ceil(bytes / 16) * 16,
        usage: BufferUsage.STORAGE | BufferUsage.COPY_DST,
      });
      this.device.queue.writeBuffer(gpu, 0, data);
      this.deferred.push(gpu);
      return { gpu, word: 0 };
    }
    if (this.arenaUsed + bytes + SLOT_BYTES > ARENA_BYTES) this.flush();
    const word = this.arenaUsed >> 2;
    new Int32Array(this.arenaHost, this.arenaUsed, data.length).set(data);
    this.arenaUsed += bytes;
    return { gpu: this.arena, word };
  }

  private grid1(threads: number): [number, number] {
    return this.grid(Math.ceil(threads / WG));
  }

  private grid(groups: number): [number, number] {
    if (groups <= MAX_GROUPS) return [groups, 1];
    const y = Math.ceil(groups / MAX_GROUPS);
    if (y > MAX_GROUPS) throw new RangeError(`WebGPU: ${groups} workgroups exceed the dispatch limit`);
    return [MAX_GROUPS, y];
  }

  private dispatch(
    key: KernelKey,
    slotWord: number,
    out: GpuBuffer,
    ins: readonly GpuBuffer[],
    grid: [number, number],
    side?: { gpu: WBuffer; word: number },
    extra?: WBuffer[],
  ): void {
    this.ensureAlive(key);
    const k = this.pipelines.get(key);
    if (k === undefined) throw new Error(`internal: no WebGPU kernel '${key}'`);
    const enc = this.encoder();
    const entries: WBindGroupEntry[] = [
      { binding: 0, resource: { buffer: this.arena, offset: slotWord * 4, size: SLOT_BYTES } },
      { binding: 1, resource: { buffer: out.gpu } },
    ];
    for (let k = 0; k < ins.length; k++) entries.push({ binding: 2 + k, resource: { buffer: ins[k].gpu } });
    if (extra)
      for (let k = 0; k < extra.length; k++) entries.push({ binding: 3 + k, resource: { buffer: extra[k] } });
    if (side) entries.push({ binding: 5, resource: { buffer: side.gpu } });
    const group = this.device.createBindGroup({ layout: k.layout, entries });
    if (this.pass === null) this.pass = enc.beginComputePass();
    this.pass.setPipeline(k.pipeline);
    this.pass.setBindGroup(0, group);
    this.pass.dispatchWorkgroups(grid[0], grid[1]);
    this.dispatches++;
    if (++this.pending >= this.maxBatch) this.flush();
  }

  /** Contiguous copy of `src` into a fresh pooled buffer (to break read/write aliasing). */
  private copyOf(src: GpuBuffer): GpuBuffer {
    const t = this.allocate(src.size, 'float32');
    this.copyStrided(src, t, [src.size], [1], 0);
    return t;
  }

  private copyStrided(
    x: GpuBuffer,
    out: GpuBuffer,
    shape: readonly number[],
    strides: readonly number[],
    base: number,
  ): void {
    const c = collapseAxes(shape, [strides]);
    checkRank(c.shape.length, 'copy');
    const s = this.slot();
    this.u32[s] = out.size;
    this.u32[s + 1] = out.offset;
    this.u32[s + 2] = x.offset;
    this.u32[s + 5] = base;
    this.writeShape(s, c.shape, c.strides);
    this.dispatch('copy', s, out, [x], this.grid1(out.size));
  }

  /** Words 8 (rank), 9.. (shape), then each stride list. */
  private writeShape(s: number, shape: readonly number[], strides: readonly (readonly number[])[]): void {
    const r = shape.length;
    this.u32[s + 8] = r;
    for (let d = 0; d < r; d++) this.u32[s + 9 + d] = shape[d];
    for (let k = 0; k < strides.length; k++)
      for (let d = 0; d < r; d++) this.u32[s + 9 + r * (k + 1) + d] = strides[k][d];
  }

  // ------------------------------------------------------------------ primitives

  run<K extends PrimName>(
    prim: K,
    inputs: readonly BackendBuffer[],
    inShapes: readonly Shape[],
    out: BackendBuffer,
    outShape: Shape,
    attrs: PrimAttrs[K],
  ): void {
    const o = out as GpuBuffer;
    if (o.size === 0) return;
    if (
      prim === 'add' &&
      inputs[0] === out &&
      (inputs[1] as GpuBuffer).gpu !== o.gpu &&
      inputs[1].size === o.size
    ) {
      // In-place gradient accumulation (ParamStore.valueAndGrad): no copy needed.
      const s = this.slot();
      this.u32[s] = o.size;
      this.u32[s + 1] = o.offset;
      this.u32[s + 2] = (inputs[1] as GpuBuffer).offset;
      this.dispatch('accumulate', s, o, [inputs[1] as GpuBuffer], this.grid1(o.size));
      return;
    }
    // Inputs aliasing the output's GPU buffer are read from a copy.
    let ins = inputs as readonly GpuBuffer[];
    let temps: GpuBuffer[] | null = null;
    for (let k = 0; k < ins.length; k++) {
      if (ins[k].gpu === o.gpu) {
        if (temps === null) {
          temps = [];
          ins = [...ins];
        }
        const c = this.copyOf(ins[k]);
        temps.push(c);
        (ins as GpuBuffer[])[k] = c;
      }
    }
    try {
      this.runPrim(prim, ins, inShapes, o, outShape, attrs);
    } finally {
      if (temps !== null) for (const t of temps) this.free(t);
    }
  }

  private runPrim<K extends PrimName>(
    prim: K,
    ins: readonly GpuBuffer[],
    inShapes: readonly Shape[],
    out: GpuBuffer,
    outShape: Shape,
    attrs: PrimAttrs[K],
  ): void {
    const n = out.size;
    if ((UNARY_PRIMS as readonly string[]).includes(prim)) {
      const s = this.slot();
      this.u32[s] = n;
      this.u32[s + 1] = out.offset;
      this.u32[s + 2] = ins[0].offset;
      this.dispatch(`unary:${prim as UnaryPrim}`, s, out, ins, this.grid1(n));
      return;
    }
    if (
      prim === 'where' ||
      (BINARY_PRIMS as readonly string[]).includes(prim) ||
      (COMPARE_PRIMS as readonly string[]).includes(prim)
    ) {
      const c = collapseAxes(
        outShape,
        inShapes.map((sh) => broadcastStrides(sh, outShape)),
      );
      checkRank(c.shape.length, prim);
      const s = this.slot();
      this.u32[s] = n;
      this.u32[s + 1] = out.offset;
      for (let k = 0; k < ins.length; k++) this.u32[s + 2 + k] = ins[k].offset;
      this.writeShape(s, c.shape, c.strides);
      this.dispatch(
        prim === 'where' ? 'where' : `binary:${prim as BinaryPrim | ComparePrim}`,
        s,
        out,
        ins,
        this.grid1(n),
      );
      return;
    }
    switch (prim) {
      case 'sum':
      case 'max':
        this.reduce(prim, ins[0], inShapes[0], out, (attrs as PrimAttrs['sum']).axes);
        return;
      case 'matmul':
        this.matmul(ins, inShapes, out, outShape, attrs as PrimAttrs['matmul']);
        return;
      case 'reshape':
        this.copyStrided(ins[0], out, [n], [1], 0);
        return;
      case 'transpose': {
        const xs = stridesOf(inShapes[0]);
        this.copyStrided(
          ins[0],
          out,
          outShape,
          (attrs as PrimAttrs['transpose']).perm.map((p) => xs[p]),
          0,
        );
        return;
      }
      case 'broadcastTo':
        this.copyStrided(ins[0], out, outShape, broadcastStrides(inShapes[0], outShape), 0);
        return;
      case 'slice': {
        const xs = stridesOf(inShapes[0]);
        const begin = (attrs as PrimAttrs['slice']).begin;
        let base = 0;
        for (let d = 0; d < begin.length; d++) base += begin[d] * xs[d];
        this.copyStrided(ins[0], out, outShape, xs, base);
        return;
      }
      case 'pad':
        this.pad(ins[0], inShapes[0], out, outShape, (attrs as PrimAttrs['pad']).before);
        return;
      case 'concat':
        this.concat(ins, inShapes, out, outShape, (attrs as PrimAttrs['concat']).axis);
        return;
      case 'gather': {
        const { indices, axis } = attrs as PrimAttrs['gather'];
        const sh = inShapes[0];
        const side = this.sideData(indices);
        const s = this.slot();
        this.u32[s] = n;
        this.u32[s + 1] = out.offset;
        this.u32[s + 2] = ins[0].offset;
        this.u32[s + 5] = sizeOf(sh.slice(axis + 1));
        this.u32[s + 6] = sh[axis];
        this.u32[s + 7] = indices.length;
        this.u32[s + 8] = side.word;
        if (indices.length === 0) return;
        this.dispatch('gather', s, out, ins, this.grid1(n), side);
        return;
      }
      case 'scatterAdd': {
        const { indices, axis, dimSize } = attrs as PrimAttrs['scatterAdd'];
        const sh = inShapes[0];
        const side = this.sideData(invertIndices(indices, dimSize));
        const s = this.slot();
        this.u32[s] = n;
        this.u32[s + 1] = out.offset;
        this.u32[s + 2] = ins[0].offset;
        this.u32[s + 5] = sizeOf(sh.slice(axis + 1));
        this.u32[s + 6] = dimSize;
        this.u32[s + 7] = indices.length;
        this.u32[s + 8] = side.word;
        this.dispatch('scatterAdd', s, out, ins, this.grid1(n), side);
        return;
      }
      default:
        throw new Error(`internal: WebGPU backend has no kernel for '${prim}'`);
    }
  }

  private reduce(
    op: 'sum' | 'max',
    x: GpuBuffer,
    shape: Shape,
    out: GpuBuffer,
    axes: readonly number[],
  ): void {
    const xs = stridesOf(shape);
    const keptShape: number[] = [];
    const keptStr: number[] = [];
    const redShape: number[] = [];
    const redStr: number[] = [];
    shape.forEach((d, i) => {
      if (axes.includes(i)) {
        redShape.push(d);
        redStr.push(xs[i]);
      } else {
        keptShape.push(d);
        keptStr.push(xs[i]);
      }
    });
    const k = collapseAxes(keptShape, [keptStr]);
    const r = collapseAxes(redShape, [redStr]);
    checkRank(k.shape.length, op);
    checkRank(r.shape.length, op);
    const R = sizeOf(redShape);
    const chunks = Math.max(1, Math.ceil(R / REDUCE_CHUNK));
    // Several chunks per output: partials [n, chunks] first, then reduce them over axis 1.
    const dst = chunks > 1 ? this.allocate(out.size * chunks, 'float32') : out;
    const s = this.slot();
    const kr = k.shape.length;
    const rr = r.shape.length;
    this.u32[s] = out.size;
    this.u32[s + 1] = dst.offset;
    this.u32[s + 2] = x.offset;
    this.u32[s + 3] = REDUCE_CHUNK;
    this.u32[s + 4] = chunks;
    this.u32[s + 5] = R;
    this.u32[s + 6] = kr;
    this.u32[s + 7] = rr;
    this.f32[s + 8] = op === 'sum' ? 0 : -Infinity;
    for (let d = 0; d < kr; d++) {
      this.u32[s + 9 + d] = k.shape[d];
      this.u32[s + 9 + kr + d] = k.strides[0][d];
    }
    for (let d = 0; d < rr; d++) {
      this.u32[s + 9 + 2 * kr + d] = r.shape[d];
      this.u32[s + 9 + 2 * kr + rr + d] = r.strides[0][d];
    }
    this.dispatch(`reduce:${op}`, s, dst, [x], this.grid(out.size * chunks));
    if (dst !== out) {
      this.reduce(op, dst, [out.size, chunks], out, [1]);
      this.free(dst);
    }
  }

  private matmul(
    ins: readonly GpuBuffer[],
    inShapes: readonly Shape[],
    out: GpuBuffer,
    outShape: Shape,
    a: PrimAttrs['matmul'],
  ): void {
    const [m, n] = outShape;
    const k = a.transA ? inShapes[0][0] : inShapes[0][1];
    const s = this.slot();
    this.u32[s + 1] = out.offset;
    this.u32[s + 2] = ins[0].offset;
    this.u32[s + 3] = ins[1].offset;
    this.u32[s + 5] = m;
    this.u32[s + 6] = n;
    this.u32[s + 7] = k;
    this.u32[s + 8] = a.transA ? 1 : 0;
    this.u32[s + 9] = a.transB ? 1 : 0;
    const block = this.useTiled ? tiledBlock(this.tile) : 8;
    const gx = Math.ceil(n / block);
    const gy = Math.ceil(m / block);
    if (gx > MAX_GROUPS || gy > MAX_GROUPS)
      throw new RangeError(`matmul: [${m}, ${n}] output is too large for one WebGPU dispatch`);
    this.dispatch(this.useTiled ? 'matmul:tiled' : 'matmul:naive', s, out, ins, [gx, gy]);
  }

  private pad(
    x: GpuBuffer,
    inShape: Shape,
    out: GpuBuffer,
    outShape: Shape,
    before: readonly number[],
  ): void {
    const r = outShape.length;
    checkRank(r, 'pad');
    const xs = stridesOf(inShape);
    const s = this.slot();
    this.u32[s] = out.size;
    this.u32[s + 1] = out.offset;
    this.u32[s + 2] = x.offset;
    this.u32[s + 8] = r;
    for (let d = 0; d < r; d++) {
      this.u32[s + 9 + d] = outShape[d];
      this.u32[s + 9 + r + d] = before[d];
      this.u32[s + 9 + 2 * r + d] = inShape[d];
      this.u32[s + 9 + 3 * r + d] = xs[d];
    }
    this.dispatch('pad', s, out, [x], this.grid1(out.size));
  }

  private concat(
    ins: readonly GpuBuffer[],
    inShapes: readonly Shape[],
    out: GpuBuffer,
    outShape: Shape,
    axis: number,
  ): void {
    const outRow = sizeOf(outShape.slice(axis));
    let col = 0;
    for (let t = 0; t < ins.length; t++) {
      const len = sizeOf(inShapes[t].slice(axis));
      const count = ins[t].size;
      if (count > 0) {
        const s = this.slot();
        this.u32[s] = count;
        this.u32[s + 1] = out.offset;
        this.u32[s + 2] = ins[t].offset;
        this.u32[s + 5] = len;
        this.u32[s + 6] = outRow;
        this.u32[s + 7] = col;
        this.dispatch('concat', s, out, [ins[t]], this.grid1(count));
      }
      col += len;
    }
  }

  // ------------------------------------------------------------------ extras (not primitives)

  /**
   * One optimizer update in place over `params` with gradient `grads` (same length); `states`
   * are the optimizer's own buffers (momentum: [v]; adam: [m, v]). Scalars as documented in
   * kernels/optim.ts. Used by WebGpuOptimizer.
   */
  runOptimizer(
    name: GpuOptimizerName,
    params: BackendBuffer,
    grads: BackendBuffer,
    states: readonly BackendBuffer[],
    scalars: { lr: number; beta1?: number; beta2?: number; delta?: number; c1?: number; c2?: number },
  ): void {
    const p = params as GpuBuffer;
    const g = grads as GpuBuffer;
    if (p.size !== g.size) throw new RangeError(`${name}: params has ${p.size} entries, grads ${g.size}`);
    if (p.gpu === g.gpu) throw new Error(`${name}: params and grads must be different buffers`);
    if (p.size === 0) return;
    const s = this.slot();
    this.u32[s] = p.size;
    this.u32[s + 1] = p.offset;
    this.u32[s + 2] = g.offset;
    this.f32[s + 5] = scalars.lr;
    this.f32[s + 6] = scalars.beta1 ?? 0;
    this.f32[s + 7] = scalars.beta2 ?? 0;
    this.f32[s + 8] = scalars.delta ?? 0;
    this.f32[s + 9] = scalars.c1 ?? 1;
    this.f32[s + 10] = scalars.c2 ?? 1;
    this.dispatch(
      `optim:${name}`,
      s,
      p,
      [g],
      this.grid1(p.size),
      undefined,
      states.map((b) => (b as GpuBuffer).gpu),
    );
  }

  /** out [rows, cols] = act(x + b) with b [cols] broadcast over rows; forward only (see kernels/bias-act.ts). */
  runBiasActivation(
    x: BackendBuffer,
    b: BackendBuffer,
    out: BackendBuffer,
    cols: number,
    act: FusedActivation,
  ): void {
    const xb = x as GpuBuffer;
    const bb = b as GpuBuffer;
    const o = out as GpuBuffer;
    if (o.size === 0) return;
    if (xb.gpu === o.gpu || bb.gpu === o.gpu)
      throw new Error('runBiasActivation: out must not alias an input');
    const s = this.slot();
    this.u32[s] = o.size;
    this.u32[s + 1] = o.offset;
    this.u32[s + 2] = xb.offset;
    this.u32[s + 3] = bb.offset;
    this.u32[s + 5] = cols;
    this.dispatch(`biasAct:${act}`, s, o, [xb, bb], this.grid1(o.size));
  }

  /** Row softmax of x [rows, cols] into out (same shape); for predictions, not differentiated. */
  runSoftmax(x: BackendBuffer, out: BackendBuffer, rows: number, cols: number): void {
    const xb = x as GpuBuffer;
    const o = out as GpuBuffer;
    if (rows * cols === 0) return;
    const src = xb.gpu === o.gpu ? this.copyOf(xb) : xb;
    const s = this.slot();
    this.u32[s] = rows;
    this.u32[s + 1] = o.offset;
    this.u32[s + 2] = src.offset;
    this.u32[s + 5] = cols;
    this.dispatch('softmax', s, o, [src], this.grid(rows));
    if (src !== xb) this.free(src);
  }
}

/**
 * Compiles one WGSL compute kernel (entry point `main`, auto layout) inside a validation error
 * scope. @throws WebGpuError naming the kernel with the compiler's line-numbered messages.
 */
export async function compileKernel(
  device: WDevice,
  key: string,
  code: string,
): Promise<{ pipeline: WComputePipeline; layout: WBindGroupLayout }> {
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ code, label: key });
  const pipeline = device.createComputePipeline({
    layout: 'auto',
    compute: { module, entryPoint: 'main' },
    label: key,
  });
  const err = await device.popErrorScope();
  if (err) {
    const info = await module.getCompilationInfo();
    const msgs = info.messages
      .filter((m) => m.type === 'error')
      .map((m) => `line ${m.lineNum}: ${m.message}`)
      .join('; ');
    throw new WebGpuError(`WebGPU: kernel '${key}' failed to compile: ${msgs || err.message}`);
  }
  return { pipeline, layout: pipeline.getBindGroupLayout(0) };
}

/** Convenience: creates a WebGPU backend (see WebGpuBackend.create). */
export function createWebGpuBackend(gpu: WGpu, opts?: WebGpuBackendOptions): Promise<WebGpuBackend> {
  return WebGpuBackend.create(gpu, opts);
}
