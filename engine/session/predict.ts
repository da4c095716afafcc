/**
 * Predictions with a trained model — the one code path behind `netloom predict` (src-main/cli) and the
 * app's Predict panel and decision map (src-renderer/training). A project run is restored (its graph
 * snapshot + checkpoint weights + the fitted preprocessing recipe), checked usable, a new table is
 * mapped through the saved preprocessing (engine/data applyRecipe), the network runs in eval mode, and
 * its outputs become rows in the original labels (classification: class + probabilities) or in the
 * units of the training file (regression), with the rows that could not be used.
 *
 * Invariants: platform-neutral (no Node, DOM or Electron; hosts read files and write results); every
 * failure a user can cause is a PredictError whose message names the run, file, row or column and
 * what to do; hosts may reword its `problem` (e.g. the CLI adds the commands to type). Outputs are
 * deterministic: the same model and table give the same numbers whatever the host.
 */
import type { CompiledModel } from '../compile';
import {
  applyRecipe,
  DataImportError,
  writeCsv,
  type AppliedData,
  type DataRecipe,
  type RawTable,
} from '../data';
import { CELL_MISSING, CELL_NUMBER, type RawColumn } from '../data/columns';
import { readTable } from '../data/reader';
import type { ReadOptions } from '../data/types';
import { exportModelFromParts, ExportError, type ExportModel } from '../export/model';
import type { Graph } from '../graph';
import { tensor, tidy } from '../index';
import type { Project, Run } from '../project';
import { importSettingsOf } from './dataset';
import { toOriginalUnits } from './objective';

/** Why a trained model cannot be chosen, for hosts that word the remedy themselves (the CLI). */
export type ModelProblem =
  /** The project has no run with saved weights. */
  | { kind: 'no-trained-run' }
  /** The asked-for run id does not exist; `usable` = ids of runs whose weights can predict. */
  | { kind: 'unknown-run'; runId: string; usable: string[] }
  /**
   * The run exists but cannot predict (`why`, from {@link unusableReason}); `latest`: it was chosen as
   * the latest trained run (no id asked for); `usable` = ids of the other runs that can predict.
   */
  | { kind: 'unusable-run'; runId: string; latest: boolean; why: string; usable: string[] }
  /** The project has no fitted preprocessing recipe (dataset.preprocessing). */
  | { kind: 'no-preprocessing' }
  /** The checkpoint does not fit the run's graph (`detail` says how). */
  | { kind: 'not-rebuildable'; runId: string; detail: string };

/** A problem the user can fix (no trained run, wrong file); the message names it and what to do. */
export class PredictError extends Error {
  constructor(
    message: string,
    /** Every blocking problem (line, row, column, what), when the data import found several. */
    readonly problems: string[] = [],
    /** The structured cause when the model could not be chosen or rebuilt; null for data problems. */
    readonly problem: ModelProblem | null = null,
  ) {
    super(message);
    this.name = 'PredictError';
  }
}

/**
 * Why a run's weights cannot be used for predictions, or null when they can: no checkpoint, a failed
 * run (its last weights come from a diverging loss), or a weight that is NaN or ±Infinity.
 */
export function unusableReason(run: Run): string | null {
  if (!run.checkpoint) return 'it has no saved weights';
  if (run.status === 'failed') return 'it failed (the loss diverged or training stopped with an error)';
  for (const w of run.checkpoint.weights)
    for (let i = 0; i < w.data.length; i++)
      if (!Number.isFinite(w.data[i])) return `its weight '${w.name}' is not finite (NaN or ±Infinity)`;
  return null;
}

/** Neutral wording of a model problem (no host commands); the app shows it as it is. */
function problemMessage(p: ModelProblem): string {
  switch (p.kind) {
    case 'no-trained-run':
      return 'The project has no trained weights: train it first.';
    case 'unknown-run':
      return `The project has no run '${p.runId}'. Runs with usable weights: ${p.usable.join(', ') || 'none'}.`;
    case 'unusable-run':
      // No run switch here: the app predicts with the latest run; the CLI adds its --run hint.
      return `The ${p.latest ? 'latest trained ' : ''}run '${p.runId}' cannot be used for predictions: ${p.why}. Train again, e.g. with a lower learning rate.`;
    case 'no-preprocessing':
      return 'The project has no fitted preprocessing (the scaling and class list of its data): train it again.';
    case 'not-rebuildable':
      return `The model of run '${p.runId}' cannot be rebuilt from its saved weights: ${p.detail}`;
  }
}

function fail(p: ModelProblem): never {
  throw new PredictError(problemMessage(p), [], p);
}

/**
 * The run to predict with — `runId` when given, else the latest run with a checkpoint — and the
 * project's fitted recipe.
 * @throws PredictError (with `problem`) when there is no such run, it failed or has non-finite
 *   weights (its predictions would be meaningless), or the project has no fitted preprocessing.
 */
