/**
 * From a read table to training tensors: column types and roles, task inference, missing values,
 * split, and the encoders and scalers fitted on the TRAINING rows only; plus the same recipe
 * applied to new files at prediction time and the inverse transform of regression outputs.
 *
 * Outputs are plain typed arrays — features Float32Array [rows × featureWidth] row-major; targets
 * Int32Array [rows] of class indices (classification) or Float32Array [rows × targets]
 * (regression) — and a JSON-able `DataRecipe` holding every choice and fitted parameter, so a
 * project file can repeat the import exactly and read predictions in original units.
 *
 * Invariants: imputation values, scalers and ZCA are fitted on training rows only; the one-hot
 * vocabulary is the set of categories in the used rows of the file (so validation/test rows always
 * encode); row order is the file order (splits are index lists, not reorderings).
 */
import { MAX_CATEGORIES, type RawColumn } from './columns';
import { delimiterName } from './sniff';
import { inferTask, typeColumn, type TargetInference, type TypedColumn } from './infer';
import { DataImportError, countOf } from './problems';
import type { RawTable } from './reader';
import {
  applyScaler,
  columnStats,
  fitScaler,
  invertScaler,
  type AffineScaler,
  type ScalerKind,
} from './scaling';
import {
  SPLIT_NAMES,
  SPLIT_TEST,
  SPLIT_TRAIN,
  SPLIT_VALIDATION,
  assignFolds,
  classCounts,
  classWeights,
  resolveFractions,
  splitRows,
} from './split';
import type {
  ColumnOptions,
  ColumnRole,
  ColumnType,
  DataProblem,
  Dialect,
  MissingStrategy,
  PrepareOptions,
  Task,
} from './types';
import { applyZca, fitZca, invertZca, type ZcaParams } from './zca';

/** One used column with everything fitted for it. */
export interface FittedColumn {
  name: string;
  type: ColumnType;
  missing: MissingStrategy;
  /** Tokens that are categories in this column (see ColumnOptions.notMissing). */
  notMissing: string[];
  /** Numeric imputation value (mean/median/most frequent of the training rows), when imputing. */
  imputeValue?: number;
  /** Categorical imputation value (most frequent training category), when imputing. */
  imputeCategory?: string;
  /** Categorical features: one-hot order. */
  categories?: string[];
  /** Numeric features and regression targets. */
  scaler?: AffineScaler;
  /** Features: first position in the encoded vector, and width (1, or the number of categories). */
  offset?: number;
  width?: number;
}

/** Every choice and fitted parameter of an import (JSON-able; stored in the project file). */
export interface DataRecipe {
  version: 1;
  dialect: Dialect;
  missingTokens: string[];
  features: FittedColumn[];
  featureNames: string[];
  featureWidth: number;
  zca: ZcaParams | null;
  targets: FittedColumn[];
  task: Task;
  /** Classification: original label strings in class order. */
  classes: string[];
  ignored: string[];
  unseenCategory: 'error' | 'zeros';
  seed: number;
  split: {
    train: number;
    validation: number;
    test: number;
    stratified: boolean;
    column: string | null;
    folds: number;
  };
}

export interface ClassReport {
  labels: string[];
  counts: number[];
  perSplit: { train: number[]; validation: number[]; test: number[] };
  /** Suggested weights n/(K·n_c) from the training split. */
  weights: number[];
  /** True when the largest training class is at least 1.5× the smallest. */
  imbalanced: boolean;
}

export interface PrepareReport {
  rowsRead: number;
  rowsUsed: number;
  rowsDropped: number;
  /** Per used column: missing cells, and what was done. */
  missing: Record<string, { count: number; strategy: MissingStrategy }>;
  /** Per column: its role ('split' for the split column). */
  roles: Record<string, ColumnRole | 'split'>;
  types: Record<string, ColumnType>;
  task: Task;
  taskReason: string;
  splitSizes: { train: number; validation: number; test: number };
  classes: ClassReport | null;
  problems: DataProblem[];
}

export interface PreparedDataset {
  recipe: DataRecipe;
  /** Number of used rows. */
  rows: number;
  /** Float32Array [rows × featureWidth], row-major. */
  features: Float32Array;
  featureWidth: number;
  /** Class indices [rows] (classification) or values [rows × targetWidth] (regression, scaled if chosen). */
  targets: Int32Array | Float32Array;
  targetWidth: number;
  /** 1-based data row (file order, header excluded) of each used row. */
  sourceRows: Int32Array;
  /** Split id per used row: 0 train, 1 validation, 2 test. */
  split: Uint8Array;
  trainRows: Int32Array;
  validationRows: Int32Array;
  testRows: Int32Array;
  /** Fold id per training row (aligned with trainRows), when folds were requested. */
  folds: Int32Array | null;
  report: PrepareReport;
}

