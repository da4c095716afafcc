/**
 * Radial Basis Function networks (lecture "Radial Basis Function Nets"):
 *   φ(x) = [1, exp(−‖x − μ₀‖²/(2σ₀²)), …, exp(−‖x − μ_{N−1}‖²/(2σ_{N−1}²))],  ŷ = wᵀφ(x)
 * (identity transfer g: regression; for classification feed ŷ to a sigmoid/softmax elsewhere).
 * Training recipes from the lecture:
 *   2-step: (1) centres by placement/vector quantization and widths; (2) output weights by
 *           closed-form least squares (ridge-regularised) or gradient descent;
 *   3-step: then (3) fine-tune centres, widths and weights together by gradient descent on the MSE.
 * Gradients are analytic in float64 (checked against finite differences in the tests); widths are
 * optimised as log σ so they stay positive, and kept ≥ the width floor.
 * Layout of the flat 3-step vector: [μ (k×d) | log σ (k) | W ((k+1)×out, row 0 = bias)].
 */
import { leastSquares } from '../linalg/cholesky';
import { adam } from '../optim/adaptive';
import { Rng } from '../random/rng';
import { growingNeuralGas, kmeansPlusPlus, randomSampleCentres, uniformCentres } from './centres';
import { rbfWidthFloor, rbfWidths, type WidthOptions } from './widths';

export interface RbfModel {
  /** Number of centres k, input dimension d, outputs. */
  k: number;
  d: number;
  out: number;
  /** Row-major k×d. */
  centres: Float64Array;
  /** k widths σ > 0. */
  widths: Float64Array;
  /** Row-major (k+1)×out; row 0 is the bias. */
  weights: Float64Array;
}

export type Placement = 'sample' | 'uniform' | 'kmeans++' | 'gng';

export interface RbfTrainOptions {
  /** Number of centres k. */
  centres: number;
  placement?: Placement;
  widths?: WidthOptions;
  seed?: number;
  /** How step 2 fits the output weights (default closed-form least squares). */
  output?: 'least-squares' | 'gradient-descent';
  /** Ridge λ for least squares (default 1e−8). */
  ridge?: number;
  /** Epochs and Adam learning rate for gradient-descent output fitting (default 2000, 0.01). */
  outputEpochs?: number;
  outputLr?: number;
  /** When set, the 3-step recipe: fine-tune everything with full-batch Adam. */
  fineTune?: { epochs: number; lr: number };
}

export interface RbfTrainResult {
  model: RbfModel;
  recipe: '2-step' | '3-step';
  /** Training MSE after step 2 and after step 3 (if run). */
  mseAfterStep2: number;
  mseAfterStep3: number | null;
  /** Width floor used (σ never drops below it during fine-tuning). */
  widthFloor: number;
}

function checkXY(x: ArrayLike<number>, n: number, d: number, y: ArrayLike<number>, out: number) {
  if (x.length !== n * d) throw new RangeError(`RBF: inputs have ${x.length} values, expected ${n}×${d}`);
  if (y.length !== n * out)
    throw new RangeError(`RBF: targets have ${y.length} values, expected ${n}×${out}`);
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i]))
      throw new RangeError(`RBF: target row ${Math.floor(i / out)}, column ${i % out} is ${y[i]}`);
  }
}

/** Design matrix Φ, row-major n×(k+1), first column 1. */
export function rbfFeatures(m: RbfModel, x: ArrayLike<number>, n: number): Float64Array {
  const { k, d, centres, widths } = m;
  const phi = new Float64Array(n * (k + 1));
  for (let r = 0; r < n; r++) {
    phi[r * (k + 1)] = 1;
    for (let i = 0; i < k; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (x[r * d + j] - centres[i * d + j]) ** 2;
      phi[r * (k + 1) + 1 + i] = Math.exp(-s / (2 * widths[i] * widths[i]));
    }
  }
  return phi;
}

/** Predictions ŷ = Φ·W, row-major n×out. */
export function rbfPredict(m: RbfModel, x: ArrayLike<number>, n: number): Float64Array {
  if (x.length !== n * m.d)
    throw new RangeError(`rbfPredict: inputs have ${x.length} values, expected ${n}×${m.d}`);
  const phi = rbfFeatures(m, x, n);
  const K = m.k + 1;
  const y = new Float64Array(n * m.out);
  for (let r = 0; r < n; r++)
    for (let i = 0; i < K; i++) {
      const p = phi[r * K + i];
      for (let o = 0; o < m.out; o++) y[r * m.out + o] += p * m.weights[i * m.out + o];
    }
  return y;
}

