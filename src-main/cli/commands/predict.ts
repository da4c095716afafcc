/**
 * `netloom predict <project> <input.csv> --out predictions.csv`: applies the saved preprocessing
 * (the project's fitted recipe) to a new CSV and writes the trained model's predictions —
 * classification: the predicted class as its original label and one probability column per class;
 * regression: one column per target in the units of the training file. The first column `row` is the
 * data row of the input file (1 = first row after the header), so dropped rows are visible.
 * Uses the latest run that has a checkpoint (or --run <id>); refuses a failed run or non-finite weights.
 * Rows skipped for missing values are counted on stderr. Exit 0 on success, 2 on bad input.
 */
import { writeFileSync } from 'node:fs';
import { compileGraph, type CompiledModel } from '../../../engine/compile';
import {
  applyRecipe,
  DataImportError,
  writeCsv,
  type AppliedData,
  type DataRecipe,
} from '../../../engine/data';
import type { ReadOptions } from '../../../engine/data/types';
import { tensor, tidy } from '../../../engine/index';
import type { Project, Run } from '../../../engine/project';
import { datasetInfoOfRecipe, importSettingsOf } from '../../../engine/session/dataset';
import { toOriginalUnits } from '../../../engine/session/objective';
import { loadWeights } from '../../../engine/session/run';
import { readTableFile } from '../read-file';
import { UsageError, type CliCommand, type CliIo } from '../command';
import { CliFailure, loadProjectFile } from './train';

const usage = `Usage: netloom predict <project.netloom.json> <input.csv> --out <predictions.csv> [--run <id>]

Predicts with the project's trained model (its latest run with saved weights; train with
\`netloom train <project> --out <project>\` first). The input needs the feature columns of the training
file; the target column is not needed. A run that failed (diverged) or has non-finite weights is
refused. Rows with a missing feature value (drop-row rule) get no prediction; they are listed.

Options:
  --run <id>   predict with this run (e.g. run-1) instead of the latest one; it needs saved weights

Output columns: row (data row in the input), then
  classification: predicted (the class label), p_<label> for each class
  regression:     one column per target, in the units of the training file

Exit code: 0 written, 2 bad input (project without a trained run, missing columns, …).`;

/** Why a run's weights cannot be used for predictions, or null when they can. */
export function unusableReason(run: Run): string | null {
  if (!run.checkpoint) return 'it has no saved weights';
  if (run.status === 'failed') return 'it failed (the loss diverged or training stopped with an error)';
  for (const w of run.checkpoint.weights)
    for (let i = 0; i < w.data.length; i++)
      if (!Number.isFinite(w.data[i])) return `its weight '${w.name}' is not finite (NaN or ±Infinity)`;
  return null;
}

/**
 * The run to predict with — `runId` when given, else the latest run with a checkpoint — and the
 * stored recipe. @throws CliFailure (exit 2) when there is no such run, when it failed or has
 * non-finite weights (its predictions would be meaningless), or without fitted preprocessing.
 */
