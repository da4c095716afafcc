/**
 * Predict on another CSV (framework-free; runs in ./predict-worker): the project's latest trained run
 * (its checkpoint weights, rebuilt by engine/export like the export dialog does) applied to a new file
 * through the saved preprocessing (engine/data applyRecipe, as `netloom predict` does), with the
 * outputs in original labels (classification: class label and probability) or data units
 * (regression), the rows that could not be used (row, column, reason), and the result as CSV.
 *
 * Invariants: nothing here touches the DOM or the host; every failure the user can cause (no trained
 * run, a missing column, an unreadable file) becomes a PredictError whose message says what to do.
 */
import { exportModelFromProject, ExportError, type ExportModel } from '../../engine/export';
import {
  applyRecipe,
  DataImportError,
  writeCsv,
  type DataRecipe,
  type PreparedDataset,
} from '../../engine/data';
import { CELL_MISSING, CELL_NUMBER, type RawColumn } from '../../engine/data/columns';
import { readTable, type RawTable } from '../../engine/data/reader';
import type { ReadOptions } from '../../engine/data/types';
import type { Project } from '../../engine/project';
import { importSettingsOf } from '../../engine/session/dataset';
import { predictRows, toOriginalUnits } from '../../engine/session/objective';

/** A problem the user can fix (no trained run, wrong file); the message names it and what to do. */
export class PredictError extends Error {
  constructor(
    message: string,
    /** Every blocking problem (line, row, column, what), when the data import found several. */
    readonly problems: string[] = [],
  ) {
    super(message);
    this.name = 'PredictError';
  }
}

/**
 * The model of the project's latest run with weights (engine/export's rebuild: graph snapshot +
 * checkpoint + fitted recipe). @throws PredictError when there is none, it failed, or a weight is
 * not finite (its predictions would be meaningless).
 */
export function trainedModel(project: Project): ExportModel {
  let model: ExportModel;
  try {
    model = exportModelFromProject(project);
  } catch (e) {
    if (e instanceof ExportError) throw new PredictError(e.message.replace(/ \(netloom train[^)]*\)/, ''));
    throw e;
  }
  const P = model.compiled.store.params;
  for (const e of model.compiled.store.entries)
    for (let i = e.offset; i < e.offset + e.size; i++)
      if (!Number.isFinite(P[i]))
        throw new PredictError(
          `The weight '${e.name}' of the latest run is not finite (NaN or ±Infinity): train again, e.g. with a lower learning rate.`,
        );
  return model;
}

/**
 * Network outputs for encoded features [rows × featureWidth] in eval mode: class probabilities
 * [rows × outputWidth] (binary with one column: P(class 1)) or scaled regression values.
 * Reuses the engine's batched forward pass (engine/session/objective predictRows) on a view of the
 * features shaped like a prepared dataset (targets are not read for predictions).
 */
export function modelOutputs(model: ExportModel, features: Float32Array, rows: number): Float64Array {
  const view = {
    recipe: model.recipe,
    rows,
    features,
    featureWidth: model.recipe.featureWidth,
    targets:
      model.task === 'regression'
        ? new Float32Array(rows * model.recipe.targets.length)
        : new Int32Array(rows),
    targetWidth: model.task === 'regression' ? model.recipe.targets.length : 1,
  } as unknown as PreparedDataset;
  return predictRows(
    model.compiled,
    view,
    Int32Array.from({ length: rows }, (_, i) => i),
  );
}

/** Per row: the predicted class index and the class probabilities [rows × K] (binary: [1 − p, p]). */
export function classProbabilities(
  outputs: Float64Array,
  width: number,
  classes: number,
): { predicted: Int32Array; probs: Float64Array } {
  const rows = outputs.length / width;
  const probs = new Float64Array(rows * classes);
  const predicted = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    if (width === 1) {
      probs[i * classes] = 1 - outputs[i];
      probs[i * classes + 1] = outputs[i];
      predicted[i] = outputs[i] >= 0.5 ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let k = 0; k < classes; k++) {
      probs[i * classes + k] = outputs[i * width + k];
      if (outputs[i * width + k] > outputs[i * width + best]) best = k;
    }
    predicted[i] = best;
  }
  return { predicted, probs };
}

/** A row of the file that got no prediction. `row` 1 = first data row; `line` the file line. */
export interface SkippedRow {
  row: number;
  line: number;
  column: string;
  reason: string;
}

export interface PredictionTable {
  task: DataRecipe['task'];
  /** Input columns shown: the features, then the target column(s) when the file has them. */
  inputColumns: string[];
  /** Output columns: classification 'predicted', 'probability', 'p_<label>'…; regression 'predicted <target>'. */
  outputColumns: string[];
  /** One entry per predicted row, in file order. */
  rows: { row: number; inputs: string[]; outputs: string[] }[];
  skipped: SkippedRow[];
  /** Warnings of the import (e.g. unseen categories encoded as zeros), one line each. */
  warnings: string[];
  /**
   * Classification with the target column present: of the rows whose label is one of the model's
   * classes (`labelled`), how many got it predicted (`matched`). Null otherwise.
   */
  correct: { matched: number; labelled: number } | null;
}