const MAX_CELL_REPORTS = 5;
/** Fewer usable rows than this cannot be trained on at all (error). */
export const MIN_ROWS = 2;
/** A training split smaller than this (or than 2 rows per class) gets a warning. */
export const MIN_TRAIN_ROWS = 10;
/** Dropping at least this fraction of the rows is a warning (below it, information). */
export const DROPPED_ROWS_WARNING = 0.1;
/** Dropped rows (and constant columns) named in a message before "…". */
const MAX_NAMED = 5;
/** A text column whose values are all distinct over at least this many rows is taken for an identifier. */
export const IDENTIFIER_MIN_ROWS = 50;
const IMPUTING: readonly MissingStrategy[] = ['mean', 'median', 'most-frequent'];

function cellProblem(
  severity: DataProblem['severity'],
  code: string,
  col: TypedColumn,
  row0: number,
  lines: Int32Array,
  what: string,
): DataProblem {
  const line = lines[row0];
  return {
    severity,
    code,
    message: `Line ${line}, row ${row0 + 1}, column '${col.name}': ${what}`,
    line,
    row: row0 + 1,
    column: col.name,
    columnIndex: col.index,
  };
}

/**
 * Sets drop[i] = 1 for the rows this column removes (invalid cells always; missing cells under
 * 'drop-row') and reports the first MAX_CELL_REPORTS missing cells under 'error', each with its line,
 * row and column. Imputing strategies leave the rows (the values are filled later).
 */
function markMissingRows(
  col: TypedColumn,
  strategy: MissingStrategy,
  lines: Int32Array,
  drop: Uint8Array,
  problems: DataProblem[],
): void {
  let reported = 0;
  for (let i = 0; i < drop.length; i++) {
    if (col.invalid[i]) drop[i] = 1;
    if (!col.missing[i]) continue;
    if (strategy === 'drop-row') drop[i] = 1;
    else if (strategy === 'error' && reported++ < MAX_CELL_REPORTS) {
      problems.push(
        cellProblem(
          'error',
          'missing-value',
          col,
          i,
          lines,
          'missing value, and the column\'s missing-value rule is "error".',
        ),
      );
    }
  }
}

/**
 * The one problem summarising rows dropped for missing or invalid cells: how many (and which share of the
 * file), the first {@link MAX_NAMED} by line and row, and the columns responsible with their counts (a row
 * with several bad cells counts for each column). Severity: info below {@link DROPPED_ROWS_WARNING} of
 * the rows, warning from it on.
 */
function droppedRowsProblem(
  columns: readonly TypedColumn[],
  strategies: ReadonlyMap<string, MissingStrategy>,
  drop: Uint8Array,
  lines: Int32Array,
): DataProblem {
  const n = drop.length;
  const named: string[] = [];
  const perColumn = new Map<string, number>();
  let dropped = 0;
  for (let i = 0; i < n; i++) {
    if (!drop[i]) continue;
    if (dropped++ < MAX_NAMED) named.push(`line ${lines[i]} (row ${i + 1})`);
    for (const c of columns)
      if (c.invalid[i] || (c.missing[i] && strategies.get(c.name) === 'drop-row'))
        perColumn.set(c.name, (perColumn.get(c.name) ?? 0) + 1);
  }
  const share = dropped / n;
  const pct = share >= 0.01 ? Math.round(share * 100) : Math.round(share * 1000) / 10;
  const cols = [...perColumn]
    .sort((a, b) => b[1] - a[1])
    .map(([name, k]) => `'${name}' (${countOf(k, 'row')})`);
  // A single responsible column is the problem's place; with several, the message names them.
  const only = perColumn.size === 1 ? columns.find((c) => perColumn.has(c.name)) : undefined;
  return {
    severity: share >= DROPPED_ROWS_WARNING ? 'warning' : 'info',
    code: 'rows-dropped',
    message:
      `${dropped} of ${countOf(n, 'row')} (${pct} %) ${dropped === 1 ? 'has' : 'have'} missing or invalid values in used columns and ${dropped === 1 ? 'is' : 'are'} dropped: ` +
      `${named.join(', ')}${dropped > MAX_NAMED ? ', …' : ''}. Columns responsible: ${cols.join(', ')}. ` +
      'To keep these rows, impute the missing values (mean, median or most frequent), or set the role of a mostly empty column to Ignore.',
    ...(only ? { column: only.name, columnIndex: only.index } : {}),
  };
}

/**
 * Warnings for used columns with a single value in every used row (missing cells aside): a constant
 * feature carries no information (z-score and min-max map it to 0, never NaN), a constant regression
 * target leaves nothing to learn. The first {@link MAX_NAMED} features get one problem each, the rest one.
 */
