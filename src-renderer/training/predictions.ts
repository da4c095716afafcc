/**
 * Prediction views of a run (framework-free): confusion matrix (classification), ROC curve
 * (binary) and predicted-vs-actual scatter (regression), from the predictions a trainer reports
 * for one split. Metrics come from engine/metrics (confusionMatrix, rocCurve/rocAuc, r2).
 *
 * The trainer sends predictions once, on the validation split (the training split when there is
 * none), with the terminal event (`predictions`, engine/session/protocol `PredictionPayload`, same
 * shape as `PredictionSet`; at most 5,000 rows); older trainers omit it and the views stay empty.
 * Invariants: never throws for a malformed set — `predictionViews` returns `{ error }` naming what
 * is wrong; scatter points are decimated to at most MAX_SCATTER points (evenly by row).
 */
import { argmaxRows, confusionMatrix } from '../../engine/metrics/classification';
import { r2 } from '../../engine/metrics/regression';
import { rocAuc, rocCurve } from '../../engine/metrics/roc';

export interface PredictionSet {
  split: 'train' | 'validation' | 'test';
  task: 'regression' | 'binary' | 'multiclass';
  /** Class labels (classification), index k = class k. */
  classes?: string[];
  /** Row-major rows × cols: class probabilities (binary: cols = 1, P(class 1)); regression: predictions in file units. */
  outputs: number[];
  cols: number;
  /** Classification: class index per row. Regression: rows × cols true values in file units. */
  targets: number[];
}

export const MAX_SCATTER = 2000;

export interface PredictionViews {
  confusion?: { labels: string[]; matrix: number[][] };
  roc?: { fpr: number[]; tpr: number[]; auc: number };
  scatter?: { x: number[]; y: number[]; r2: number };
  error?: string;
}

/** Rows × cols array into rows of length cols (no copy of the semantics, just reshaping). */
export function predictionViews(p: PredictionSet): PredictionViews {
  try {
    if (!(p.cols >= 1) || p.outputs.length % p.cols !== 0)
      return {
        error: `predictions of split '${p.split}': ${p.outputs.length} values do not fill rows of ${p.cols}`,
      };
    const rows = p.outputs.length / p.cols;
    if (p.task === 'regression') {
      if (p.targets.length !== p.outputs.length)
        return {
          error: `predictions of split '${p.split}': ${p.outputs.length} predictions but ${p.targets.length} targets`,
        };
      const step = Math.max(1, Math.ceil(p.outputs.length / MAX_SCATTER));
      const x: number[] = [];
      const y: number[] = [];
      for (let i = 0; i < p.outputs.length; i += step) {
        x.push(p.targets[i]);
        y.push(p.outputs[i]);
      }
      return { scatter: { x, y, r2: r2(p.outputs, p.targets, p.cols) } };
    }
    if (p.targets.length !== rows)
      return { error: `predictions of split '${p.split}': ${rows} rows but ${p.targets.length} targets` };
    const K = p.task === 'binary' ? 2 : p.cols;
    const pred = argmaxRows(p.outputs, p.cols);
    const m = confusionMatrix(pred, p.targets, K);
    const labels =
      p.classes && p.classes.length === K ? p.classes : Array.from({ length: K }, (_, k) => String(k));
    const matrix = Array.from({ length: K }, (_, t) => Array.from(m.subarray(t * K, (t + 1) * K)));
    const out: PredictionViews = { confusion: { labels, matrix } };
    if (p.task === 'binary') {
      const scores =
        p.cols === 1 ? p.outputs : Array.from({ length: rows }, (_, i) => p.outputs[i * p.cols + 1]);
      const c = rocCurve(scores, p.targets);
      out.roc = { fpr: Array.from(c.fpr), tpr: Array.from(c.tpr), auc: rocAuc(scores, p.targets) };
    }
    return out;
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/** The predictions attached to a terminal event, when the trainer sent them (see module note). */
export function predictionsOf(event: unknown): PredictionSet | null {
  if (!event || typeof event !== 'object') return null;
  const p = (event as { predictions?: unknown }).predictions;
  if (!p || typeof p !== 'object') return null;
  const q = p as Partial<PredictionSet>;
  return Array.isArray(q.outputs) &&
    Array.isArray(q.targets) &&
    typeof q.cols === 'number' &&
    typeof q.task === 'string'
    ? (q as PredictionSet)
    : null;
}