/** Mean squared error over all n×out targets. */
export function rbfMse(m: RbfModel, x: ArrayLike<number>, n: number, y: ArrayLike<number>): number {
  const p = rbfPredict(m, x, n);
  let s = 0;
  for (let i = 0; i < p.length; i++) s += (p[i] - y[i]) ** 2;
  return s / p.length;
}

/** Packs a model into the flat 3-step vector [μ | log σ | W]. */
export function packRbf(m: RbfModel): Float64Array {
  const v = new Float64Array(m.k * m.d + m.k + (m.k + 1) * m.out);
  v.set(m.centres, 0);
  for (let i = 0; i < m.k; i++) v[m.k * m.d + i] = Math.log(m.widths[i]);
  v.set(m.weights, m.k * m.d + m.k);
  return v;
}

/** Writes a flat [μ | log σ | W] vector back into the model. */
export function unpackRbf(v: ArrayLike<number>, m: RbfModel): void {
  const kd = m.k * m.d;
  for (let i = 0; i < kd; i++) m.centres[i] = v[i];
  for (let i = 0; i < m.k; i++) m.widths[i] = Math.exp(v[kd + i]);
  for (let i = 0; i < m.weights.length; i++) m.weights[i] = v[kd + m.k + i];
}

/**
 * MSE = (1/(n·out)) Σ (ŷ − y)² at the flat parameters v (layout of packRbf) and its gradient:
 *   ∂/∂W_io = Σ_r gₒ φᵢ;   ∂/∂μᵢ = Σ_r sᵢ φᵢ (x − μᵢ)/σᵢ²;   ∂/∂log σᵢ = Σ_r sᵢ φᵢ ‖x − μᵢ‖²/σᵢ²,
 * with gₒ = 2(ŷₒ − yₒ)/(n·out) and sᵢ = Σₒ gₒ W_io.
 */
export function rbfLossAndGrad(
  v: ArrayLike<number>,
  grad: Float64Array | Float32Array,
  shape: { k: number; d: number; out: number },
  x: ArrayLike<number>,
  n: number,
  y: ArrayLike<number>,
): number {
  const { k, d, out } = shape;
  const kd = k * d;
  const wOff = kd + k;
  grad.fill(0);
  const phi = new Float64Array(k);
  const dist2 = new Float64Array(k);
  const g = new Float64Array(out);
  let loss = 0;
  const scale = 2 / (n * out);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < k; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (x[r * d + j] - v[i * d + j]) ** 2;
      const s2 = Math.exp(2 * v[kd + i]);
      dist2[i] = s;
      phi[i] = Math.exp(-s / (2 * s2));
    }
    for (let o = 0; o < out; o++) {
      let p = v[wOff + o];
      for (let i = 0; i < k; i++) p += phi[i] * v[wOff + (i + 1) * out + o];
      const e = p - y[r * out + o];
      loss += (e * e) / (n * out);
      g[o] = scale * e;
      grad[wOff + o] += g[o];
    }
    for (let i = 0; i < k; i++) {
      let si = 0;
      for (let o = 0; o < out; o++) {
        grad[wOff + (i + 1) * out + o] += g[o] * phi[i];
        si += g[o] * v[wOff + (i + 1) * out + o];
      }
      const inv = 1 / Math.exp(2 * v[kd + i]);
      const c = si * phi[i] * inv;
      for (let j = 0; j < d; j++) grad[i * d + j] += c * (x[r * d + j] - v[i * d + j]);
      grad[kd + i] += c * dist2[i];
    }
  }
  return loss;
}

/** Step 2 by least squares: W = argmin ‖ΦW − Y‖² + λ‖W‖². */
export function fitOutputWeights(
  m: RbfModel,
  x: ArrayLike<number>,
  n: number,
  y: ArrayLike<number>,
  ridge = 1e-8,
): void {
  const phi = rbfFeatures(m, x, n);
  m.weights.set(leastSquares(phi, n, m.k + 1, y, m.out, ridge));
}