function constantColumnProblems(
  features: readonly TypedColumn[],
  targets: readonly TypedColumn[],
  kept: Int32Array,
): DataProblem[] {
  const constant = (c: TypedColumn): string | null => {
    let first: number | null = null;
    for (const i of kept) {
      const v = c.type === 'numeric' ? c.values[i] : (c.catIndex as Int32Array)[i];
      if (c.type === 'numeric' ? v !== v : v < 0) continue;
      if (first === null) first = v;
      else if (v !== first) return null;
    }
    if (first === null) return null;
    return c.type === 'numeric' ? String(first) : `'${c.categories[first]}'`;
  };
  const out: DataProblem[] = [];
  const rest: string[] = [];
  for (const c of features) {
    const v = constant(c);
    if (v === null) continue;
    if (out.length < MAX_NAMED)
      out.push({
        severity: 'warning',
        code: 'constant-column',
        message: `Column '${c.name}' has the same value (${v}) in every used row, so it carries no information; set its role to Ignore.`,
        column: c.name,
        columnIndex: c.index,
      });
    else rest.push(`'${c.name}'`);
  }
  if (rest.length > 0)
    out.push({
      severity: 'warning',
      code: 'constant-column-more',
      message: `${countOf(rest.length, 'more column')} ${rest.length === 1 ? 'has' : 'have'} one value in every used row and carr${rest.length === 1 ? 'ies' : 'y'} no information: ${rest.slice(0, 20).join(', ')}${rest.length > 20 ? ', …' : ''}. Set their role to Ignore.`,
    });
  for (const t of targets) {
    const v = t.type === 'numeric' ? constant(t) : null;
    if (v !== null)
      out.push({
        severity: 'warning',
        code: 'constant-target',
        message: `Target column '${t.name}' has the same value (${v}) in every used row, so there is nothing to learn. Choose another target column, or check the file.`,
        column: t.name,
        columnIndex: t.index,
      });
  }
  return out;
}

/** An unnamed first column holding 0, 1, 2, … or 1, 2, 3, … (row names written by R or pandas). */
function isRowIndex(col: TypedColumn): boolean {
  if (col.index !== 0 || col.raw.originalName === undefined || col.raw.originalName.trim() !== '')
    return false;
  if (col.type !== 'numeric' || col.missingCount > 0 || col.invalidCount > 0 || col.values.length === 0)
    return false;
  const base = col.values[0];
  if (base !== 0 && base !== 1) return false;
  for (let i = 0; i < col.values.length; i++) if (col.values[i] !== base + i) return false;
  return true;
}

/** Median of finite values (float64). */
function median(v: Float64Array): number {
  const s = v.slice().sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Most frequent value; ties go to the smallest value (deterministic). */
function mode(v: ArrayLike<number>): number {
  const m = new Map<number, number>();
  for (let i = 0; i < v.length; i++) m.set(v[i], (m.get(v[i]) ?? 0) + 1);
  let best = NaN;
  let bn = 0;
  for (const [k, n] of m) if (n > bn || (n === bn && k < best)) [best, bn] = [k, n];
  return best;
}

const indexList = (split: Uint8Array, id: number): Int32Array => {
  let n = 0;
  for (let i = 0; i < split.length; i++) if (split[i] === id) n++;
  const out = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < split.length; i++) if (split[i] === id) out[k++] = i;
  return out;
};

/**
 * Turn a read table into training tensors with the given options (defaults: last column is the
 * target, task inferred, missing rows dropped, no scaling, 80/20 stratified split, seed 42).
 * @throws DataImportError carrying every problem found when any of them is an error (bad cells in
 *   used columns, impossible options, an empty result).
 */
