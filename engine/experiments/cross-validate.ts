/**
 * k-fold cross-validation of the user's graph (lecture: model selection on held-out data): the rows
 * the project's split uses for training and validation are dealt into k folds (stratified by class
 * for classification, engine/data/split assignFolds); the graph is trained k times by the ordinary
 * training session (runSession), fold f being the validation set of run f and the other folds its
 * training set. Scalers and imputation are fitted on each run's training folds only, as in any run.
 *
 * How the fold reaches runSession (which has no fold option): the table is written back as CSV with
 * one extra split column ('train' / 'validation' / 'test') and the import settings name that column
 * as the split. The project's test rows stay test rows in every run (never validated, never trained).
 *
 * Invariants: every used non-test row validates in exactly one fold; the same seed gives the same
 * folds and, through runSession's determinism, the same metrics.
 */
import { assignFolds } from '../data/split';
import { writeCsv } from '../data/csv-writer';
import { CELL_MISSING, CELL_NUMBER, type RawColumn } from '../data/columns';
import { readTable, type RawTable } from '../data/reader';
import { SPLIT_TEST } from '../data/split';
import { DataImportError } from '../data/problems';
import type { ReadOptions } from '../data/types';
import type { Project } from '../project/types';
import { prepareForTraining, type ImportSettings } from '../session/dataset';
import { runSession } from '../session/run';
import {
  flatMetrics,
  meanSd,
  projectImportSettings,
  sessionProblem,
  withImportSettings,
  type Progress,
} from './common';

/** Fold assignment over the rows of the original table. */
export interface FoldPlan {
  k: number;
  /** Per table row (file order): fold 0..k−1, −1 for the project's test rows, −2 for rows not used (dropped). */
  foldOfRow: Int32Array;
  /** Rows per fold. */
  sizes: number[];
  task: 'regression' | 'binary' | 'multiclass';
}

/**
 * Deals the used non-test rows of the file into k folds.
 * @param bytes the CSV; @param settings the project's import settings; @param seed fold shuffle seed
 * @throws DataImportError for unreadable data, k < 2, or fewer rows than folds.
 */
export function planFolds(bytes: Uint8Array, settings: ImportSettings, k: number, seed: number): FoldPlan {
  const table = readTable(bytes, settings.read ?? {});
  const data = prepareForTraining(bytes, settings);
  const used: number[] = [];
  for (let u = 0; u < data.rows; u++) if (data.split[u] !== SPLIT_TEST) used.push(u);
  const labels =
    data.recipe.task === 'regression' ? null : Int32Array.from(used, (u) => (data.targets as Int32Array)[u]);
  const folds = assignFolds(used.length, k, seed, labels);
  const foldOfRow = new Int32Array(table.rowCount).fill(-2);
  for (let u = 0; u < data.rows; u++)
    if (data.split[u] === SPLIT_TEST) foldOfRow[data.sourceRows[u] - 1] = -1;
  used.forEach((u, j) => (foldOfRow[data.sourceRows[u] - 1] = folds[j]));
  const sizes = new Array<number>(k).fill(0);
  for (const f of folds) sizes[f]++;
  return { k, foldOfRow, sizes, task: data.recipe.task };
}

/** Text of one cell as the file spelled it (trimmed), or the number written back in the file's decimal form. */
function cellText(col: RawColumn, i: number, decimal: '.' | ','): string {
  if (col.codes) return col.labels[col.codes[i]];
  if (col.state[i] === CELL_NUMBER) {
    const s = String(col.values[i]);
    return decimal === ',' ? s.replace('.', ',') : s;
  }
  return col.state[i] === CELL_MISSING ? '' : 'NaN';
}

/** A column name not in the table. */
function freshName(table: RawTable, base: string): string {
  const names = new Set(table.columns.map((c) => c.name));
  let name = base;
  for (let i = 2; names.has(name); i++) name = `${base}_${i}`;
  return name;
}

/**
 * The file of fold `fold` (rows of that fold → 'validation', test rows → 'test', others → 'train')
 * plus the import settings that read it with that split.
 * @returns CSV bytes (UTF-8, the file's delimiter and decimal separator, with a header) and settings.
 */
