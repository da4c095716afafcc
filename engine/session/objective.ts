/**
 * The training objective and the metrics of a compiled model on a prepared dataset: builds the loss
 * (engine/losses, with the loss node's class weights and L1/L2 penalties) for a batch of rows, and
 * evaluates a split in eval mode (loss plus accuracy, or RMSE/MAE/R²; AUC for binary tasks).
 *
 * Invariants: targets are read from the PreparedDataset as engine/data stores them (class indices
 * Int32Array, or scaled regression values [rows × T]); regression RMSE and MAE are reported in the
 * original units of the file (inverse target scaling), R² is unit-free.
 */
import { add, reshape, tensor, tidy, type Tensor } from '../index';
import type { CompiledModel } from '../compile';
import type { DataRecipe, PreparedDataset } from '../data/prepare';
import { inverseTargets } from '../data/prepare';
import {
  bce,
  bceWithLogits,
  crossEntropy,
  crossEntropyWithLogits,
  huber,
  l1Penalty,
  l2Penalty,
  mae,
  mse,
} from '../losses';
import { accuracy, argmaxRows, r2, rocAuc } from '../metrics';
import * as reg from '../metrics/regression';

/** A batch: features [B, F] and targets in the loss's form. */
export interface Batch {
  x: Tensor;
  /** Class indices (classification) — used by cross-entropy. */
  classes: Int32Array | null;
  /** Target tensor: [B, 1] 0/1 for BCE, [B, T] values for regression. */
  y: Tensor | null;
}

/** Copies rows `idx` of the dataset into a batch (fresh tensors; call inside tidy). */
export function makeBatch(model: CompiledModel, data: PreparedDataset, idx: ArrayLike<number>): Batch {
  const F = data.featureWidth;
  const B = idx.length;
  const xb = new Float32Array(B * F);
  for (let i = 0; i < B; i++) xb.set(data.features.subarray(idx[i] * F, idx[i] * F + F), i * F);
  // Tensors on the model's backend (the CPU, or the device of a WebGPU run).
  const dtype = model.store.dtype;
  const backend = model.store.backend;
  const x = tensor(xb, [B, F], { dtype, backend });
  if (data.recipe.task === 'regression') {
    const T = data.targetWidth;
    const yb = new Float32Array(B * T);
    const t = data.targets as Float32Array;
    for (let i = 0; i < B; i++) yb.set(t.subarray(idx[i] * T, idx[i] * T + T), i * T);
    return { x, classes: null, y: tensor(yb, [B, T], { dtype, backend }) };
  }
  const c = data.targets as Int32Array;
  const classes = Int32Array.from({ length: B }, (_, i) => c[idx[i]]);
  const y = model.loss.name.startsWith('bce')
    ? tensor(Float32Array.from(classes), [B, 1], { dtype, backend })
    : null;
  return { x, classes, y };
}

function classWeights(model: CompiledModel): number[] | undefined {
  const cw = model.loss.params.classWeights;
  return Array.isArray(cw) && cw.every((v) => typeof v === 'number') ? (cw as number[]) : undefined;
}

/**
 * The data loss (without penalties) of network output `out` on a batch.
 * @throws RangeError from engine/losses on shape mismatches.
 */
export function dataLoss(model: CompiledModel, out: Tensor, b: Batch): Tensor {
  const cw = classWeights(model);
  const w = cw ? { classWeights: cw } : {};
  switch (model.loss.name) {
    case 'mse':
      return mse(out, b.y!);
    case 'mae':
      return mae(out, b.y!);
    case 'huber':
      return huber(out, b.y!, typeof model.loss.params.delta === 'number' ? model.loss.params.delta : 1);
    case 'bce':
      return bce(out, b.y!, w);
    case 'bce_logits':
      return bceWithLogits(out, b.y!, w);
    case 'cross_entropy':
      return crossEntropy(out, b.classes!, w);
    case 'cross_entropy_logits':
      return crossEntropyWithLogits(out, b.classes!, w);
    default:
      throw new RangeError(`loss '${model.loss.name}' is not supported by the trainer`);
  }
}

/** Data loss plus the loss node's L1/L2 penalties on Dense/Maxout weights (lecture: regularisation). */
export function totalLoss(
  model: CompiledModel,
  out: Tensor,
  b: Batch,
  p: Readonly<Record<string, Tensor>>,
): Tensor {
  let l = dataLoss(model, out, b);
  const ws = model.penalised.map((n) => p[n]);
  if (model.loss.l1 > 0 && ws.length) l = add(l, l1Penalty(ws, model.loss.l1));
  if (model.loss.l2 > 0 && ws.length) l = add(l, l2Penalty(ws, model.loss.l2));
  return l;
}