export function prepareDataset(table: RawTable, options: PrepareOptions = {}): PreparedDataset {
  const problems: DataProblem[] = [];
  const failWith = (code: string, message: string): never => {
    problems.push({ severity: 'error', code, message });
    throw new DataImportError(message, problems);
  };
  const fail = (message: string): never => failWith('options', message);
  const colOpts: Record<string, ColumnOptions> = options.columns ?? {};
  const names = table.columns.map((c) => c.name);
  if (names.length < 2) {
    fail(
      `Only one column ('${names[0]}') was found with the ${delimiterName(table.dialect.delimiter)} delimiter; a model needs at least a feature and a target. If the file uses another separator, choose it.`,
    );
  }
  for (const name of Object.keys(colOpts)) {
    if (!names.includes(name))
      fail(
        `Column options name '${name}', which is not a column of the file (columns: ${names.join(', ')}).`,
      );
  }
  let targetNames = options.targets ?? names.filter((n) => colOpts[n]?.role === 'target');
  if (targetNames.length === 0) targetNames = [names[names.length - 1]];
  for (const t of targetNames)
    if (!names.includes(t)) fail(`Target column '${t}' is not in the file (columns: ${names.join(', ')}).`);
  const splitColumn = options.split?.column ?? null;
  if (splitColumn !== null && !names.includes(splitColumn))
    fail(`Split column '${splitColumn}' is not in the file.`);
  if (splitColumn !== null && targetNames.includes(splitColumn))
    fail(`Column '${splitColumn}' cannot be both the split column and a target.`);

  // Raw problems: a bad cell in a column that will not be used is only information.
  const typed = table.columns.map((c) => {
    try {
      return typeColumn(c, colOpts[c.name] ?? {}, problems);
    } catch (e) {
      return fail((e as Error).message);
    }
  });
  const roles: Record<string, ColumnRole | 'split'> = {};
  const types: Record<string, ColumnType> = {};
  for (const col of typed) {
    types[col.name] = col.type;
    const explicit = colOpts[col.name]?.role;
    let role: ColumnRole | 'split';
    if (targetNames.includes(col.name)) role = 'target';
    else if (col.name === splitColumn) role = 'split';
    else if (explicit) role = explicit;
    else if (isRowIndex(col)) {
      role = 'ignore';
      problems.push({
        severity: 'warning',
        code: 'row-index-column',
        message: `Column ${col.index + 1} has no name and counts the rows (as R's write.csv and pandas' to_csv write row names); it is ignored. Set its role to feature to use it.`,
        column: col.name,
        columnIndex: col.index,
      });
    } else if (col.missingCount === col.values.length) {
      role = 'ignore';
      problems.push({
        severity: 'warning',
        code: 'empty-column',
        message: `Column '${col.name}' has no values; it is ignored.`,
        column: col.name,
        columnIndex: col.index,
      });
    } else if (
      col.type === 'categorical' &&
      (col.tooManyCategories ||
        (col.categories.length === col.values.length - col.missingCount &&
          col.categories.length >= IDENTIFIER_MIN_ROWS))
    ) {
      role = 'ignore';
      problems.push({
        severity: 'warning',
        code: 'identifier-column',
        message: `Column '${col.name}' looks like an identifier (${col.tooManyCategories ? `more than ${MAX_CATEGORIES}` : 'all'} distinct text values); it is ignored. Set its role to feature to one-hot encode it.`,
        column: col.name,
        columnIndex: col.index,
      });
    } else role = 'feature';
    if (role === 'feature' && col.tooManyCategories) {
      fail(
        `Column '${col.name}' has more than ${MAX_CATEGORIES} distinct text values and cannot be one-hot encoded; set its role to ignore.`,
      );
    }
    roles[col.name] = role;
  }
  for (const p of table.problems) {
    if (
      (p.code === 'non-finite' || p.code === 'non-finite-more') &&
      p.column !== undefined &&
      roles[p.column] === 'ignore'
    ) {
      problems.push({ ...p, severity: 'info', message: `${p.message} (The column is ignored.)` });
    } else problems.push(p);
  }
  const features = typed.filter((c) => roles[c.name] === 'feature');
  const targets = targetNames.map((t) => typed.find((c) => c.name === t) as TypedColumn);
  for (const t of targets) {
    if (t.missingCount + t.invalidCount === t.values.length)
      fail(
        `Target column '${t.name}' has no usable values (all ${t.values.length} cells are missing or invalid). Choose another target column, or fill in the targets.`,
      );
  }
  if (features.length === 0)
    fail(
      "No feature columns: every column is a target or ignored. Set at least one column's role to feature.",
    );

  // Task.
  const requested = options.task ?? 'auto';
  let inference: TargetInference;
  try {
    if (targets.length > 1) {
      for (const t of targets) {
        if (t.type !== 'numeric')
          fail(`Several targets are supported for regression only; target '${t.name}' holds text.`);
      }
      if (requested !== 'auto' && requested !== 'regression')
        fail('Several targets are supported for regression only.');
      inference = {
        task: 'regression',
        classes: [],
        classIndex: null,
        distinct: 0,
        reason: `regression: ${targets.length} target columns`,
      };
    } else inference = inferTask(targets[0], requested, options.classes);
  } catch (e) {
    if (e instanceof DataImportError && !problems.some((p) => p.message === e.message)) fail(e.message);
    throw e;
  }
  const task = inference.task;
  const classification = task !== 'regression';

  // Missing values.
  const n = table.rowCount;
  const drop = new Uint8Array(n);
  const strategies = new Map<string, MissingStrategy>();
  const missingReport: PrepareReport['missing'] = {};
  for (const col of [...features, ...targets]) {
    const isTarget = targets.includes(col);
    // The global rule is for features; a target drops its missing rows unless told otherwise.
    const s = colOpts[col.name]?.missing ?? (isTarget ? 'drop-row' : (options.missing ?? 'drop-row'));
    if (isTarget && IMPUTING.includes(s))
      fail(`Target column '${col.name}': missing targets cannot be imputed; use drop-row or error.`);
    if (col.type === 'categorical' && (s === 'mean' || s === 'median')) {
      fail(`Column '${col.name}' is categorical; impute it with most-frequent, not ${s}.`);
    }
    strategies.set(col.name, s);
    missingReport[col.name] = { count: col.missingCount, strategy: s };
    if (col.missingCount === 0 && col.invalidCount === 0) continue;
    markMissingRows(col, s, table.lines, drop, problems);
    if (s === 'error' && col.missingCount > MAX_CELL_REPORTS) {
      problems.push({
        severity: 'error',
        code: 'missing-value-more',
        message: `Column '${col.name}' has ${col.missingCount} missing values in all.`,
        column: col.name,
        columnIndex: col.index,
      });
    }
  }
  let keptCount = 0;
  for (let i = 0; i < n; i++) if (!drop[i]) keptCount++;
  const kept = new Int32Array(keptCount);
  for (let i = 0, k = 0; i < n; i++) if (!drop[i]) kept[k++] = i;
  if (keptCount < n)
    problems.push(droppedRowsProblem([...features, ...targets], strategies, drop, table.lines));
  if (keptCount === 0)
    fail(
      'No rows are left after dropping rows with missing values. Impute the missing values instead, or ignore the emptiest columns.',
    );
  if (keptCount < MIN_ROWS) {
    const why =
      keptCount < n
        ? ` (${n} in the file, ${n - keptCount} dropped for missing or invalid values)`
        : ' in the file';
    failWith(
      'too-few-rows',
      `Only ${countOf(keptCount, 'usable row')}${why}: a network needs at least ${MIN_ROWS} rows to train on, and many more to learn anything. Add data rows${keptCount < n ? ', or impute the missing values instead of dropping rows' : ''}.`,
    );
  }
  problems.push(...constantColumnProblems(features, targets, kept));

  // Split.
  const yk = classification ? kept.map((i) => (inference.classIndex as Int32Array)[i]) : null;
  const seed = options.seed ?? 42;
  const stratified = classification && (options.split?.stratify ?? true) && splitColumn === null;
  let split: Uint8Array;
  let fractions = { train: 1, validation: 0, test: 0 };
  if (splitColumn !== null) {
    split = splitFromColumn(
      typed.find((c) => c.name === splitColumn) as TypedColumn,
      kept,
      table.lines,
      problems,
    );
  } else {
    try {
      fractions = resolveFractions(options.split ?? {});
    } catch (e) {
      fail((e as Error).message);
    }
    split = splitRows(keptCount, fractions, seed, stratified ? yk : null);
  }
  const trainRows = indexList(split, SPLIT_TRAIN);
  const validationRows = indexList(split, SPLIT_VALIDATION);
  const testRows = indexList(split, SPLIT_TEST);
  if (trainRows.length === 0)
    failWith(
      'empty-train-split',
      splitColumn !== null
        ? `The training split is empty: no used row has 'train' in split column '${splitColumn}'. Mark some rows 'train'.`
        : `The training split is empty: the split sends all ${countOf(keptCount, 'usable row')} to validation or test. Give the training split a larger fraction.`,
    );
  const minTrain = Math.max(MIN_TRAIN_ROWS, classification ? 2 * inference.classes.length : 0);
  if (trainRows.length < minTrain)
    problems.push({
      severity: 'warning',
      code: 'few-training-rows',
      message: `The training split has only ${countOf(trainRows.length, 'row')} (of ${countOf(keptCount, 'usable row')}); a network needs at least ${minTrain}${minTrain > MIN_TRAIN_ROWS ? ` (2 per class for ${countOf(inference.classes.length, 'class', 'classes')})` : ''} to learn anything trustworthy. Add more data${splitColumn !== null ? `, or mark more rows 'train' in column '${splitColumn}'` : fractions.train < 1 ? ', or give the training split a larger fraction' : ''}.`,
    });
  const nFolds = options.split?.folds ?? 0;
  let folds: Int32Array | null = null;
  if (nFolds) {
    try {
      folds = assignFolds(
        trainRows.length,
        nFolds,
        seed,
        stratified && yk ? trainRows.map((r) => yk[r]) : null,
      );
    } catch (e) {
      fail((e as Error).message);
    }
  }
  const trainSource = trainRows.map((r) => kept[r]);

  // Fit and encode features.
  const featureScaling = options.featureScaling ?? 'none';
  const fitted: FittedColumn[] = [];
  const featureNames: string[] = [];
  let width = 0;
  for (const col of features) {
    const s = strategies.get(col.name) as MissingStrategy;
    const f: FittedColumn = {
      name: col.name,
      type: col.type,
      missing: s,
      notMissing: colOpts[col.name]?.notMissing ?? [],
    };
    if (col.type === 'numeric') {
      // Training values (NaN where missing/invalid), then imputed; the scaler sees the imputed column.
      const filled = new Float64Array(trainSource.length);
      for (let k = 0; k < trainSource.length; k++) filled[k] = col.values[trainSource[k]];
      if (IMPUTING.includes(s) && col.missingCount > 0) {
        const present = filled.filter((v) => v === v);
        if (present.length === 0)
          fail(`Column '${col.name}' has no values in the training rows to impute from.`);
        f.imputeValue =
          s === 'mean' ? columnStats(present).mean : s === 'median' ? median(present) : mode(present);
        for (let k = 0; k < filled.length; k++) if (col.missing[trainSource[k]]) filled[k] = f.imputeValue;
      }
      const kind: ScalerKind =
        colOpts[col.name]?.scaling ?? (featureScaling === 'zca' ? 'none' : featureScaling);
      f.scaler = fitScaler(kind, columnStats(filled));
      f.offset = width;
      f.width = 1;
      featureNames.push(col.name);
    } else {
      const used = new Uint8Array(col.categories.length);
      for (const i of kept) if (col.catIndex && col.catIndex[i] >= 0) used[col.catIndex[i]] = 1;
      f.categories = col.categories.filter((_, k) => used[k]);
      if (IMPUTING.includes(s) && col.missingCount > 0) {
        const codes: number[] = [];
        for (const i of trainSource) if (col.catIndex && col.catIndex[i] >= 0) codes.push(col.catIndex[i]);
        if (codes.length === 0)
          fail(`Column '${col.name}' has no values in the training rows to impute from.`);
        f.imputeCategory = col.categories[mode(codes)];
      }
      f.offset = width;
      f.width = f.categories.length;
      for (const c of f.categories) featureNames.push(`${col.name}=${c}`);
    }
    width += f.width;
    fitted.push(f);
  }

  const recipe: DataRecipe = {
    version: 1,
    dialect: table.dialect,
    missingTokens: table.missingTokens,
    features: fitted,
    featureNames,
    featureWidth: width,
    zca: null,
    targets: [],
    task,
    classes: inference.classes,
    ignored: names.filter((nm) => roles[nm] === 'ignore'),
    unseenCategory: options.unseenCategory ?? 'error',
    seed,
    split: { ...fractions, stratified, column: splitColumn, folds: nFolds },
  };
  const byName = new Map(typed.map((c) => [c.name, c]));
  const encoded = encodeFeatures(recipe, byName, kept, table.lines, problems, featureScaling === 'zca');
  if (featureScaling === 'zca') {
    const eps = options.zcaEpsilon ?? 1e-5;
    recipe.zca = fitZca(encoded as Float64Array, width, trainRows, eps);
    applyZca(recipe.zca, encoded);
  }
  const featuresOut = encoded instanceof Float32Array ? encoded : Float32Array.from(encoded);

  // Targets.
  let targetsOut: Int32Array | Float32Array;
  let targetWidth: number;
  if (classification) {
    targetsOut = yk as Int32Array;
    targetWidth = 1;
    recipe.targets = [
      {
        name: targets[0].name,
        type: targets[0].type,
        missing: strategies.get(targets[0].name) as MissingStrategy,
        notMissing: colOpts[targets[0].name]?.notMissing ?? [],
      },
    ];
  } else {
    targetWidth = targets.length;
    targetsOut = new Float32Array(keptCount * targetWidth);
    const kind: ScalerKind = options.targetScaling ?? 'none';
    targets.forEach((t, j) => {
      const trainVals = Float64Array.from(trainSource, (i) => t.values[i]);
      const scaler = fitScaler(kind, columnStats(trainVals));
      recipe.targets.push({
        name: t.name,
        type: 'numeric',
        missing: strategies.get(t.name) as MissingStrategy,
        notMissing: [],
        scaler,
      });
      for (let k = 0; k < keptCount; k++)
        targetsOut[k * targetWidth + j] = applyScaler(scaler, t.values[kept[k]]);
    });
  }

  // Class report.
  let classes: ClassReport | null = null;
  if (classification && yk) {
    const K = inference.classes.length;
    const perSplit = {
      train: classCounts(yk, K, trainRows),
      validation: classCounts(yk, K, validationRows),
      test: classCounts(yk, K, testRows),
    };
    const counts = classCounts(yk, K);
    const nonzero = perSplit.train.filter((c) => c > 0);
    classes = {
      labels: inference.classes,
      counts,
      perSplit,
      weights: classWeights(perSplit.train),
      imbalanced: nonzero.length > 0 && Math.max(...nonzero) >= 1.5 * Math.min(...nonzero),
    };
    for (const [si, name] of SPLIT_NAMES.entries()) {
      const sizes = [trainRows.length, validationRows.length, testRows.length][si];
      if (sizes === 0) continue;
      perSplit[name].forEach((c, k) => {
        if (c === 0) {
          problems.push({
            severity: 'warning',
            code: 'class-missing-in-split',
            message: `Class '${inference.classes[k]}' has no rows in the ${name} split (${counts[k]} rows in all).`,
            column: targets[0].name,
            columnIndex: targets[0].index,
          });
        }
      });
    }
  }

  if (problems.some((p) => p.severity === 'error')) {
    const first = problems.find((p) => p.severity === 'error') as DataProblem;
    throw new DataImportError(first.message, problems);
  }
  const report: PrepareReport = {
    rowsRead: n,
    rowsUsed: keptCount,
    rowsDropped: n - keptCount,
    missing: missingReport,
    roles,
    types,
    task,
    taskReason: inference.reason,
    splitSizes: { train: trainRows.length, validation: validationRows.length, test: testRows.length },
    classes,
    problems,
  };
  return {
    recipe,
    rows: keptCount,
    features: featuresOut,
    featureWidth: width,
    targets: targetsOut,
    targetWidth,
    sourceRows: kept.map((i) => i + 1),
    split,
    trainRows,
    validationRows,
    testRows,
    folds,
    report,
  };
}

