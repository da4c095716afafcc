/**
 * Deterministic benchmark data and weights, generated exactly as bench/WORKLOADS.md documents so that our
 * losses can be compared with the reference runs (PyTorch, numpy, TF.js).
 *
 * - u(k, salt) = lowbias32((k + salt·0x9E3779B9) mod 2³²) / 2³²
 * - X[r, c] = 2·u(r·in + c, 1) − 1 (XOR: its four {0,1} points)
 * - regression y = mean(X[:, 0:8]) + X[:, 8]·X[:, 9]; classification class = floor(u(r, 2)·classes)
 * - W_l[i, j] ([in, out] row-major) = (2·u(i·out + j, 10 + l) − 1)·lim, lim = √(6/(in+out)) for sigmoid nets,
 *   √(6/in) for ReLU nets; biases 0.
 * All values are rounded to float32 once, when stored.
 */

/** The "lowbias32" integer hash of a uint32 (all arithmetic mod 2³²). */
export function lowbias32(x: number): number {
  x >>>= 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** u(k, salt) ∈ [0, 1) as documented. k and salt are non-negative integers. */
export function u(k: number, salt: number): number {
  const x = (k + Math.imul(salt, 0x9e3779b9)) >>> 0;
  return lowbias32(x) / 4294967296;
}

export interface WorkloadSpec {
  layers: number[];
  hidden: 'sigmoid' | 'relu';
  output: 'sigmoid' | 'linear';
  loss: 'bce' | 'mse' | 'softmax_ce';
  classes?: number;
  optimizer: {
    name: 'sgd' | 'adam';
    lr: number;
    momentum?: number;
    beta1?: number;
    beta2?: number;
    eps?: number;
  };
  rows: number;
  batch: number;
  epochs: number | null;
  steps: number | null;
  warmup_steps: number;
}

/** Inputs [rows, in] row-major. XOR (layers[0] = 2, rows = 4) gives its four {0, 1} points. */
export function inputs(w: WorkloadSpec, xor = false): Float32Array {
  const nIn = w.layers[0];
  const X = new Float32Array(w.rows * nIn);
  if (xor) {
    X.set([0, 0, 0, 1, 1, 0, 1, 1]);
    return X;
  }
  for (let r = 0; r < w.rows; r++) for (let c = 0; c < nIn; c++) X[r * nIn + c] = 2 * u(r * nIn + c, 1) - 1;
  return X;
}

/**
 * Targets: XOR [4, 1] = x0 xor x1; MSE workloads [rows, 1]; classification: class indices (Int32Array).
 * Regression targets are computed from the float32 inputs in float64 and rounded once.
 */
export function targets(w: WorkloadSpec, X: Float32Array, xor = false): Float32Array | Int32Array {
  if (xor) return Float32Array.from([0, 1, 1, 0]);
  const nIn = w.layers[0];
  if (w.loss === 'softmax_ce') {
    const classes = w.classes ?? w.layers[w.layers.length - 1];
    const y = new Int32Array(w.rows);
    for (let r = 0; r < w.rows; r++) y[r] = Math.floor(u(r, 2) * classes);
    return y;
  }
  const y = new Float32Array(w.rows);
  for (let r = 0; r < w.rows; r++) {
    let m = 0;
    for (let c = 0; c < 8; c++) m += X[r * nIn + c];
    y[r] = m / 8 + X[r * nIn + 8] * X[r * nIn + 9];
  }
  return y;
}

/** Weight matrix of layer l ([in, out] row-major) as documented; biases are zero. */
export function weights(w: WorkloadSpec, l: number): Float32Array {
  const nIn = w.layers[l];
  const nOut = w.layers[l + 1];
  const lim = w.hidden === 'sigmoid' ? Math.sqrt(6 / (nIn + nOut)) : Math.sqrt(6 / nIn);
  const W = new Float32Array(nIn * nOut);
  for (let i = 0; i < nIn; i++)
    for (let j = 0; j < nOut; j++) W[i * nOut + j] = (2 * u(i * nOut + j, 10 + l) - 1) * lim;
  return W;
}

/** Batch b covers rows b·batch … min((b+1)·batch, rows) − 1; the last partial batch is kept. */
export function batchRange(w: WorkloadSpec, b: number): [start: number, end: number] {
  const perEpoch = Math.ceil(w.rows / w.batch);
  const k = b % perEpoch;
  return [k * w.batch, Math.min((k + 1) * w.batch, w.rows)];
}

/** Total training steps: `steps`, or epochs × ⌈rows / batch⌉. */
export function totalSteps(w: WorkloadSpec): number {
  return w.steps ?? (w.epochs ?? 1) * Math.ceil(w.rows / w.batch);
}