/** Predictions of a split in eval mode: probabilities/values [rows × outputWidth] (float64 copy). */
export function predictRows(
  model: CompiledModel,
  data: PreparedDataset,
  rows: ArrayLike<number>,
): Float64Array {
  const W = model.outputWidth;
  const out = new Float64Array(rows.length * W);
  const chunk = 1024;
  for (let s = 0; s < rows.length; s += chunk) {
    const idx = Array.from({ length: Math.min(chunk, rows.length - s) }, (_, i) => rows[s + i]);
    const vals = tidy(() => {
      const b = makeBatch(model, data, idx);
      return model.toProbabilities(model.forward(b.x, { training: false })).dataSync();
    });
    out.set(vals, s * W);
  }
  return out;
}

/** Predicted class per row from probabilities [rows × W] (W = 1: threshold 0.5). */
export function predictedClasses(probs: ArrayLike<number>, width: number): Int32Array {
  return argmaxRows(probs, width);
}

/**
 * Another way to compute a split's eval-mode loss and probabilities than the general forward pass:
 * the fast path's fused forward (engine/fastpath/trainer.ts), equal to it up to float32 rounding.
 */
export interface SplitEvaluator {
  /**
   * @param rows dataset row indices.
   * @returns the mean data loss over the rows and the probabilities/values [rows × outputWidth] as
   *   `model.toProbabilities` gives them (float64).
   */
  evaluate(rows: ArrayLike<number>): { loss: number; probs: Float64Array };
}

/**
 * Metrics of a split: 'loss' (data loss incl. penalties, eval mode) and accuracy (classification;
 * 'auc' for binary), or rmse, mae (original units) and r2 (regression). Empty record for no rows.
 * @param fast evaluates the loss and probabilities instead of the general forward pass (the session's
 *   fast path; only for models without penalties, where both give the same values to float32 rounding).
 */
export function evaluateSplit(
  model: CompiledModel,
  data: PreparedDataset,
  rows: ArrayLike<number>,
  fast?: SplitEvaluator,
): Record<string, number> {
  if (rows.length === 0) return {};
  let loss: number;
  let probs: Float64Array;
  if (fast) ({ loss, probs } = fast.evaluate(rows));
  else {
    // Loss over the split in one pass (the split sizes here are small; chunked for large ones).
    let lossSum = 0;
    const chunk = 4096;
    for (let s = 0; s < rows.length; s += chunk) {
      const idx = Array.from({ length: Math.min(chunk, rows.length - s) }, (_, i) => rows[s + i]);
      lossSum +=
        idx.length *
        tidy(() => {
          const b = makeBatch(model, data, idx);
          const p = model.store.tensors();
          return totalLoss(model, model.forward(b.x, { training: false }), b, p).item();
        });
    }
    loss = lossSum / rows.length;
    probs = predictRows(model, data, rows);
  }
  const out: Record<string, number> = { loss };
  const W = model.outputWidth;
  if (data.recipe.task === 'regression') {
    const T = data.targetWidth;
    const t = data.targets as Float32Array;
    const truth = new Float64Array(rows.length * T);
    for (let i = 0; i < rows.length; i++) for (let j = 0; j < T; j++) truth[i * T + j] = t[rows[i] * T + j];
    const predU = toOriginalUnits(data.recipe, probs);
    const truthU = toOriginalUnits(data.recipe, truth);
    out.rmse = reg.rmse(predU, truthU);
    out.mae = reg.mae(predU, truthU);
    out.r2 = r2(probs, truth, T);
  } else {
    const c = data.targets as Int32Array;
    const truth = Int32Array.from({ length: rows.length }, (_, i) => c[rows[i]]);
    out.accuracy = accuracy(predictedClasses(probs, W), truth);
    if (data.recipe.task === 'binary') {
      const score = W === 1 ? probs : Float64Array.from({ length: rows.length }, (_, i) => probs[i * W + 1]);
      const hasBoth = truth.some((v) => v === 1) && truth.some((v) => v === 0);
      if (hasBoth) out.auc = rocAuc(score, truth);
    }
  }
  return out;
}

/** Regression values [rows × T] as the network sees them → original units of the file. */
export function toOriginalUnits(recipe: DataRecipe, y: Float64Array): Float64Array {
  return recipe.targets.some((t) => t.scaler) ? inverseTargets(recipe, y) : y;
}

/** Flattens [B, W] → [B·W] (helper for tests). */
export const flat = (t: Tensor): Tensor => reshape(t, [t.size]);