function splitFromColumn(
  col: TypedColumn,
  kept: Int32Array,
  lines: Int32Array,
  problems: DataProblem[],
): Uint8Array {
  const out = new Uint8Array(kept.length);
  const codes = col.raw.codes;
  const names: Record<string, number> = {
    train: SPLIT_TRAIN,
    training: SPLIT_TRAIN,
    validation: SPLIT_VALIDATION,
    val: SPLIT_VALIDATION,
    valid: SPLIT_VALIDATION,
    test: SPLIT_TEST,
  };
  let bad = 0;
  kept.forEach((i, k) => {
    const label = codes ? col.raw.labels[codes[i]] : '';
    const id = names[label.toLowerCase()];
    if (id === undefined) {
      if (bad++ < MAX_CELL_REPORTS) {
        problems.push(
          cellProblem(
            'error',
            'split-value',
            col,
            i,
            lines,
            `'${label}' is not a split name; use train, validation (or val) or test.`,
          ),
        );
      }
    } else out[k] = id;
  });
  return out;
}

/**
 * Encode (impute, one-hot, scale) the given rows' features by a recipe.
 * @returns Float32Array [rows × featureWidth], or Float64Array when `wide` (used before ZCA)
 */
function encodeFeatures(
  recipe: DataRecipe,
  columns: Map<string, TypedColumn>,
  rows: Int32Array,
  lines: Int32Array,
  problems: DataProblem[],
  wide: boolean,
): Float32Array | Float64Array {
  const w = recipe.featureWidth;
  const out = wide ? new Float64Array(rows.length * w) : new Float32Array(rows.length * w);
  for (const f of recipe.features) {
    const col = columns.get(f.name) as TypedColumn;
    const o = f.offset as number;
    if (f.type === 'numeric') {
      const sc = f.scaler as AffineScaler;
      const v = col.values;
      for (let k = 0; k < rows.length; k++) {
        const i = rows[k];
        const x = col.missing[i] ? (f.imputeValue as number) : v[i];
        out[k * w + o] = applyScaler(sc, x);
      }
    } else {
      const cats = f.categories as string[];
      const pos = new Map(cats.map((c, j) => [c, j]));
      const remap = col.categories.map((c) => pos.get(c) ?? -1);
      const impute = f.imputeCategory !== undefined ? (pos.get(f.imputeCategory) ?? -1) : -1;
      let unseen = 0;
      for (let k = 0; k < rows.length; k++) {
        const i = rows[k];
        const ci = (col.catIndex as Int32Array)[i];
        const j = ci < 0 ? impute : remap[ci];
        if (j >= 0) out[k * w + o + j] = 1;
        else if (ci >= 0 && recipe.unseenCategory === 'error' && unseen++ < MAX_CELL_REPORTS) {
          problems.push(
            cellProblem(
              'error',
              'unseen-category',
              col,
              i,
              lines,
              `category '${col.categories[ci]}' was not seen in training (known: ${cats.slice(0, 10).join(', ')}${cats.length > 10 ? ', …' : ''}). Correct it, or choose "all zeros" for unseen categories.`,
            ),
          );
        } else if (ci >= 0) unseen++;
      }
      if (unseen > 0 && recipe.unseenCategory === 'zeros') {
        problems.push({
          severity: 'warning',
          code: 'unseen-category',
          message: `Column '${f.name}': ${countOf(unseen, 'value')} not seen in training ${unseen === 1 ? 'is' : 'are'} encoded as all zeros.`,
          column: f.name,
          columnIndex: col.index,
        });
      }
    }
  }
  return out;
}