/** Step 2 by full-batch gradient descent (Adam) on the output weights only. */
export function fitOutputWeightsGD(
  m: RbfModel,
  x: ArrayLike<number>,
  n: number,
  y: ArrayLike<number>,
  epochs = 2000,
  lr = 0.01,
): void {
  const phi = rbfFeatures(m, x, n);
  const K = m.k + 1;
  const w = m.weights;
  const grad = new Float64Array(w.length);
  const state = adam.init(w.length);
  const pred = new Float64Array(m.out);
  for (let e = 0; e < epochs; e++) {
    grad.fill(0);
    for (let r = 0; r < n; r++) {
      pred.fill(0);
      for (let i = 0; i < K; i++)
        for (let o = 0; o < m.out; o++) pred[o] += phi[r * K + i] * w[i * m.out + o];
      for (let o = 0; o < m.out; o++) {
        const gi = (2 * (pred[o] - y[r * m.out + o])) / (n * m.out);
        for (let i = 0; i < K; i++) grad[i * m.out + o] += gi * phi[r * K + i];
      }
    }
    adam.update(state, w, grad, { lr });
  }
}

/**
 * Trains an RBF network by the lecture's 2-step recipe, or 3-step when `opts.fineTune` is set.
 * @param x row-major n×d inputs; @param y row-major n×out targets.
 * @throws RangeError for shape mismatches, non-finite data, or bad options (naming them).
 */
export function trainRbf(
  x: ArrayLike<number>,
  n: number,
  d: number,
  y: ArrayLike<number>,
  out: number,
  opts: RbfTrainOptions,
): RbfTrainResult {
  checkXY(x, n, d, y, out);
  const k = opts.centres;
  const rng = new Rng(opts.seed ?? 1);
  const placement = opts.placement ?? 'kmeans++';
  let centres: Float64Array;
  if (placement === 'sample') centres = randomSampleCentres(x, n, d, k, rng);
  else if (placement === 'uniform') centres = uniformCentres(x, n, d, k, rng);
  else if (placement === 'kmeans++') centres = kmeansPlusPlus(x, n, d, k, rng).centres;
  else if (placement === 'gng') centres = growingNeuralGas(x, n, d, rng, { maxNodes: k }).centres;
  else
    throw new RangeError(
      `trainRbf: unknown placement '${placement as string}'; use sample, uniform, kmeans++ or gng`,
    );
  const kk = centres.length / d;
  const widths = rbfWidths(centres, kk, d, opts.widths);
  const floor = rbfWidthFloor(centres, kk, d, opts.widths);
  const model: RbfModel = { k: kk, d, out, centres, widths, weights: new Float64Array((kk + 1) * out) };
  if ((opts.output ?? 'least-squares') === 'least-squares')
    fitOutputWeights(model, x, n, y, opts.ridge ?? 1e-8);
  else fitOutputWeightsGD(model, x, n, y, opts.outputEpochs ?? 2000, opts.outputLr ?? 0.01);
  const mse2 = rbfMse(model, x, n, y);
  if (!opts.fineTune)
    return { model, recipe: '2-step', mseAfterStep2: mse2, mseAfterStep3: null, widthFloor: floor };
  const { epochs, lr } = opts.fineTune;
  if (!(Number.isInteger(epochs) && epochs >= 1 && lr > 0)) {
    throw new RangeError(`trainRbf: fineTune needs an integer epochs ≥ 1 and lr > 0, got ${epochs}, ${lr}`);
  }
  const v = packRbf(model);
  const grad = new Float64Array(v.length);
  const state = adam.init(v.length);
  // The floor of step 1 stays in force so fine-tuning cannot collapse a width to 0.
  const logFloor = Math.log(floor);
  for (let e = 0; e < epochs; e++) {
    const loss = rbfLossAndGrad(v, grad, model, x, n, y);
    if (!Number.isFinite(loss))
      throw new RangeError(`trainRbf: fine-tuning diverged at epoch ${e} (loss ${loss}); lower fineTune.lr`);
    adam.update(state, v, grad, { lr });
    for (let i = 0; i < kk; i++) v[kk * d + i] = Math.max(v[kk * d + i], logFloor);
  }
  unpackRbf(v, model);
  return {
    model,
    recipe: '3-step',
    mseAfterStep2: mse2,
    mseAfterStep3: rbfMse(model, x, n, y),
    widthFloor: floor,
  };
}