export function chooseTrainedRun(
  project: Project,
  runId: string | null = null,
): { run: Run; recipe: DataRecipe } {
  const withWeights = project.runs.filter((r) => r.checkpoint !== null);
  const usable = withWeights.filter((r) => unusableReason(r) === null).map((r) => r.id);
  const run = runId !== null ? project.runs.find((r) => r.id === runId) : withWeights.at(-1);
  if (!run) return fail(runId !== null ? { kind: 'unknown-run', runId, usable } : { kind: 'no-trained-run' });
  const why = unusableReason(run);
  if (why)
    fail({
      kind: 'unusable-run',
      runId: run.id,
      latest: runId === null,
      why,
      usable: usable.filter((id) => id !== run.id),
    });
  const recipe = project.dataset?.preprocessing as unknown as DataRecipe | null;
  if (
    !recipe ||
    typeof recipe !== 'object' ||
    !('featureWidth' in recipe) ||
    recipe.version !== 1 ||
    !Array.isArray(recipe.features)
  )
    fail({ kind: 'no-preprocessing' });
  return { run, recipe };
}

/**
 * Rebuilds the trained model of a run: its graph snapshot compiled for the recipe's feature/output
 * widths, the checkpoint's float32 weights loaded by name (engine/export's rebuild, which the exporters
 * share, so a prediction here equals the exported model's reference prediction).
 * @throws PredictError ('not-rebuildable') when the weights do not fit the graph or it does not compile.
 */
export function restoreModel(
  run: Run,
  recipe: DataRecipe,
  meta: { appVersion?: string; name?: string } = {},
): ExportModel {
  if (!run.checkpoint)
    return fail({
      kind: 'unusable-run',
      runId: run.id,
      latest: false,
      why: 'it has no saved weights',
      usable: [],
    });
  try {
    return exportModelFromParts({
      graph: run.graph as Graph,
      weights: run.checkpoint.weights,
      recipe,
      appVersion: meta.appVersion ?? '',
      name: meta.name,
      epoch: run.checkpoint.epoch,
      training: { epochs: run.settings.epochs, batchSize: run.settings.batchSize, seed: run.settings.seed },
    });
  } catch (e) {
    if (e instanceof ExportError)
      fail({
        kind: 'not-rebuildable',
        runId: run.id,
        detail: e.message.replace(/^The model cannot be rebuilt for export: /, ''),
      });
    throw e;
  }
}

/**
 * The model of a project's run (default: the latest with weights), checked and rebuilt.
 * @throws PredictError as {@link chooseTrainedRun} and {@link restoreModel} do.
 */
export function trainedModel(project: Project, runId: string | null = null): ExportModel {
  const { run, recipe } = chooseTrainedRun(project, runId);
  return restoreModel(run, recipe, { appVersion: project.app.version, name: project.name });
}

/** The read options a project's data was imported with (a new file is read the same way). */
export function readOptionsOf(project: Project): ReadOptions {
  return { ...(importSettingsOf(project.dataset?.importSettings).read ?? {}) };
}

/** Rows per forward pass: bounds the activations' memory for large files. */
const CHUNK = 1024;

/**
 * Network outputs for encoded features, in eval mode (dropout off, batch-norm running statistics).
 * @param features [rows × featureWidth] row-major, as applyRecipe encodes them.
 * @returns [rows × outputWidth] float64: class probabilities (softmax/sigmoid applied to logits when
 *   the loss takes logits; binary with one column: P(class 1)) or regression values in the network's
 *   (possibly scaled) target units — see {@link toOriginalUnits}.
 */
export function predictFeatures(model: CompiledModel, features: Float32Array, rows: number): Float64Array {
  const F = model.dataset.featureWidth;
  const W = model.outputWidth;
  if (features.length !== rows * F)
    throw new RangeError(`predictFeatures: ${features.length} values are not ${rows} rows × ${F} features`);
  const out = new Float64Array(rows * W);
  const opts = { dtype: model.store.dtype, backend: model.store.backend };
  for (let s = 0; s < rows; s += CHUNK) {
    const n = Math.min(CHUNK, rows - s);
    const v = tidy(() => {
      const x = tensor(features.subarray(s * F, (s + n) * F), [n, F], opts);
      return model.toProbabilities(model.forward(x, { training: false })).dataSync();
    });
    out.set(v, s * W);
  }
  return out;
}

/**
 * Per row: the predicted class index and the class probabilities.
 * @param outputs [rows × width] from {@link predictFeatures}; width 1 = binary P(class 1).
 * @returns predicted [rows] (argmax, first index on ties; width 1: class 1 when p ≥ 0.5) and
 *   probs [rows × classes] (width 1: [1 − p, p]).
 */
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

/**
 * The recipe applied to a table for prediction (the target columns are optional).
 * @param name the file name that error messages start with.
 * @throws PredictError naming the file, line, row and column (every blocking cell in `problems`) when a
 *   feature column is missing or cells cannot be used under their column's rule.
 */
export function applyForPrediction(table: RawTable, recipe: DataRecipe, name: string): AppliedData {
  try {
    return applyRecipe(table, recipe);
  } catch (e) {
    if (e instanceof DataImportError) throw importError(e, name);
    throw e;
  }
}

