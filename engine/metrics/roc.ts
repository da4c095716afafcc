/**
 * ROC curve and area under it for binary classification, from scores (probabilities or logits: any monotone
 * score works) and 0/1 labels.
 *
 * Invariants: thresholds are the distinct scores in decreasing order; tied scores move the curve diagonally
 * (one point per distinct threshold), so AUC by the trapezoid rule equals the Mann–Whitney statistic
 * P(score⁺ > score⁻) + ½·P(tie).
 */

export interface RocCurve {
  /** False-positive rate FP/N at each threshold, starting at 0 (threshold +∞) and ending at 1. */
  fpr: Float64Array;
  /** True-positive rate TP/P at each threshold. */
  tpr: Float64Array;
  /** Thresholds: point i counts rows with score ≥ thresholds[i]; thresholds[0] = +Infinity. */
  thresholds: Float64Array;
}

/**
 * @param scores one score per row, higher = more likely class 1.
 * @param labels 0 or 1 per row.
 * @throws RangeError on length mismatch, a label other than 0/1, a NaN score, or when only one class is present.
 */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): RocCurve {
  const n = scores.length;
  if (labels.length !== n) throw new RangeError(`rocCurve: ${n} scores but ${labels.length} labels`);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] !== 0 && labels[i] !== 1)
      throw new RangeError(`rocCurve: label at row ${i} is ${labels[i]}; binary labels must be 0 or 1`);
    if (Number.isNaN(scores[i])) throw new RangeError(`rocCurve: score at row ${i} is NaN`);
    pos += labels[i];
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0)
    throw new RangeError(
      'rocCurve: needs both classes among the labels (ROC is undefined with a single class)',
    );
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const fpr = [0];
  const tpr = [0];
  const thr = [Infinity];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < n;) {
    const s = scores[order[k]];
    while (k < n && scores[order[k]] === s) {
      if (labels[order[k]] === 1) tp++;
      else fp++;
      k++;
    }
    fpr.push(fp / neg);
    tpr.push(tp / pos);
    thr.push(s);
  }
  return { fpr: Float64Array.from(fpr), tpr: Float64Array.from(tpr), thresholds: Float64Array.from(thr) };
}

/** Area under a curve given by increasing x (trapezoid rule). */
export function trapezoid(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let a = 0;
  for (let i = 1; i < x.length; i++) a += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
  return a;
}

/** ROC AUC in [0, 1] (see rocCurve for inputs and errors). */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const c = rocCurve(scores, labels);
  return trapezoid(c.fpr, c.tpr);
}
