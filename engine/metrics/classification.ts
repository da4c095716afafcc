/**
 * Classification metrics on plain arrays of class indices (no tensors, no allocation beyond results).
 * Conventions follow scikit-learn: confusion matrix rows = true class, columns = predicted class; macro
 * averages are taken over the classes present in the targets or the predictions; a precision/recall whose
 * denominator is 0 counts as 0 (scikit-learn's zero_division = 0).
 *
 * Invariants: inputs are validated (same length, integer classes in [0, numClasses)); errors name the
 * position of the first bad value.
 */

export type Labels = ArrayLike<number>;

function checkPair(pred: Labels, target: Labels, where: string): void {
  if (pred.length !== target.length)
    throw new RangeError(`${where}: predictions have ${pred.length} rows but targets have ${target.length}`);
  if (pred.length === 0) throw new RangeError(`${where}: no rows to score`);
}

function checkClass(v: number, numClasses: number, where: string, what: string, i: number): void {
  if (!Number.isInteger(v) || v < 0 || v >= numClasses)
    throw new RangeError(
      `${where}: ${what} at row ${i} is ${v}; expected an integer class in [0, ${numClasses})`,
    );
}

/** Fraction of rows where pred[i] === target[i]. @throws RangeError on length mismatch or no rows. */
export function accuracy(pred: Labels, target: Labels): number {
  checkPair(pred, target, 'accuracy');
  let hit = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === target[i]) hit++;
  return hit / pred.length;
}

/**
 * Index of the largest value in each row of a row-major [rows, cols] matrix (e.g. logits or probabilities →
 * predicted class). Ties go to the first index. A single column is treated as a binary probability/logit with
 * `threshold` (default 0.5): class 1 when value ≥ threshold.
 */
export function argmaxRows(values: ArrayLike<number>, cols: number, threshold = 0.5): Int32Array {
  if (!Number.isInteger(cols) || cols < 1 || values.length % cols !== 0)
    throw new RangeError(`argmaxRows: ${values.length} values do not form rows of ${cols} columns`);
  const rows = values.length / cols;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    if (cols === 1) {
      out[r] = values[r] >= threshold ? 1 : 0;
      continue;
    }
    let best = 0;
    let bv = values[r * cols];
    for (let c = 1; c < cols; c++) {
      const v = values[r * cols + c];
      if (v > bv) {
        bv = v;
        best = c;
      }
    }
    out[r] = best;
  }
  return out;
}

/**
 * Confusion matrix C (numClasses × numClasses, row-major Int32Array): C[t·K + p] counts rows with true class t
 * predicted as p. @throws RangeError on length mismatch or a class outside [0, numClasses).
 */
export function confusionMatrix(pred: Labels, target: Labels, numClasses: number): Int32Array {
  checkPair(pred, target, 'confusionMatrix');
  if (!Number.isInteger(numClasses) || numClasses < 1)
    throw new RangeError(`confusionMatrix: numClasses must be a positive integer, got ${numClasses}`);
  const c = new Int32Array(numClasses * numClasses);
  for (let i = 0; i < pred.length; i++) {
    checkClass(target[i], numClasses, 'confusionMatrix', 'target', i);
    checkClass(pred[i], numClasses, 'confusionMatrix', 'prediction', i);
    c[target[i] * numClasses + pred[i]]++;
  }
  return c;
}

export interface ClassReport {
  /** Per-class precision TP/(TP+FP), recall TP/(TP+FN), F1 = 2PR/(P+R); 0 where undefined. */
  precision: Float64Array;
  recall: Float64Array;
  f1: Float64Array;
  /** Number of true rows of each class. */
  support: Int32Array;
  /** Unweighted means over the classes present in targets or predictions. */
  macroPrecision: number;
  macroRecall: number;
  macroF1: number;
}

/** Per-class and macro-averaged precision, recall and F1 (scikit-learn semantics, see module header). */
export function precisionRecallF1(pred: Labels, target: Labels, numClasses: number): ClassReport {
  const cm = confusionMatrix(pred, target, numClasses);
  const K = numClasses;
  const precision = new Float64Array(K);
  const recall = new Float64Array(K);
  const f1 = new Float64Array(K);
  const support = new Int32Array(K);
  let mp = 0;
  let mr = 0;
  let mf = 0;
  let present = 0;
  for (let k = 0; k < K; k++) {
    const tp = cm[k * K + k];
    let predK = 0;
    let trueK = 0;
    for (let j = 0; j < K; j++) {
      predK += cm[j * K + k];
      trueK += cm[k * K + j];
    }
    support[k] = trueK;
    precision[k] = predK ? tp / predK : 0;
    recall[k] = trueK ? tp / trueK : 0;
    const s = precision[k] + recall[k];
    f1[k] = s ? (2 * precision[k] * recall[k]) / s : 0;
    if (predK || trueK) {
      present++;
      mp += precision[k];
      mr += recall[k];
      mf += f1[k];
    }
  }
  return {
    precision,
    recall,
    f1,
    support,
    macroPrecision: mp / present,
    macroRecall: mr / present,
    macroF1: mf / present,
  };
}
