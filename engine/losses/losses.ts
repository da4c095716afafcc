/**
 * Loss functions with mean reduction, as compositions of the core's differentiable primitives, and the L1/L2
 * weight penalties. Source: lecture "Output activation functions" (regression → ℓ2, binary → sigmoid + BCE,
 * multi-class → softmax + CE), "Computational graph" (ℓ2 loss (1/M)Σ(ŷ − y)²).
 *
 * Shapes: predictions and targets are [batch, outputs] (or any equal shapes for the element-wise losses);
 * cross-entropy takes logits/probabilities [batch, classes] and targets as class indices (Int32Array or
 * number[] of length batch) or as a one-hot/soft tensor [batch, classes]. Every loss returns a 0-d tensor.
 *
 * Stability: BCE/CE from logits use the log-sum-exp forms and are exact for logits of ±1000; BCE from
 * probabilities clamps p to [eps, 1 − eps] (eps = 1e-7 by default, Keras' choice; the gradient is 0 where the
 * clamp is active); CE from probabilities clamps p ≥ eps, unless p came straight from `softmax`, in which case
 * the pair is fused into log-softmax of the logits (exact, and the gradient is softmax − target).
 *
 * Class weights (conventions of PyTorch): BCE weights each element by w₁·y + w₀·(1 − y) and takes the plain
 * mean; cross-entropy takes the weighted mean Σᵢ w_{yᵢ} ℓᵢ / Σᵢ w_{yᵢ} (for one-hot targets wᵢ = Σ_c y_ic w_c).
 */
import {
  abs,
  add,
  div,
  gather,
  greater,
  log,
  log1p,
  exp,
  maximum,
  mean,
  minimum,
  mul,
  neg,
  reshape,
  square,
  sub,
  sum,
  tensor,
  where,
  type Tensor,
} from '../index';
import { logSoftmax, softmaxLogits } from '../nn/activations/tensor';

/** Targets for cross-entropy: one class index per row, or a [batch, classes] one-hot/probability tensor. */
export type ClassTargets = Int32Array | readonly number[] | Tensor;

export interface WeightOptions {
  /** Per-class weights: [w₀, w₁] for BCE, one per class for cross-entropy. */
  classWeights?: readonly number[];
}

function sameShape(a: Tensor, b: Tensor, where_: string): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i]))
    throw new RangeError(
      `${where_}: prediction shape [${a.shape.join(', ')}] and target shape [${b.shape.join(', ')}] differ; ` +
        'the last layer must have one output per target column',
    );
}

/**
 * Mean squared error (1/n)Σ(ŷ − y)² over all n elements (lecture "Computational graph", ℓ2 loss).
 * @param pred, target equal shapes, e.g. [batch, outputs]. @returns a 0-d tensor.
 * @throws RangeError when the shapes differ.
 */
export function mse(pred: Tensor, target: Tensor): Tensor {
  sameShape(pred, target, 'MSE');
  return mean(square(sub(pred, target)));
}

/**
 * Mean absolute error (1/n)Σ|ŷ − y| (ℓ1; subgradient 0 where ŷ = y).
 * @param pred, target equal shapes. @returns a 0-d tensor. @throws RangeError when the shapes differ.
 */
export function mae(pred: Tensor, target: Tensor): Tensor {
  sameShape(pred, target, 'MAE');
  return mean(abs(sub(pred, target)));
}

/**
 * Huber loss (Huber 1964), mean of ½r² for |r| ≤ δ and δ(|r| − ½δ) otherwise, r = ŷ − y.
 * @param pred, target equal shapes. @param delta δ > 0 (default 1), in the units of the target.
 * @throws RangeError unless δ is a finite number > 0, or when the shapes differ.
 */
export function huber(pred: Tensor, target: Tensor, delta = 1): Tensor {
  sameShape(pred, target, 'Huber');
  if (!(delta > 0) || !Number.isFinite(delta))
    throw new RangeError(`Huber: delta must be a positive number, got ${delta}`);
  const r = sub(pred, target);
  const a = abs(r);
  const quad = mul(square(r), 0.5);
  const lin = mul(sub(a, 0.5 * delta), delta);
  return mean(where(greater(a, delta), lin, quad));
}

function bceWeights(target: Tensor, opts: WeightOptions, where_: string): Tensor | null {
  const cw = opts.classWeights;
  if (!cw) return null;
  if (cw.length !== 2 || !cw.every((w) => Number.isFinite(w) && w >= 0))
    throw new RangeError(
      `${where_}: classWeights must be two non-negative numbers [w0, w1], got [${cw.join(', ')}]`,
    );
  return add(mul(target, cw[1] - cw[0]), cw[0]); // w₁y + w₀(1 − y)
}

/**
 * Binary cross-entropy from probabilities: −mean(y·ln p + (1 − y)·ln(1 − p)), p clamped to [eps, 1 − eps].
 * @param prob probabilities in [0, 1] (e.g. a sigmoid output), same shape as target (targets in [0, 1];
 *   values outside are not checked, as that would need a device read-back). Lecture "Output activation
 *   functions" (sigmoid + BCE). @returns a 0-d tensor.
 * @throws RangeError when the shapes differ or classWeights is not two non-negative numbers.
 */
export function bce(prob: Tensor, target: Tensor, opts: WeightOptions & { eps?: number } = {}): Tensor {
  sameShape(prob, target, 'BCE');
  const eps = opts.eps ?? 1e-7;
  const p = minimum(maximum(prob, eps), 1 - eps);
  const l = neg(add(mul(target, log(p)), mul(sub(1, target), log(sub(1, p)))));
  const w = bceWeights(target, opts, 'BCE');
  return mean(w ? mul(l, w) : l);
}

