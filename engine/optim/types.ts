/**
 * The optimizer contract shared by the trainer, the editor palette and the lecture experiments.
 *
 * An optimizer is a pair of pure functions over explicit, plain-data state:
 *   state = init(paramCount, hyper)           — allocates every buffer the optimizer will use;
 *   update(state, params, grad, ctx)          — one step; mutates `params` and `state` in place.
 * Invariants:
 * - Parameters and gradients are ONE flat vector each, same layout (Float32Array from the model,
 *   Float64Array in float64 experiments). Optimizers never look at the model's structure.
 * - State holds only numbers, strings, booleans, null and typed arrays, so `serializeState` /
 *   `deserializeState` round-trip it through JSON exactly (checkpoints, pause/resume, saved runs).
 *   The hyperparameters are stored in the state (`state.hyper`), so a saved state resumes alone.
 * - First-order updates allocate nothing in steady state.
 * - Second-order methods (CG, Newton, saddle-free Newton, BFGS, L-BFGS) work in Float64Array:
 *   they keep a float64 master copy of the parameters in the state, evaluate the loss at float64
 *   trial points through `ctx.lossAndGrad`, and write the result back into `params` (rounded to
 *   float32 when params is a Float32Array). If `params` is changed from outside (e.g. weights
 *   restored), they notice the mismatch with their copy and restart from the new point.
 *   They require full-batch, deterministic losses (`ctx.fullBatch === true`).
 */

/** A flat parameter or gradient vector. */
export type ParamVector = Float32Array | Float64Array;

/** Values allowed in optimizer state (JSON-serializable through `serializeState`). */
export type StateValue =
  | number
  | string
  | boolean
  | null
  | Float32Array
  | Float64Array
  | Int32Array
  | StateValue[]
  | { [key: string]: StateValue };

/** Common fields of every optimizer state. */
export interface OptimizerStateBase {
  /** Registry name of the optimizer that created this state. */
  optimizer: string;
  /** Number of parameters the state was built for. */
  paramCount: number;
  /** Number of completed updates. */
  step: number;
  /** Hyperparameters with defaults filled in. */
  hyper: Record<string, number>;
  [key: string]: StateValue;
}

/**
 * Evaluates the loss at `params` and writes ∇loss(params) into `gradOut` (same length).
 * Must be deterministic for second-order methods (full batch, no dropout).
 * @returns the loss value (may be non-finite, which the optimizers report as an error).
 */
export type LossAndGrad = (params: ParamVector, gradOut: ParamVector) => number;

/**
 * Hessian-vector product: writes H(params)·v into `out` (all length paramCount).
 * Typically computed by forward-over-reverse autodiff or by a central difference of gradients.
 */
export type HessianVectorProduct = (params: Float64Array, v: Float64Array, out: Float64Array) => void;

/** Per-step context passed to `update`. */
export interface StepContext {
  /** Learning rate α for this step, from the schedule (ignored by line-search methods; see each optimizer). */
  lr: number;
  /** Loss and gradient at other parameters: needed by Nesterov (look-ahead) and all second-order methods. */
  lossAndGrad?: LossAndGrad;
  /** Hessian-vector product: needed by Newton and saddle-free Newton. */
  hvp?: HessianVectorProduct;
  /**
   * True when `grad` and `lossAndGrad` use the whole training set (batch gradient descent).
   * Second-order methods refuse to run unless this is true.
   */
  fullBatch?: boolean;
  /**
   * Optional 0/1 mask (length paramCount) of the entries that weight decay may shrink (AdamW).
   * Pass it to exclude frozen parameters (e.g. BatchNorm running statistics) and, by convention,
   * biases; without it AdamW decays every entry.
   */
  decayMask?: Uint8Array;
}

/** An optimizer as a pair of pure functions. */
export interface Optimizer<S extends OptimizerStateBase = OptimizerStateBase> {
  /** Registry name, e.g. 'adam'. */
  readonly name: string;
  /**
   * Allocates the state for `paramCount` parameters.
   * @param hyper hyperparameter overrides; unknown names and out-of-range values throw RangeError.
   */
  init(paramCount: number, hyper?: Record<string, number>): S;
  /**
   * Performs one update, mutating `params` and `state` in place.
   * @param grad ∇loss at `params` (same length); first-order methods use it, second-order ones
   *   re-evaluate through ctx.lossAndGrad.
   * @throws OptimizerError on mismatched lengths, missing ctx functions, non-finite loss or gradient.
   */
  update(state: S, params: ParamVector, grad: ParamVector, ctx: StepContext): void;
}

/** Error raised by optimizers; `optimizer` names the method so the UI can point at its node. */
export class OptimizerError extends Error {
  constructor(
    readonly optimizer: string,
    message: string,
  ) {
    super(`${optimizer}: ${message}`);
    this.name = 'OptimizerError';
  }
}

type Encoded = number | string | boolean | null | Encoded[] | { [key: string]: Encoded };

/**
 * Converts optimizer (or any plain-data) state to a JSON-safe value: typed arrays become
 * `{ $typed: 'f32' | 'f64' | 'i32', data: number[] }`; non-finite numbers become `{ $num: 'NaN' | 'Infinity' | '-Infinity' }`.
 * Float32 values survive exactly (every float32 is a float64 that JSON prints exactly).
 */
export function serializeState(value: StateValue): Encoded {
  if (value instanceof Float32Array) return { $typed: 'f32', data: Array.from(value, encodeNum) };
  if (value instanceof Float64Array) return { $typed: 'f64', data: Array.from(value, encodeNum) };
  if (value instanceof Int32Array) return { $typed: 'i32', data: Array.from(value) };
  if (Array.isArray(value)) return value.map(serializeState);
  if (typeof value === 'number') return encodeNum(value);
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: Encoded } = {};
    for (const [k, v] of Object.entries(value)) out[k] = serializeState(v);
    return out;
  }
  return value;
}

/** Inverse of `serializeState`. @throws TypeError on an unknown `$typed` tag. */
export function deserializeState(value: unknown): StateValue {
  if (Array.isArray(value)) return value.map(deserializeState);
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('$num' in o) return decodeNum(o);
    if ('$typed' in o) {
      const data = (o.data as unknown[]).map((x) => (typeof x === 'number' ? x : decodeNum(x)));
      if (o.$typed === 'f32') return Float32Array.from(data);
      if (o.$typed === 'f64') return Float64Array.from(data);
      if (o.$typed === 'i32') return Int32Array.from(data);
      throw new TypeError(`deserializeState: unknown typed-array tag ${String(o.$typed)}`);
    }
    const out: { [key: string]: StateValue } = {};
    for (const [k, v] of Object.entries(o)) out[k] = deserializeState(v);
    return out;
  }
  return value as StateValue;
}

function encodeNum(x: number): Encoded {
  return Number.isFinite(x) ? x : { $num: String(x) };
}

function decodeNum(x: unknown): number {
  const s = (x as { $num?: string }).$num;
  if (s === 'NaN') return NaN;
  if (s === 'Infinity') return Infinity;
  if (s === '-Infinity') return -Infinity;
  throw new TypeError(`deserializeState: bad encoded number ${JSON.stringify(x)}`);
}
