/**
 * Predict on another CSV, renderer side (framework-free; runs in ./predict-worker). The work itself is
 * engine/session/predict — the same code path as `netloom predict`: the project's latest trained run
 * rebuilt from its checkpoint, checked usable, the file mapped through the saved preprocessing, and the
 * outputs in original labels (class label and probabilities) or data units (regression), with the rows
 * that could not be used. This module keeps the names the panel, the worker and the decision map import.
 *
 * Invariants: nothing here touches the DOM or the host; every failure the user can cause is a
 * PredictError (engine/session/predict) whose message says what to do.
 */
import type { ExportModel } from '../../engine/export';
import { predictFeatures } from '../../engine/session/predict';

export {
  classProbabilities,
  predictCsv,
  predictionCsv,
  PredictError,
  readOptionsOf,
  type PredictionTable,
  type SkippedRow,
  trainedModel,
} from '../../engine/session/predict';

/**
 * Network outputs for encoded features [rows × featureWidth] in eval mode: class probabilities
 * [rows × outputWidth] (binary with one column: P(class 1)) or scaled regression values.
 */
export function modelOutputs(model: ExportModel, features: Float32Array, rows: number): Float64Array {
  return predictFeatures(model.compiled, features, rows);
}