export function foldData(
  bytes: Uint8Array,
  settings: ImportSettings,
  plan: FoldPlan,
  fold: number,
): { bytes: Uint8Array; settings: ImportSettings } {
  const table = readTable(bytes, settings.read ?? {});
  if (table.rowCount !== plan.foldOfRow.length)
    throw new DataImportError(
      'The data changed while the folds were being planned; run the experiment again.',
    );
  const d = table.dialect;
  const splitName = freshName(table, 'cv_split');
  const rows: string[][] = [[...table.columns.map((c) => c.name), splitName]];
  for (let i = 0; i < table.rowCount; i++) {
    const f = plan.foldOfRow[i];
    rows.push([
      ...table.columns.map((c) => cellText(c, i, d.decimal)),
      f === -1 ? 'test' : f === fold ? 'validation' : 'train',
    ]);
  }
  const read: ReadOptions = {
    ...(settings.read ?? {}),
    encoding: 'utf-8',
    delimiter: d.delimiter,
    decimal: d.decimal,
    header: true,
    // Cells of columns with too many spellings to keep are written '' when missing.
    missingTokens: [...new Set([...table.missingTokens, ''])],
  };
  const prepare = { ...(settings.prepare ?? {}) };
  const columns = { ...(prepare.columns ?? {}) };
  // A split column of the project's own is ignored: the fold column decides.
  if (prepare.split?.column)
    columns[prepare.split.column] = { ...columns[prepare.split.column], role: 'ignore' };
  return {
    bytes: new TextEncoder().encode(writeCsv(rows, d.delimiter)),
    settings: {
      read,
      prepare: { ...prepare, columns, split: { ...(prepare.split ?? {}), column: splitName, folds: 0 } },
    },
  };
}

export interface FoldResult {
  fold: number;
  trainRows: number;
  validationRows: number;
  /** Final metrics, flat: 'train.loss', 'validation.accuracy', …; empty when the run failed. */
  metrics: Record<string, number>;
  /** Why the run failed, or null. */
  problem: string | null;
}

export interface CrossValidationResult {
  k: number;
  folds: FoldResult[];
  /** Metric names present in every successful fold, sorted. */
  metrics: string[];
  /** Mean and sample standard deviation (n − 1) over the successful folds, per metric. */
  summary: Record<string, { mean: number; sd: number }>;
}

export interface CrossValidateOptions {
  project: Project;
  data: Uint8Array;
  /** Number of folds (default 5). */
  k?: number;
  /** Seed of the fold assignment (default 1). */
  foldSeed?: number;
  /** Seed of initialisation and shuffling, the same in every fold (default the project's). */
  seed?: number;
  epochs?: number;
  batchSize?: number;
  onProgress?: Progress;
  /** Called after each fold (for streaming tables). */
  onFold?: (r: FoldResult) => void;
}

/** Summary over fold results: metrics common to all successful folds, mean ± sd each. */
export function summarizeFolds(
  folds: readonly FoldResult[],
): Pick<CrossValidationResult, 'metrics' | 'summary'> {
  const ok = folds.filter((f) => f.problem === null);
  const names = ok.length
    ? Object.keys(ok[0].metrics).filter((m) => ok.every((f) => Number.isFinite(f.metrics[m])))
    : [];
  names.sort();
  const summary: Record<string, { mean: number; sd: number }> = {};
  for (const m of names) summary[m] = meanSd(ok.map((f) => f.metrics[m]));
  return { metrics: names, summary };
}

/**
 * Trains the project's graph k times, once per validation fold.
 * @throws DataImportError when the data cannot be read or split into k folds (bad runs do not throw:
 *   they are reported per fold).
 */
export async function crossValidate(opts: CrossValidateOptions): Promise<CrossValidationResult> {
  const k = opts.k ?? 5;
  const settings = projectImportSettings(opts.project);
  const plan = planFolds(opts.data, settings, k, opts.foldSeed ?? 1);
  const epochs = opts.epochs ?? opts.project.training.epochs;
  const folds: FoldResult[] = [];
  for (let f = 0; f < k; f++) {
    const fd = foldData(opts.data, settings, plan, f);
    const r = await runSession({
      project: withImportSettings(opts.project, fd.settings),
      data: fd.bytes,
      epochs,
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
      ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
      emit: (e) => {
        if (e.type === 'epoch') opts.onProgress?.(f * epochs + e.epoch, k * epochs, `fold ${f + 1}/${k}`);
      },
    });
    const res: FoldResult = {
      fold: f,
      trainRows: r.data?.trainRows.length ?? 0,
      validationRows: r.data?.validationRows.length ?? 0,
      metrics: flatMetrics(r),
      problem: r.status === 'failed' || r.status === 'stopped' ? sessionProblem(r) : null,
    };
    folds.push(res);
    opts.onFold?.(res);
    opts.onProgress?.((f + 1) * epochs, k * epochs, `fold ${f + 1}/${k}`);
  }
  return { k, folds, ...summarizeFolds(folds) };
}