/** Text of one cell as the file has it ('' when missing). */
function cellText(c: RawColumn, i: number): string {
  if (c.state[i] === CELL_NUMBER) return String(c.values[i]);
  if (c.state[i] === CELL_MISSING) return '';
  return c.codes ? (c.labels[c.codes[i]] ?? '') : '';
}

/** Why a dropped row has no prediction: the first feature cell that is missing or not a number. */
function skipReason(table: RawTable, recipe: DataRecipe, i: number): { column: string; reason: string } {
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  for (const f of recipe.features) {
    const c = byName.get(f.name)!;
    if (c.state[i] === CELL_MISSING) return { column: f.name, reason: 'missing value' };
    if (f.type === 'numeric' && c.state[i] !== CELL_NUMBER)
      return { column: f.name, reason: `not a number ('${cellText(c, i)}')` };
  }
  return { column: recipe.features[0]?.name ?? '', reason: 'missing or invalid value' };
}

const fmt = (v: number) => String(Number(v.toPrecision(6)));

/**
 * Predictions for a CSV file.
 * @param bytes the file; @param read the project's read options (delimiter, decimal, missing tokens).
 * @throws PredictError naming the file, row and column when it cannot be used at all (missing feature
 *   column, unreadable file, unseen category under the 'error' rule).
 */
export function predictCsv(
  model: ExportModel,
  bytes: Uint8Array,
  read: ReadOptions,
  name: string,
): PredictionTable {
  const recipe = model.recipe;
  let table: RawTable;
  let applied;
  try {
    table = readTable(bytes, read);
    applied = applyRecipe(table, recipe);
  } catch (e) {
    if (e instanceof DataImportError) {
      const errors = e.problems.filter((p) => p.severity === 'error').map((p) => p.message);
      const more =
        errors.length > 1 ? ` (${errors.length} problems; fix these cells or delete the rows)` : '';
      throw new PredictError(`${name}: ${e.message}${more}`, errors);
    }
    throw e;
  }
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  const targetNames = recipe.targets.map((t) => t.name).filter((t) => byName.has(t));
  const inputColumns = [...recipe.features.map((f) => f.name), ...targetNames];
  const cols = inputColumns.map((n) => byName.get(n)!);
  const outputs = modelOutputs(model, applied.features, applied.rows);
  const W = model.compiled.outputWidth;
  const rows: PredictionTable['rows'] = [];
  let outputColumns: string[];
  let correct: PredictionTable['correct'] = null;
  if (model.task === 'regression') {
    const y = toOriginalUnits(recipe, outputs);
    outputColumns = recipe.targets.map((t) => `predicted ${t.name}`);
    for (let r = 0; r < applied.rows; r++) {
      const i = applied.sourceRows[r] - 1;
      rows.push({
        row: i + 1,
        inputs: cols.map((c) => cellText(c, i)),
        outputs: recipe.targets.map((_, j) => fmt(y[r * W + j])),
      });
    }
  } else {
    const K = recipe.classes.length;
    const { predicted, probs } = classProbabilities(outputs, W, K);
    outputColumns = ['predicted', 'probability', ...recipe.classes.map((c) => `p_${c}`)];
    const truth = targetNames.length === 1 ? (applied.targets as Int32Array | null) : null;
    if (truth) correct = { matched: 0, labelled: 0 };
    for (let r = 0; r < applied.rows; r++) {
      const i = applied.sourceRows[r] - 1;
      const k = predicted[r];
      if (truth && truth[r] >= 0) {
        correct!.labelled++;
        if (truth[r] === k) correct!.matched++;
      }
      rows.push({
        row: i + 1,
        inputs: cols.map((c) => cellText(c, i)),
        outputs: [
          recipe.classes[k],
          fmt(probs[r * K + k]),
          ...Array.from({ length: K }, (_, j) => fmt(probs[r * K + j])),
        ],
      });
    }
  }
  const used = new Set(Array.from(applied.sourceRows));
  const skipped: SkippedRow[] = [];
  const first = new Map(applied.dropped.first.map((d) => [d.row, d]));
  for (let i = 0; i < table.rowCount; i++) {
    if (used.has(i + 1)) continue;
    const d = first.get(i + 1);
    const why = d
      ? { column: d.column, reason: d.reason === 'missing' ? 'missing value' : 'invalid value' }
      : skipReason(table, recipe, i);
    skipped.push({ row: i + 1, line: table.lines[i], ...why });
  }
  const warnings = applied.problems.filter((p) => p.severity === 'warning').map((p) => p.message);
  return { task: model.task, inputColumns, outputColumns, rows, skipped, warnings, correct };
}

/** The table as CSV text: 'row', the input columns, then the outputs (one line per predicted row). */
export function predictionCsv(t: PredictionTable): string {
  return writeCsv([
    ['row', ...t.inputColumns, ...t.outputColumns],
    ...t.rows.map((r) => [String(r.row), ...r.inputs, ...r.outputs]),
  ]);
}

/** The read options a project's data was imported with (the new file is read the same way). */
export function readOptionsOf(project: Project): ReadOptions {
  return { ...(importSettingsOf(project.dataset?.importSettings).read ?? {}) };
}