/** Features (and targets when present) of a new file, encoded by a fitted recipe. */
export interface AppliedData {
  rows: number;
  features: Float32Array;
  sourceRows: Int32Array;
  /** Regression: raw target values [rows × T] in ORIGINAL units; classification: class indices (−1 unknown label). Null when the file has no target columns. */
  targets: Float32Array | Int32Array | null;
  problems: DataProblem[];
  /** Rows left out (a feature cell missing under the column's 'drop-row' rule, or invalid):
   *  their total and the first {@link MAX_DROPPED_EXAMPLES}, in file order. */
  dropped: { count: number; first: DroppedRow[] };
}

/** One row that {@link applyRecipe} left out: data row (1 = first after the header), file line, first cause. */
export interface DroppedRow {
  row: number;
  line: number;
  column: string;
  reason: 'missing' | 'invalid';
}

/** How many dropped rows {@link AppliedData.dropped} lists by name. */
export const MAX_DROPPED_EXAMPLES = 5;

/**
 * Apply a fitted recipe to another table (prediction time, or a held-out file).
 * Columns are matched by name; extra columns are ignored; rows with missing values follow each
 * column's stored rule (drop-row drops, imputing uses the stored value, error reports).
 * @throws DataImportError when a feature column is absent, or cells are invalid/unseen (with 'error').
 */
