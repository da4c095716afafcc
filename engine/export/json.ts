/**
 * JSON weights export (`netloom-weights` v1, documented in docs/export.md): the tensors (PyTorch names
 * and layout, float32 values as JSON numbers), the graph, the fitted preprocessing recipe and the
 * class labels — everything a reader needs to rebuild the model and feed it raw CSV columns.
 *
 * Invariant: every float32 value is written as the shortest decimal that parses back to the same
 * double, which is exactly the float32 value, so `Math.fround(parsed)` / `np.float32(parsed)` gives
 * the original bits (non-finite values are refused by torchTensors).
 */
import { outputHead, type ExportModel } from './model';
import { torchTensors } from './tensors';

export const WEIGHTS_JSON_FORMAT = 'netloom-weights';
export const WEIGHTS_JSON_VERSION = 1;

export interface WeightsJson {
  format: typeof WEIGHTS_JSON_FORMAT;
  formatVersion: number;
  app: { name: 'Netloom'; version: string };
  name: string;
  task: ExportModel['task'];
  classes: string[];
  featureColumns: string[];
  targetColumns: string[];
  /** What the network output is and how probabilities are formed from it. */
  output: { width: number; loss: string; apply: 'none' | 'softmax' | 'sigmoid'; binarySingleColumn: boolean };
  tensors: {
    name: string;
    netloomName: string;
    shape: number[];
    layout: 'transposed' | 'same';
    dtype: 'float32';
    data: number[];
  }[];
  graph: ExportModel['graph'];
  preprocessing: ExportModel['recipe'];
}

/** Builds the JSON document (an object; `exportWeightsJson` gives its text). */
export function weightsJson(model: ExportModel): WeightsJson {
  const head = outputHead(model);
  return {
    format: WEIGHTS_JSON_FORMAT,
    formatVersion: WEIGHTS_JSON_VERSION,
    app: { name: 'Netloom', version: model.appVersion },
    name: model.name,
    task: model.task,
    classes: model.classes,
    featureColumns: model.recipe.features.map((f) => f.name),
    targetColumns: model.recipe.targets.map((t) => t.name),
    output: {
      width: model.compiled.outputWidth,
      loss: model.compiled.loss.name,
      apply: head.apply,
      binarySingleColumn: head.binary1,
    },
    tensors: torchTensors(model).map((t) => ({
      name: t.name,
      netloomName: t.netloomName,
      shape: t.shape,
      layout: t.layout,
      dtype: 'float32',
      data: Array.from(t.data),
    })),
    graph: JSON.parse(JSON.stringify(model.graph)) as ExportModel['graph'],
    preprocessing: JSON.parse(JSON.stringify(model.recipe)) as ExportModel['recipe'],
  };
}

/** The JSON export as text (two-space indentation, tensor data on one line each; final newline). */
export function exportWeightsJson(model: ExportModel): string {
  const doc = weightsJson(model);
  // Keep each tensor's data on one line so the file stays readable.
  const text = JSON.stringify(
    doc,
    (k, v: unknown) => (k === 'data' && Array.isArray(v) ? `\u0000${JSON.stringify(v)}` : v),
    2,
  );
  return text.replace(/"\\u0000(\[[^"]*\])"/g, '$1') + '\n';
}
