/**
 * The predictions a run reports once, with its terminal event: the model's eval-mode outputs on
 * the validation split (the training split when there is none) next to the true values, so the
 * dashboard can draw a confusion matrix, ROC curve or predicted-vs-actual scatter.
 *
 * Invariants: at most `maxRows` rows (evenly strided through the split, in split order);
 * classification targets are class indices with `classes` the original labels; regression outputs
 * and targets are in the units of the data file (inverse target scaling). Plain arrays only, so the
 * set crosses a process boundary as JSON.
 */
import type { CompiledModel } from '../compile';
import type { PreparedDataset } from '../data/prepare';
import { predictRows, toOriginalUnits } from './objective';
import type { PredictionPayload } from './protocol';

/** Default bound on the rows reported (keeps the terminal event small). */
export const MAX_PREDICTION_ROWS = 5000;

/** Evenly strided subset of `rows` of size ≤ max (the rows themselves when they fit). */
export function boundedRows(rows: ArrayLike<number>, max: number): number[] {
  const n = rows.length;
  if (n <= max) return Array.from(rows);
  const out: number[] = [];
  for (let i = 0; i < max; i++) out.push(rows[Math.floor((i * n) / max)]);
  return out;
}

/**
 * Predictions of `model` on the validation split of `data` (the training split when the
 * validation split is empty); null when both are empty.
 * Shapes: outputs [rows × model.outputWidth] (probabilities, or values in file units);
 * targets [rows] class indices, or [rows × targetWidth] values in file units.
 */
export function splitPredictions(
  model: CompiledModel,
  data: PreparedDataset,
  maxRows = MAX_PREDICTION_ROWS,
): PredictionPayload | null {
  const split = data.validationRows.length ? 'validation' : 'train';
  const all = split === 'validation' ? data.validationRows : data.trainRows;
  if (all.length === 0) return null;
  const rows = boundedRows(all, Math.max(1, maxRows));
  const probs = predictRows(model, data, rows);
  const cols = model.outputWidth;
  if (data.recipe.task === 'regression') {
    const T = data.targetWidth;
    const t = data.targets as Float32Array;
    const truth = new Float64Array(rows.length * T);
    for (let i = 0; i < rows.length; i++) for (let j = 0; j < T; j++) truth[i * T + j] = t[rows[i] * T + j];
    return {
      split,
      task: 'regression',
      cols,
      outputs: Array.from(toOriginalUnits(data.recipe, probs)),
      targets: Array.from(toOriginalUnits(data.recipe, truth)),
    };
  }
  const c = data.targets as Int32Array;
  return {
    split,
    task: data.recipe.task,
    classes: [...data.recipe.classes],
    cols,
    outputs: Array.from(probs),
    targets: rows.map((r) => c[r]),
  };
}
