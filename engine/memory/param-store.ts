/**
 * The flat parameter store: every parameter of a model lives in ONE flat array (float32 by
 * default; float64 for gradient checks) and every gradient in a second flat array of the same
 * layout. Each parameter tensor is a view at an offset, so optimizers update `store.params`
 * in place with `store.grads` (engine/optim works on these flat vectors) and layers see the
 * new values on their next forward pass without any copy.
 *
 * Layout invariant: parameters are laid out in the order they were added; each offset is a
 * multiple of ALIGN (64 elements = 256 bytes, the WebGPU storage-buffer offset alignment), so
 * the same layout maps to one GPU buffer with bound offsets later. Padding elements are zero
 * with zero gradient. The layout is fixed at the first access to the arrays (`build()`).
 * On the CPU the flat arrays are the device buffers (no copies). On another backend (WebGPU) the
 * flat vectors live on the device: use `paramsBuffer`/`gradsBuffer` (device optimizers) and
 * `await readParams()`/`readGrads()`; the synchronous `params`/`grads` arrays, `lossAndGradFn`
 * and `hvpFn` are CPU only and throw a clear error elsewhere.
 */
import { hvp, valueAndGrad, type FnResult } from '../autodiff/grad';
import { CpuBackend } from '../backend/cpu';
import type { Backend, BackendBuffer, DType, HostArray } from '../backend/types';
import { defaultBackend, tensor } from '../tensor/create';
import { checkShape, fmtShape, sizeOf, type Shape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { tidy } from './scope';

/** Element alignment of each parameter's offset (256 bytes of float32). */
export const ALIGN = 64;

export interface ParamSpec {
  readonly name: string;
  readonly shape: Shape;
  /** Element offset in the flat arrays. */
  readonly offset: number;
  readonly size: number;
  /** Frozen parameters (trainable = false) get no gradient (their slice of grads stays 0). */
  trainable: boolean;
}

/** Fills a parameter's view at build time (e.g. an initializer from engine/init). */
export type ParamInit = (view: HostArray, spec: ParamSpec) => void;

export class ParamStore {
  readonly backend: Backend;
  readonly dtype: DType;
  /** Device path (non-CPU backend): flat buffers on the device. */
  private deviceParams: BackendBuffer | null = null;
  private deviceGrads: BackendBuffer | null = null;
  /** The flat buffers on the backend (CPU: wrappers of the flat arrays). */
  private paramBuf: BackendBuffer | null = null;
  private gradBuf: BackendBuffer | null = null;
  private built = false;
  private flatLength = 0;
  private readonly specs: ParamSpec[] = [];
  private readonly byName = new Map<string, number>();
  private readonly inits: (ParamInit | number | undefined)[] = [];
  private total = 0;
  private flatParams: HostArray | null = null;
  private flatGrads: HostArray | null = null;
  private views: Tensor[] = [];
  private gradViews: Tensor[] = [];
  private record: Record<string, Tensor> = {};

  constructor(opts: { backend?: Backend; dtype?: DType } = {}) {
    this.backend = opts.backend ?? defaultBackend();
    this.dtype = opts.dtype ?? 'float32';
  }

  /**
   * Declares a parameter. @param init a function filling its view, or a constant (default 0).
   * @throws Error when the name is taken or the store is already built; RangeError on a bad shape.
   */
  add(name: string, shape: Shape, init?: ParamInit | number, opts: { trainable?: boolean } = {}): ParamSpec {
    if (this.built) {
      throw new Error(
        `ParamStore.add('${name}'): the store is already built; declare every parameter before using it`,
      );
    }
    if (this.byName.has(name)) throw new Error(`ParamStore.add: a parameter named '${name}' already exists`);
    checkShape(shape, `ParamStore.add('${name}')`);
    const offset = Math.ceil(this.total / ALIGN) * ALIGN;
    const spec: ParamSpec = {
      name,
      shape: [...shape],
      offset,
      size: sizeOf(shape),
      trainable: opts.trainable ?? true,
    };
    this.total = offset + spec.size;
    this.byName.set(name, this.specs.length);
    this.specs.push(spec);
    this.inits.push(init);
    return spec;
  }

  /** Allocates the flat arrays, runs the initialisers, makes the views. Idempotent. */
  build(): this {
    if (this.built) return this;
    const n = Math.ceil(this.total / ALIGN) * ALIGN;
    // Initialisers always fill a host array; on a device backend it is uploaded once, then dropped.
    const host = this.dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
    const cpu = this.backend instanceof CpuBackend ? this.backend : null;
    this.specs.forEach((s, i) => {
      const view = host.subarray(s.offset, s.offset + s.size);
      const init = this.inits[i];
      if (typeof init === 'number') view.fill(init);
      else if (init) init(view, s);
    });
    let pb: BackendBuffer;
    let gb: BackendBuffer;
    if (cpu !== null) {
      this.flatParams = host;
      this.flatGrads = this.dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
      pb = cpu.wrap(this.flatParams);
      gb = cpu.wrap(this.flatGrads);
    } else {
      pb = this.deviceParams = this.backend.allocate(n, this.dtype);
      gb = this.deviceGrads = this.backend.allocate(n, this.dtype);
      this.backend.write(pb, host);
      this.backend.fill(gb, 0);
    }
    this.built = true;
    this.flatLength = n;
    this.paramBuf = pb;
    this.gradBuf = gb;
    this.specs.forEach((s) => {
      const t = new Tensor(this.backend, this.backend.view(pb, s.offset, s.size), s.shape, false);
      t.kept = true;
      this.views.push(t);
      this.gradViews.push(new Tensor(this.backend, this.backend.view(gb, s.offset, s.size), s.shape, false));
      this.record[s.name] = t;
    });
    return this;
  }

  /** Total flat length (including alignment padding). */
  get length(): number {
    return this.build().flatLength;
  }
  /** The flat parameter vector (live: writing it changes the parameters). CPU only. */
  get params(): HostArray {
    return (
      this.build().flatParams ?? this.hostOnly('params', 'await store.readParams() or store.paramsBuffer')
    );
  }
  /** The flat gradient vector, same layout as params. CPU only. */
  get grads(): HostArray {
    return this.build().flatGrads ?? this.hostOnly('grads', 'await store.readGrads() or store.gradsBuffer');
  }
  /** The flat parameter buffer on the backend (any backend; device optimizers update it in place). */
  get paramsBuffer(): BackendBuffer {
    return this.build().paramBuf!;
  }
  /** The flat gradient buffer on the backend. */
  get gradsBuffer(): BackendBuffer {
    return this.build().gradBuf!;
  }
  /** A copy of the flat parameters (every backend). */
  async readParams(): Promise<HostArray> {
    this.build();
    return this.deviceParams ? this.backend.read(this.deviceParams) : this.flatParams!.slice();
  }
  /** A copy of the flat gradients (every backend). */
  async readGrads(): Promise<HostArray> {
    this.build();
    return this.deviceGrads ? this.backend.read(this.deviceGrads) : this.flatGrads!.slice();
  }

  private hostOnly(what: string, use: string): never {
    throw new Error(
      `ParamStore.${what}: the parameters live on the '${this.backend.name}' device, not in host memory; use ${use}`,
    );
  }
  /** Layout, in order. */
  get entries(): readonly ParamSpec[] {
    return this.specs;
  }

  spec(name: string): ParamSpec {
    const i = this.byName.get(name);
    if (i === undefined)
      throw new Error(
        `ParamStore: no parameter named '${name}' (have: ${[...this.byName.keys()].join(', ')})`,
      );
    return this.specs[i];
  }

  /** The tensor view of a parameter. */
  tensor(name: string): Tensor {
    this.build();
    return this.views[this.byName.get(name) ?? (this.spec(name), -1)];
  }

  /** All parameter views by name (the same object on every call). */
  tensors(): Readonly<Record<string, Tensor>> {
    return this.build().record;
  }

  /** Sets every gradient to zero. */
  zeroGrad(): void {
    this.build();
    if (this.deviceGrads) this.backend.fill(this.deviceGrads, 0);
    else this.flatGrads!.fill(0);
  }

  /** Copies values in (e.g. a checkpoint). @throws RangeError on a length mismatch. */
  setParams(values: ArrayLike<number>): void {
    if (values.length !== this.length) {
      throw new RangeError(`ParamStore.setParams: ${values.length} values for a store of ${this.length}`);
    }
    if (this.deviceParams) this.backend.write(this.deviceParams, values);
    else this.params.set(values);
  }

  /**
   * Evaluates the scalar loss `f(params)` and ADDS ∂loss/∂θ into `grads` (call zeroGrad()
   * first for a fresh gradient). Frozen parameters are passed as constants.
   * @returns the loss value as a tensor in the caller's scope (with f's aux, if any).
   */
  valueAndGrad(f: (p: Readonly<Record<string, Tensor>>) => FnResult): { value: Tensor; aux: unknown } {
    this.build();
    const trainable: Record<string, Tensor> = {};
    const idx: number[] = [];
    this.specs.forEach((s, i) => {
      if (s.trainable) {
        trainable[s.name] = this.views[i];
        idx.push(i);
      }
    });
    return tidy(() => {
      const r = valueAndGrad((p: Record<string, Tensor>) => f({ ...this.record, ...p }))(trainable);
      const names = Object.keys(trainable);
      for (let k = 0; k < names.length; k++) {
        const g = r.grads[names[k]];
        const gv = this.gradViews[idx[k]];
        if (g.dtype !== this.dtype)
          throw new TypeError(`ParamStore: gradient of '${names[k]}' is ${g.dtype}, store is ${this.dtype}`);
        // In-place accumulate through the backend (same-shape add may write its first input).
        this.backend.run('add', [gv.buf, g.buf], [gv.shape, g.shape], gv.buf, gv.shape, {} as never);
      }
      return { value: r.value, aux: r.aux };
    });
  }

  private trainableViews(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    this.specs.forEach((s, i) => {
      if (s.trainable) out[s.name] = this.views[i];
    });
    return out;
  }

  /** Runs `fn` with the flat parameters temporarily replaced by `at`, then restores them. */
  private withParams<T>(at: ArrayLike<number>, fn: () => T): T {
    const P = this.params;
    if (at.length !== P.length) {
      throw new RangeError(
        `ParamStore: a parameter vector of ${at.length} for a store of ${P.length} (use store.length)`,
      );
    }
    const saved = P.slice();
    P.set(at);
    try {
      return fn();
    } finally {
      P.set(saved);
    }
  }

  /**
   * A `(params, gradOut) => loss` function over flat vectors in this store's layout, for
   * optimizers that evaluate other points (Nesterov look-ahead, line searches, CG, L-BFGS).
   * Does not touch `store.params`/`store.grads` (they are restored). A float64 input to a
   * float32 store is rounded to float32: use a float64 store for second-order methods.
   */
  lossAndGradFn(
    f: (p: Readonly<Record<string, Tensor>>) => FnResult,
  ): (params: ArrayLike<number>, gradOut: Float32Array | Float64Array) => number {
    return (params, gradOut) =>
      this.withParams(params, () =>
        tidy(() => {
          const r = valueAndGrad((p: Record<string, Tensor>) => f({ ...this.record, ...p }))(
            this.trainableViews(),
          );
          gradOut.fill(0);
          for (const s of this.specs) if (s.trainable) gradOut.set(r.grads[s.name].dataSync(), s.offset);
          return r.value.item();
        }),
      );
  }

  /**
   * A `(params, v, out) => void` Hessian-vector product over flat vectors in this store's
   * layout (forward-over-reverse, see engine/autodiff/grad.ts), for Newton-type optimizers.
   * Frozen parameters and padding get 0 in `out`.
   */
  hvpFn(
    f: (p: Readonly<Record<string, Tensor>>) => FnResult,
  ): (params: ArrayLike<number>, v: ArrayLike<number>, out: Float32Array | Float64Array) => void {
    return (params, v, out) =>
      this.withParams(params, () =>
        tidy(() => {
          const P = this.trainableViews();
          const V: Record<string, Tensor> = {};
          const vv = Float64Array.from(v);
          for (const s of this.specs) {
            if (s.trainable) {
              V[s.name] = tensor(vv.subarray(s.offset, s.offset + s.size), s.shape, {
                dtype: this.dtype,
                backend: this.backend,
              });
            }
          }
          const r = hvp((p: Record<string, Tensor>) => f({ ...this.record, ...p }), P, V);
          out.fill(0);
          for (const s of this.specs) if (s.trainable) out.set(r.hvp[s.name].dataSync(), s.offset);
        }),
      );
  }

  /** A short description for errors and logs. */
  toString(): string {
    return `ParamStore(${this.specs.map((s) => `${s.name}${fmtShape(s.shape)}`).join(', ')})`;
  }
}