export function trainedModelOf(
  project: Project,
  file: string,
  runId: string | null = null,
): { run: Run; recipe: DataRecipe } {
  const withWeights = project.runs.filter((r) => r.checkpoint !== null);
  const usable = withWeights.filter((r) => unusableReason(r) === null).map((r) => r.id);
  let run: Run | undefined;
  if (runId !== null) {
    run = project.runs.find((r) => r.id === runId);
    if (!run)
      throw new CliFailure(
        `'${file}' has no run '${runId}'. Runs with usable weights: ${usable.join(', ') || 'none'}.`,
        2,
      );
  } else {
    run = withWeights.at(-1);
    if (!run)
      throw new CliFailure(
        `'${file}' has no trained model. Train it first: netloom train ${file} --out ${file}`,
        2,
      );
  }
  const why = unusableReason(run);
  if (why) {
    const others = usable.filter((id) => id !== run.id);
    throw new CliFailure(
      `run '${run.id}' of '${file}' cannot be used for predictions: ${why}. ` +
        `Train again with a lower learning rate (netloom train ${file} --out ${file})` +
        (others.length
          ? `, or choose a run with usable weights: --run ${others.at(-1)} (usable: ${others.join(', ')}).`
          : '.'),
      2,
    );
  }
  const recipe = project.dataset?.preprocessing as unknown as DataRecipe | null;
  if (!recipe || typeof recipe !== 'object' || !('featureWidth' in recipe))
    throw new CliFailure(
      `'${file}' has no fitted preprocessing; train it again with netloom train ${file} --out ${file}`,
      2,
    );
  return { run, recipe };
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

/** Rebuilds the trained model of a run (its graph + checkpoint weights). */
export function restoreModel(run: Run, recipe: DataRecipe): CompiledModel {
  const model = compileGraph(run.graph, { dataset: datasetInfoOfRecipe(recipe), seed: run.settings.seed });
  loadWeights(model, run.checkpoint!.weights);
  return model;
}

/** Network outputs (probabilities or scaled values) for encoded features [rows × F], in eval mode. */
export function predictFeatures(model: CompiledModel, features: Float32Array, rows: number): Float64Array {
  const F = model.dataset.featureWidth;
  const W = model.outputWidth;
  const out = new Float64Array(rows * W);
  const chunk = 2048;
  for (let s = 0; s < rows; s += chunk) {
    const n = Math.min(chunk, rows - s);
    const v = tidy(() => {
      const x = tensor(features.subarray(s * F, (s + n) * F), [n, F], { dtype: model.store.dtype });
      return model.toProbabilities(model.forward(x, { training: false })).dataSync();
    });
    out.set(v, s * W);
  }
  return out;
}

/** CSV rows (header first) of predictions. */
export function predictionRows(
  recipe: DataRecipe,
  outputs: Float64Array,
  width: number,
  sourceRows: Int32Array,
): string[][] {
  const n = sourceRows.length;
  const fmt = (v: number) => String(Number(v.toPrecision(7)));
  if (recipe.task === 'regression') {
    const y = toOriginalUnits(recipe, outputs);
    const header = ['row', ...recipe.targets.map((t) => t.name)];
    return [
      header,
      ...Array.from({ length: n }, (_, i) => [
        String(sourceRows[i]),
        ...recipe.targets.map((_, j) => fmt(y[i * width + j])),
      ]),
    ];
  }
  const K = recipe.classes.length;
  const header = ['row', 'predicted', ...recipe.classes.map((c) => `p_${c}`)];
  const rows = [header];
  for (let i = 0; i < n; i++) {
    const p =
      width === 1
        ? [1 - outputs[i], outputs[i]]
        : Array.from({ length: K }, (_, k) => outputs[i * width + k]);
    let best = 0;
    for (let k = 1; k < K; k++) if (p[k] > p[best]) best = k;
    if (width === 1) best = outputs[i] >= 0.5 ? 1 : 0;
    rows.push([String(sourceRows[i]), recipe.classes[best], ...p.map(fmt)]);
  }
  return rows;
}

function parseArgs(args: string[]): { project: string; input: string; out: string; run: string | null } {
  const pos: string[] = [];
  let out: string | null = null;
  let run: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--out') {
      out = args[++i] ?? null;
      if (!out) throw new UsageError('--out needs a file name.');
    } else if (a === '--run') {
      run = args[++i] ?? null;
      if (!run) throw new UsageError('--run needs a run id (e.g. run-1).');
    } else if (a.startsWith('-')) throw new UsageError(`unknown option '${a}'.`);
    else pos.push(a);
  }
  if (pos.length !== 2) throw new UsageError('give the project file and the input CSV.');
  if (!out) throw new UsageError('--out <predictions.csv> is required.');
  return { project: pos[0], input: pos[1], out, run };
}

async function run(args: string[], io: CliIo): Promise<number> {
  const a = parseArgs(args);
  try {
    const project = loadProjectFile(a.project);
    const { run: r, recipe } = trainedModelOf(project, a.project, a.run);
    const model = restoreModel(r, recipe);
    const read: ReadOptions = { ...(importSettingsOf(project.dataset?.importSettings).read ?? {}) };
    let applied;
    try {
      const table = await readTableFile(a.input, read);
      applied = applyRecipe(table, recipe);
    } catch (e) {
      if (e instanceof DataImportError) throw new CliFailure(`${a.input}: ${e.message}`, 2);
      throw e;
    }
    const outputs = predictFeatures(model, applied.features, applied.rows);
    const rows = predictionRows(recipe, outputs, model.outputWidth, applied.sourceRows);
    try {
      writeFileSync(a.out, writeCsv(rows));
    } catch (e) {
      throw new CliFailure(`Cannot write '${a.out}': ${(e as Error).message}`, 2);
    }
    for (const p of applied.problems.filter((x) => x.severity === 'warning')) io.err(`warning: ${p.message}`);
    const skipped = droppedRowsMessage(applied.dropped);
    if (skipped) io.err(`warning: ${skipped}`);
    io.err(`wrote ${applied.rows} ${applied.rows === 1 ? 'prediction' : 'predictions'} to ${a.out}`);
    return 0;
  } catch (e) {
    if (e instanceof CliFailure) {
      io.err(`netloom predict: ${e.message}`);
      return e.code;
    }
    throw e;
  }
}

export const command: CliCommand = {
  name: 'predict',
  summary: 'predict a CSV with a trained project (original labels and units)',
  usage,
  run,
};
