/**
 * Optimizers that run on the device over a ParamStore's flat parameter and gradient buffers
 * (kernels/optim.ts), so a WebGPU training step never copies parameters to the host.
 * Formulas and hyperparameter names match engine/optim (sgd; momentum: β; adam: β₁, β₂, δ).
 *
 * Invariant: the state vectors live on the device, float32 (the CPU optimizers keep float64),
 * allocated once; `step` counts updates for Adam's bias correction, computed on the host in
 * float64 (c = 1 − βᵗ) and passed to the kernel.
 */
import type { BackendBuffer } from '../types';
import type { WebGpuBackend } from './backend';
import type { GpuOptimizerName } from './kernels/optim';

export type WebGpuOptimizerName = GpuOptimizerName;

const DEFAULTS: Record<GpuOptimizerName, Record<string, number>> = {
  sgd: {},
  momentum: { beta: 0.9 },
  adam: { beta1: 0.9, beta2: 0.999, delta: 1e-8 },
};

/** One device optimizer (sgd, momentum or adam) bound to a parameter count; see the module header. */
export class WebGpuOptimizer {
  readonly hyper: Readonly<Record<string, number>>;
  /** Completed updates. */
  step = 0;
  private readonly states: BackendBuffer[] = [];

  /**
   * @param n length of the flat vectors (store.length)
   * @throws RangeError on an unknown hyperparameter or a value outside its range.
   */
  constructor(
    readonly backend: WebGpuBackend,
    readonly name: GpuOptimizerName,
    readonly n: number,
    hyper: Record<string, number> = {},
  ) {
    const def = DEFAULTS[name];
    if (def === undefined)
      throw new RangeError(`WebGpuOptimizer: unknown optimizer '${name}' (sgd, momentum, adam)`);
    for (const [k, v] of Object.entries(hyper)) {
      if (!(k in def)) throw new RangeError(`WebGpuOptimizer(${name}): unknown hyperparameter '${k}'`);
      const ok = k === 'delta' ? v >= 0 && v <= 1 : v >= 0 && v < 1;
      if (!Number.isFinite(v) || !ok)
        throw new RangeError(`WebGpuOptimizer(${name}): ${k} = ${v} is out of range`);
    }
    this.hyper = { ...def, ...hyper };
    const count = name === 'sgd' ? 0 : name === 'momentum' ? 1 : 2;
    for (let i = 0; i < count; i++) {
      const b = backend.allocate(n, 'float32');
      backend.fill(b, 0);
      this.states.push(b);
    }
  }

  /**
   * One update θ ← update(θ, g) in place on the device (nothing is read back).
   * @throws RangeError when the buffers' length differs from n or lr is not a finite number ≥ 0.
   */
  update(params: BackendBuffer, grads: BackendBuffer, lr: number): void {
    if (params.size !== this.n || grads.size !== this.n)
      throw new RangeError(
        `${this.name}: buffers of ${params.size}/${grads.size} entries for an optimizer of ${this.n}`,
      );
    if (!(Number.isFinite(lr) && lr >= 0))
      throw new RangeError(`${this.name}: learning rate must be a finite number ≥ 0, got ${lr}`);
    const h = this.hyper;
    const t = this.step + 1;
    if (this.name === 'sgd') this.backend.runOptimizer('sgd', params, grads, [], { lr });
    else if (this.name === 'momentum')
      this.backend.runOptimizer('momentum', params, grads, this.states, { lr, beta1: h.beta });
    else
      this.backend.runOptimizer('adam', params, grads, this.states, {
        lr,
        beta1: h.beta1,
        beta2: h.beta2,
        delta: h.delta,
        c1: 1 - Math.pow(h.beta1, t),
        c2: 1 - Math.pow(h.beta2, t),
      });
    this.step = t;
  }

  /** Copies of the state vectors (momentum: [v]; adam: [m, v]). */
  async readState(): Promise<Float32Array[]> {
    return Promise.all(this.states.map(async (b) => (await this.backend.read(b)) as Float32Array));
  }

  /**
   * Restores state vectors and the update count (e.g. from a CPU checkpoint: momentum [v], adam [m, v]).
   * @throws RangeError when the number or length of the vectors does not fit this optimizer.
   */
  loadState(vectors: readonly ArrayLike<number>[], step: number): void {
    if (vectors.length !== this.states.length || vectors.some((v) => v.length !== this.n))
      throw new RangeError(
        `${this.name}: state of ${vectors.length} vectors (${vectors.map((v) => v.length).join(', ')}) for ${this.states.length} of ${this.n}`,
      );
    if (!Number.isInteger(step) || step < 0) throw new RangeError(`${this.name}: invalid step ${step}`);
    vectors.forEach((v, i) => this.backend.write(this.states[i], v));
    this.step = step;
  }

  /** Frees the state buffers. */
  dispose(): void {
    for (const b of this.states) this.backend.free(b);
    this.states.length = 0;
  }
}