export function applyRecipe(table: RawTable, recipe: DataRecipe): AppliedData {
  const problems: DataProblem[] = [];
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  const typed = new Map<string, TypedColumn>();
  for (const f of recipe.features) {
    const raw = byName.get(f.name);
    if (!raw) {
      throw new DataImportError(
        `The file has no column '${f.name}', which the model uses as a feature. Columns in the file: ${[...byName.keys()].join(', ')}.`,
      );
    }
    typed.set(f.name, typeColumn(raw, { type: f.type, notMissing: f.notMissing }, problems));
  }
  const haveTargets = recipe.targets.every((t) => byName.has(t.name));
  const targetCols = haveTargets
    ? recipe.targets.map((t) =>
        typeColumn(byName.get(t.name) as RawColumn, { type: t.type, notMissing: t.notMissing }, problems),
      )
    : [];
  const n = table.rowCount;
  const drop = new Uint8Array(n);
  for (const f of recipe.features) {
    markMissingRows(typed.get(f.name) as TypedColumn, f.missing, table.lines, drop, problems);
  }
  for (const p of table.problems) problems.push(p);
  const kept: number[] = [];
  const dropped: AppliedData['dropped'] = { count: 0, first: [] };
  for (let i = 0; i < n; i++) {
    if (!drop[i]) {
      kept.push(i);
      continue;
    }
    if (dropped.count++ >= MAX_DROPPED_EXAMPLES) continue;
    // The first feature column (recipe order) that caused the drop names the reason.
    for (const f of recipe.features) {
      const c = typed.get(f.name) as TypedColumn;
      if (c.invalid[i] || (c.missing[i] && f.missing === 'drop-row')) {
        dropped.first.push({
          row: i + 1,
          line: table.lines[i],
          column: f.name,
          reason: c.invalid[i] ? 'invalid' : 'missing',
        });
        break;
      }
    }
  }
  const rows = Int32Array.from(kept);
  let features = encodeFeatures(recipe, typed, rows, table.lines, problems, recipe.zca !== null);
  if (recipe.zca) applyZca(recipe.zca, features);
  if (!(features instanceof Float32Array)) features = Float32Array.from(features);
  let targets: Float32Array | Int32Array | null = null;
  if (haveTargets) {
    if (recipe.task === 'regression') {
      const T = targetCols.length;
      const t = new Float32Array(rows.length * T);
      targetCols.forEach((c, j) => rows.forEach((i, k) => (t[k * T + j] = c.values[i])));
      targets = t;
    } else {
      const c = targetCols[0];
      const pos = new Map(recipe.classes.map((l, j) => [l, j]));
      targets = Int32Array.from(rows, (i) => {
        if (c.missing[i] || c.invalid[i]) return -1;
        // Numeric labels are stored as String(value): "1.0" in the file is class "1".
        const label =
          c.type === 'numeric' ? String(c.values[i]) : (c.categories[(c.catIndex as Int32Array)[i]] ?? '');
        return pos.get(label) ?? -1;
      });
    }
  }
  if (problems.some((p) => p.severity === 'error')) {
    throw new DataImportError(
      (problems.find((p) => p.severity === 'error') as DataProblem).message,
      problems,
    );
  }
  return { rows: rows.length, features, sourceRows: rows.map((i) => i + 1), targets, problems, dropped };
}

