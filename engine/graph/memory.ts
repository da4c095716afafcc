/**
 * Memory the network's parameters will need before anything is allocated, so that validation can refuse
 * a network that would fail at Start with an allocation error ("Array buffer allocation failed").
 *
 * Estimate (bytes): 4 · params (float32 values, trainable or not) + 4 · trainable (float32 gradients)
 * + 8 · trainable · copies (the optimizer's per-parameter state, which engine/optim keeps in float64:
 * Adam's m and v are 2 copies, SGD with momentum 1, plain SGD 0) + 9 · trainable for SGD, momentum,
 * Adam and AdamW (their WebAssembly kernels stage float32 copies of the values and gradients and a
 * decay-mask byte: engine/optim/update-wasm.ts). Activations and the data are not counted, so the
 * estimate is a lower bound of what training needs.
 *
 * Invariants: pure; counts come from the model summary (engine/nn's parameter declarations).
 */
import type { ModelSummary } from './summary';

/** Largest parameter memory (bytes) validation accepts: 2 GiB. */
export const PARAM_MEMORY_LIMIT_BYTES = 2 ** 31;

/**
 * Per-parameter float64 vectors each optimizer keeps (from the state each method allocates in
 * engine/optim): momentum velocity; Nesterov velocity, look-ahead point and its gradient; AdaGrad r; RMSProp r and v; Adadelta E[g²] and E[Δx²];
 * Adam/AdamW m and v; CG and the line-search methods x, g, d, x_t, g_t. L-BFGS adds 2 per remembered
 * pair (see {@link optimizerStateCopies}); Newton and BFGS keep an n×n matrix, which the
 * 'optimizer-too-large' check limits separately.
 */
const STATE_COPIES: Readonly<Record<string, number>> = {
  sgd: 0,
  momentum: 1,
  nesterov: 3,
  adagrad: 1,
  rmsprop: 2,
  adadelta: 2,
  adam: 2,
  adamw: 2,
  cg: 5,
  newton: 5,
  'saddle-free-newton': 5,
  bfgs: 6,
  lbfgs: 5,
};

/** L-BFGS history length when the node does not set it (engine/optim's default). */
const LBFGS_DEFAULT_HISTORY = 10;

/**
 * Float64 copies of the trainable parameters that optimizer `key` keeps; unknown optimizers count 2
 * (as Adam). `params` are the optimizer node's params (L-BFGS: 'history' pairs of s and y).
 */
export function optimizerStateCopies(key: string, params: Readonly<Record<string, unknown>> = {}): number {
  const base = STATE_COPIES[key] ?? 2;
  if (key !== 'lbfgs') return base;
  const m = params.history;
  return base + 2 * (typeof m === 'number' && m > 0 ? m : LBFGS_DEFAULT_HISTORY);
}

export interface MemoryEstimate {
  /** Estimated bytes (see module header). */
  readonly bytes: number;
  readonly params: number;
  readonly trainable: number;
  /** Optimizer state copies counted (0 when no optimizer). */
  readonly optimizerCopies: number;
  /** The node with the most parameters (null when the network has none). */
  readonly largest: { readonly nodeId: string; readonly params: number } | null;
}

/** Optimizers whose update runs as a WebAssembly kernel with staging copies (9 bytes per parameter). */
export const STAGING_OPTIMIZERS: ReadonlySet<string> = new Set(['sgd', 'momentum', 'adam', 'adamw']);

/**
 * Parameter memory of a summarised network.
 * @param optimizerCopies float64 state copies per trainable parameter ({@link optimizerStateCopies});
 *   pass null for a graph that is not trained (prediction): then gradients are not counted either.
 * @param staging true when the optimizer stages θ, g and a mask byte (STAGING_OPTIMIZERS): +9 bytes
 *   per trainable parameter.
 */
export function estimateParamMemory(
  summary: ModelSummary,
  optimizerCopies: number | null,
  staging = false,
): MemoryEstimate {
  let largest: MemoryEstimate['largest'] = null;
  for (const r of summary.rows)
    if (r.params > 0 && (largest === null || r.params > largest.params))
      largest = { nodeId: r.nodeId, params: r.params };
  const training = optimizerCopies !== null;
  const copies = optimizerCopies ?? 0;
  const perTrainable = 4 + 8 * copies + (staging ? 9 : 0);
  const bytes = 4 * summary.total + (training ? perTrainable * summary.trainable : 0);
  return { bytes, params: summary.total, trainable: summary.trainable, optimizerCopies: copies, largest };
}

/** 1234567 → "1,234,567" (independent of the machine's locale). */
export function groupDigits(n: number): string {
  const s = String(Math.round(Math.abs(n)));
  return (n < 0 ? '-' : '') + s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Bytes as "2 GiB" / "2.004 GiB" / "300.5 MiB" (binary units; whole numbers exact, else 4 significant digits). */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  // 4 significant digits, so that a total just over the limit does not print as the limit itself.
  return u === 0 ? `${v} bytes` : `${Number.isInteger(v) ? v : v.toPrecision(4)} ${units[u]}`;
}