function importError(e: DataImportError, name: string): PredictError {
  const errors = e.problems.filter((p) => p.severity === 'error').map((p) => p.message);
  const more = errors.length > 1 ? ` (${errors.length} problems; fix these cells or delete the rows)` : '';
  return new PredictError(`${name}: ${e.message}${more}`, errors);
}

/** Number → text with `digits` significant digits, without trailing zeros (0.5, not 0.500000). */
const sig = (v: number, digits: number) => String(Number(v.toPrecision(digits)));

/**
 * CSV rows (header first) of predictions, as `netloom predict` writes them: `row` (data row of the
 * input, 1 = first after the header), then classification `predicted` (class label) and `p_<label>`
 * per class, or regression one column per target in the units of the training file; 7 significant digits.
 * @param outputs [rows × width] from {@link predictFeatures}; @param sourceRows [rows] applyRecipe's rows.
 */
export function predictionRows(
  recipe: DataRecipe,
  outputs: Float64Array,
  width: number,
  sourceRows: Int32Array,
): string[][] {
  const n = sourceRows.length;
  const fmt = (v: number) => sig(v, 7);
  if (recipe.task === 'regression') {
    const y = toOriginalUnits(recipe, outputs);
    return [
      ['row', ...recipe.targets.map((t) => t.name)],
      ...Array.from({ length: n }, (_, i) => [
        String(sourceRows[i]),
        ...recipe.targets.map((_, j) => fmt(y[i * width + j])),
      ]),
    ];
  }
  const K = recipe.classes.length;
  const { predicted, probs } = classProbabilities(outputs, width, K);
  const rows = [['row', 'predicted', ...recipe.classes.map((c) => `p_${c}`)]];
  for (let i = 0; i < n; i++)
    rows.push([
      String(sourceRows[i]),
      recipe.classes[predicted[i]],
      ...Array.from(probs.subarray(i * K, (i + 1) * K), fmt),
    ]);
  return rows;
}

/** The line that tells which input rows got no prediction and why (first few), or null when none. */
export function droppedRowsMessage(dropped: AppliedData['dropped']): string | null {
  if (dropped.count === 0) return null;
  const where = dropped.first
    .map((d) => `line ${d.line} (${d.reason === 'missing' ? 'missing' : 'invalid'} '${d.column}')`)
    .join(', ');
  const more = dropped.count > dropped.first.length ? ', …' : '';
  return (
    `skipped ${dropped.count} ${dropped.count === 1 ? 'row' : 'rows'} with a missing or invalid feature value ` +
    `(the column's missing-value rule is drop-row): ${where}${more}. Fill in these cells to predict them.`
  );
}

/** A row of the file that got no prediction. `row` 1 = first data row; `line` the file line. */
export interface SkippedRow {
  row: number;
  line: number;
  column: string;
  reason: string;
}

/** Predictions of a whole file as the app shows them: inputs beside outputs, texts ready to draw. */
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

/**
 * Predictions for a table read from a file, with its cells beside them (6 significant digits) and
 * every row that got none (row, file line, column, reason).
 * @throws PredictError as {@link applyForPrediction}.
 */
export function predictTable(model: ExportModel, table: RawTable, name: string): PredictionTable {
  const recipe = model.recipe;
  const applied = applyForPrediction(table, recipe, name);
  const fmt = (v: number) => sig(v, 6);
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  const targetNames = recipe.targets.map((t) => t.name).filter((t) => byName.has(t));
  const inputColumns = [...recipe.features.map((f) => f.name), ...targetNames];
  const cols = inputColumns.map((n) => byName.get(n)!);
  const outputs = predictFeatures(model.compiled, applied.features, applied.rows);
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
    const tally = { matched: 0, labelled: 0 };
    for (let r = 0; r < applied.rows; r++) {
      const i = applied.sourceRows[r] - 1;
      const k = predicted[r];
      if (truth && truth[r] >= 0) {
        tally.labelled++;
        if (truth[r] === k) tally.matched++;
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
    if (truth) correct = tally;
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

/**
 * Predictions for a CSV file's bytes, read with the project's read options.
 * @param read delimiter, decimal mark, missing tokens (see {@link readOptionsOf}); @param name for messages.
 * @throws PredictError naming the file, row and column when it cannot be used at all (unreadable
 *   file, missing feature column, unseen category under the 'error' rule).
 */
export function predictCsv(
  model: ExportModel,
  bytes: Uint8Array,
  read: ReadOptions,
  name: string,
): PredictionTable {
  let table: RawTable;
  try {
    table = readTable(bytes, read);
  } catch (e) {
    if (e instanceof DataImportError) throw importError(e, name);
    throw e;
  }
  return predictTable(model, table, name);
}

/** The table as CSV text: 'row', the input columns, then the outputs (one line per predicted row). */
export function predictionCsv(t: PredictionTable): string {
  return writeCsv([
    ['row', ...t.inputColumns, ...t.outputColumns],
    ...t.rows.map((r) => [String(r.row), ...r.inputs, ...r.outputs]),
  ]);
}