/**
 * Regression outputs back to original units: y [rows × T] (scaled, as the network predicts them)
 * → x = y·scale + shift per target column.
 * @throws RangeError when the task is not regression or y.length is not a multiple of T.
 */
export function inverseTargets(recipe: DataRecipe, y: ArrayLike<number>): Float64Array {
  if (recipe.task !== 'regression')
    throw new RangeError(
      'inverseTargets: the recipe is for classification; map class indices with recipe.classes.',
    );
  const T = recipe.targets.length;
  if (y.length % T !== 0)
    throw new RangeError(`inverseTargets: ${y.length} values are not a multiple of ${T} targets.`);
  const out = new Float64Array(y.length);
  for (let k = 0; k < y.length; k++)
    out[k] = invertScaler(recipe.targets[k % T].scaler as AffineScaler, y[k]);
  return out;
}

/**
 * Encoded, scaled features back to original units (numeric columns; one-hot columns unchanged).
 * @param x Float32Array/Float64Array [rows × featureWidth]; returns a new Float64Array.
 */
export function inverseFeatures(recipe: DataRecipe, x: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(x);
  if (recipe.zca) invertZca(recipe.zca, out);
  const w = recipe.featureWidth;
  for (const f of recipe.features) {
    if (f.type !== 'numeric') continue;
    for (let o = f.offset as number; o < out.length; o += w)
      out[o] = invertScaler(f.scaler as AffineScaler, out[o]);
  }
  return out;
}