/**
 * Binary cross-entropy from logits z, in the stable form max(z, 0) − z·y + ln(1 + e^{−|z|})
 * (= −y ln σ(z) − (1 − y) ln(1 − σ(z))); exact for |z| = 1000.
 * @param logits, target equal shapes. @returns a 0-d tensor.
 * @throws RangeError when the shapes differ or classWeights is not two non-negative numbers.
 */
export function bceWithLogits(logits: Tensor, target: Tensor, opts: WeightOptions = {}): Tensor {
  sameShape(logits, target, 'BCE (logits)');
  const l = add(sub(maximum(logits, 0), mul(logits, target)), log1p(exp(neg(abs(logits)))));
  const w = bceWeights(target, opts, 'BCE (logits)');
  return mean(w ? mul(l, w) : l);
}

/** Mean (or class-weighted mean) of the row losses −Σ_c t_c·logp_c, from log-probabilities [B, C]. */
function nllRows(logp: Tensor, target: ClassTargets, opts: WeightOptions, where_: string): Tensor {
  if (logp.rank !== 2)
    throw new RangeError(`${where_}: expects [batch, classes] scores, got [${logp.shape.join(', ')}]`);
  const [B, C] = logp.shape;
  const cw = opts.classWeights;
  if (cw && (cw.length !== C || !cw.every((w) => Number.isFinite(w) && w >= 0)))
    throw new RangeError(
      `${where_}: classWeights needs ${C} non-negative numbers (one per class), got ${cw.length}`,
    );
  if (isTensor(target)) {
    sameShape(logp, target, where_);
    const rows = neg(sum(mul(target, logp), -1)); // [B]
    if (!cw) return mean(rows);
    const w = sum(mul(target, tensor(cw, [1, C], { dtype: logp.dtype, backend: logp.backend })), -1);
    return div(sum(mul(rows, w)), sum(w));
  }
  if (target.length !== B)
    throw new RangeError(`${where_}: ${B} rows of scores but ${target.length} class targets`);
  const idx = new Int32Array(B);
  let wsum = 0;
  const w = cw ? new Float64Array(B) : null;
  for (let i = 0; i < B; i++) {
    const y = target[i];
    if (!Number.isInteger(y) || y < 0 || y >= C)
      throw new RangeError(`${where_}: target class at row ${i} is ${y}; expected an integer in [0, ${C})`);
    idx[i] = i * C + y;
    if (w) {
      w[i] = cw![y];
      wsum += w[i];
    }
  }
  const picked = gather(reshape(logp, [B * C]), idx); // log p_{i, yᵢ}
  if (!w) return neg(mean(picked));
  if (wsum === 0) throw new RangeError(`${where_}: the class weights of this batch sum to 0`);
  return neg(div(sum(mul(picked, tensor(w, [B], { dtype: logp.dtype, backend: logp.backend }))), wsum));
}

function isTensor(t: ClassTargets): t is Tensor {
  return !(t instanceof Int32Array) && !Array.isArray(t);
}

/**
 * Categorical cross-entropy from logits [B, C] via log-softmax: mean −log softmax(z)_y (lecture "Output
 * activation functions", softmax + CE). Exact for large logits: CE([1000, −1000], class 1) = 2000.
 * @throws RangeError naming the row for a class index outside [0, C), on a batch-size or shape mismatch, or
 *   on bad classWeights (C non-negative numbers, not all zero in the batch).
 */
export function crossEntropyWithLogits(
  logits: Tensor,
  target: ClassTargets,
  opts: WeightOptions = {},
): Tensor {
  return nllRows(logSoftmax(logits), target, opts, 'cross-entropy (logits)');
}

/**
 * Categorical cross-entropy from probabilities [B, C]: mean −ln p_y, p clamped to ≥ eps (1e-7). When `prob`
 * is the direct output of `softmax`, the pair is fused into the stable log-softmax of its logits.
 * @throws RangeError as crossEntropyWithLogits.
 */
export function crossEntropy(
  prob: Tensor,
  target: ClassTargets,
  opts: WeightOptions & { eps?: number } = {},
): Tensor {
  const z = softmaxLogits(prob);
  if (z) return nllRows(logSoftmax(z), target, opts, 'cross-entropy');
  return nllRows(log(maximum(prob, opts.eps ?? 1e-7)), target, opts, 'cross-entropy');
}

/** L1 penalty λ·Σ|w| over the given weight tensors (subgradient 0 at 0). */
export function l1Penalty(weights: readonly Tensor[], lambda: number): Tensor {
  penaltyCheck(weights, lambda, 'L1');
  return mul(
    weights.map((w) => sum(abs(w))).reduce((a, b) => add(a, b)),
    lambda,
  );
}

/** L2 penalty λ·Σw² (Keras convention; its gradient is 2λw — PyTorch's weight_decay wd equals λ = wd/2). */
export function l2Penalty(weights: readonly Tensor[], lambda: number): Tensor {
  penaltyCheck(weights, lambda, 'L2');
  return mul(
    weights.map((w) => sum(square(w))).reduce((a, b) => add(a, b)),
    lambda,
  );
}

function penaltyCheck(weights: readonly Tensor[], lambda: number, name: string): void {
  if (!(lambda >= 0) || !Number.isFinite(lambda))
    throw new RangeError(`${name} penalty: λ must be ≥ 0, got ${lambda}`);
  if (weights.length === 0) throw new RangeError(`${name} penalty: no weights given`);
}
