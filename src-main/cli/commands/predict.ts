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
import { DataImportError, writeCsv, type DataRecipe, type RawTable } from '../../../engine/data';
import type { Project, Run } from '../../../engine/project';
import {
  applyForPrediction,
  chooseTrainedRun,
  droppedRowsMessage,
  predictFeatures,
  PredictError,
  predictionRows,
  readOptionsOf,
  restoreModel,
  unusableReason,
  type ModelProblem,
} from '../../../engine/session/predict';
import { readTableFile } from '../read-file';
import { UsageError, type CliCommand, type CliIo } from '../command';
import { CliFailure, loadProjectFile } from './train';

// The prediction itself lives in engine/session/predict (shared with the app's Predict panel); this
// module reads and writes the files and words the problems with the commands to type.
export { unusableReason };

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

/** A model problem worded for the command line: names the project file and the command to type. */
function cliMessage(p: ModelProblem, file: string): string {
  const train = `netloom train ${file} --out ${file}`;
  switch (p.kind) {
    case 'no-trained-run':
      return `'${file}' has no trained model. Train it first: ${train}`;
    case 'unknown-run':
      return `'${file}' has no run '${p.runId}'. Runs with usable weights: ${p.usable.join(', ') || 'none'}.`;
    case 'unusable-run':
      return (
        `run '${p.runId}' of '${file}' cannot be used for predictions: ${p.why}. ` +
        `Train again with a lower learning rate (${train})` +
        (p.usable.length
          ? `, or choose a run with usable weights: --run ${p.usable.at(-1)} (usable: ${p.usable.join(', ')}).`
          : '.')
      );
    case 'no-preprocessing':
      return `'${file}' has no fitted preprocessing; train it again with ${train}`;
    case 'not-rebuildable':
      return `'${file}': run '${p.runId}' cannot be rebuilt from its saved weights: ${p.detail}`;
  }
}

/** Runs `f`, turning a PredictError into a CliFailure (exit 2) worded for the command line. */
function orCliFailure<T>(f: () => T, file: string): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof PredictError)
      throw new CliFailure(e.problem ? cliMessage(e.problem, file) : e.message, 2);
    throw e;
  }
}

/**
 * The run to predict with — `runId` when given, else the latest run with a checkpoint — and the
 * stored recipe (engine/session/predict chooseTrainedRun). @throws CliFailure (exit 2) when there is
 * no such run, when it failed or has non-finite weights, or without fitted preprocessing.
 */
export function trainedModelOf(
  project: Project,
  file: string,
  runId: string | null = null,
): { run: Run; recipe: DataRecipe } {
  return orCliFailure(() => chooseTrainedRun(project, runId), file);
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
    const model = orCliFailure(() => restoreModel(r, recipe), a.project);
    const read = readOptionsOf(project);
    let table: RawTable;
    try {
      table = await readTableFile(a.input, read);
    } catch (e) {
      if (e instanceof DataImportError) throw new CliFailure(`${a.input}: ${e.message}`, 2);
      throw e;
    }
    const applied = orCliFailure(() => applyForPrediction(table, recipe, a.input), a.project);
    const outputs = predictFeatures(model.compiled, applied.features, applied.rows);
    const rows = predictionRows(recipe, outputs, model.compiled.outputWidth, applied.sourceRows);
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
