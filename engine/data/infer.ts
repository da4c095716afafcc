/**
 * From raw cells to typed columns, and from a target column to a task.
 *
 * Column typing: a column is numeric when every non-missing cell is a number (non-finite numbers
 * are errors, not text); one text cell makes it categorical (with a warning naming that cell when
 * most cells are numbers). Categories are the trimmed cell texts in code-point order.
 *
 * Task inference (documented threshold): a categorical target is classification; a numeric
 * target is classification only when all its values are whole numbers (1, 1.0 and 1.00 are the
 * same class) and the number of distinct values K satisfies K ≤ max(2, min(MAX_CLASSES,
 * floor(n / MIN_ROWS_PER_CLASS))), i.e. at most 20 classes and on average at least 5 rows per
 * class. Otherwise it is regression (diabetes' progression: 214 distinct values; linnerud: 20 rows).
 */
import { CELL_MISSING, CELL_NUMBER, MAX_CATEGORIES, type RawColumn } from './columns';
import { DataImportError } from './problems';
import type { ColumnOptions, ColumnType, DataProblem, Task } from './types';

/**
 * A number with digit groups of three: 1,234.5 / 12,345 (comma groups, point decimals) or 1.234,5 /
 * 1 234,5 / 1'234.5 (point, space or apostrophe groups). Such text cells are not parsed as numbers (the
 * separator is ambiguous with the decimal one); the column gets a warning instead.
 */
const GROUPED_NUMBER =
  /^[+-]?\d{1,3}(?:(?:,\d{3})+(?:\.\d+)?|(?:\.\d{3})+(?:,\d+)?|(?:[ \u00a0\u202f']\d{3})+(?:[.,]\d+)?)$/;

export const MAX_CLASSES = 20;
export const MIN_ROWS_PER_CLASS = 5;

export interface TypedColumn {
  name: string;
  index: number;
  type: ColumnType;
  raw: RawColumn;
  /** 1 where the cell is missing (after `notMissing`), per row. */
  missing: Uint8Array;
  missingCount: number;
  /** 1 where the cell cannot be used: non-finite number, or text in a column forced numeric. */
  invalid: Uint8Array;
  invalidCount: number;
  /** Numeric: the value per row (NaN when missing/invalid). */
  values: Float64Array;
  /** Categorical: index into `categories` per row, −1 when missing. */
  catIndex: Int32Array | null;
  /** Categorical: distinct non-missing trimmed texts, code-point order. */
  categories: string[];
  /** Why the column is not usable as categorical (too many distinct values), if so. */
  tooManyCategories: boolean;
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Type one column. Problems (with row, line and column) are appended to `problems`.
 * @throws DataImportError when `notMissing` is set on a column with too many distinct values.
 */
export function typeColumn(raw: RawColumn, opts: ColumnOptions, problems: DataProblem[]): TypedColumn {
  const n = raw.values.length;
  const notMissing = new Set(opts.notMissing ?? []);
  const state = raw.state;
  let textCount = raw.textCount;
  let extraText: Set<number> | null = null;
  if (notMissing.size > 0) {
    if (!raw.codes) {
      throw new DataImportError(
        `Column '${raw.name}' has more than ${MAX_CATEGORIES} distinct values, so its notMissing tokens cannot be read as categories.`,
      );
    }
    extraText = new Set<number>();
    raw.labels.forEach((l, code) => {
      if (notMissing.has(l)) extraText?.add(code);
    });
  }
  const missing = new Uint8Array(n);
  let missingCount = 0;
  for (let i = 0; i < n; i++) {
    if (state[i] === CELL_MISSING) {
      if (extraText && extraText.has((raw.codes as Int32Array)[i])) textCount++;
      else {
        missing[i] = 1;
        missingCount++;
      }
    }
  }
  const requested = opts.type ?? 'auto';
  const nonMissing = n - missingCount;
  let type: ColumnType;
  if (requested !== 'auto') type = requested;
  else type = textCount > 0 ? 'categorical' : 'numeric';

  if (
    requested === 'auto' &&
    type === 'categorical' &&
    raw.numberCount >= 0.9 * nonMissing &&
    raw.firstText.length > 0
  ) {
    const t = raw.firstText[0];
    problems.push({
      severity: 'warning',
      code: 'mostly-numeric',
      message:
        `Column '${raw.name}' is treated as categorical because line ${t.line} (row ${t.row}) holds '${t.text}', which is not a number, ` +
        `although ${raw.numberCount} of ${nonMissing} values are numbers. Fix the value, add it to the missing tokens, or set the type.`,
      line: t.line,
      row: t.row,
      column: raw.name,
      columnIndex: raw.index,
    });
  }

  if (
    requested === 'auto' &&
    type === 'categorical' &&
    raw.firstText.length > 0 &&
    raw.firstText.every((t) => GROUPED_NUMBER.test(t.text.trim()))
  ) {
    const t = raw.firstText[0];
    problems.push({
      severity: 'warning',
      code: 'thousands-separator',
      message:
        `Column '${raw.name}' is treated as categorical: line ${t.line} (row ${t.row}) holds '${t.text}', a number written with ` +
        `thousands separators. Format the column without separators before exporting the CSV, or set the column's role to ignore.`,
      line: t.line,
      row: t.row,
      column: raw.name,
      columnIndex: raw.index,
    });
  }

  const invalid = new Uint8Array(n);
  let invalidCount = 0;
  const values = new Float64Array(n);
  let catIndex: Int32Array | null = null;
  let categories: string[] = [];
  let tooManyCategories = false;

  if (type === 'numeric') {
    for (let i = 0; i < n; i++) {
      const s = state[i];
      if (s === CELL_NUMBER) values[i] = raw.values[i];
      else {
        values[i] = NaN;
        if (!missing[i]) {
          invalid[i] = 1;
          invalidCount++;
        }
      }
    }
    if (textCount > 0) {
      const cells = raw.firstText.length > 0 ? raw.firstText : [];
      for (const t of cells) {
        problems.push({
          severity: 'error',
          code: 'not-a-number',
          message: `Line ${t.line}, row ${t.row}, column '${raw.name}': '${t.text}' is not a number, but the column's type is numeric.`,
          line: t.line,
          row: t.row,
          column: raw.name,
          columnIndex: raw.index,
        });
      }
      if (textCount > cells.length) {
        problems.push({
          severity: 'error',
          code: 'not-a-number-more',
          message: `Column '${raw.name}': ${textCount} values in all are not numbers.`,
          column: raw.name,
          columnIndex: raw.index,
        });
      }
    }
  } else if (!raw.codes) {
    tooManyCategories = true;
    values.fill(NaN);
  } else {
    values.fill(NaN);
    const codes = raw.codes;
    const used = new Uint8Array(raw.labels.length);
    for (let i = 0; i < n; i++) if (!missing[i]) used[codes[i]] = 1;
    categories = raw.labels.filter((_, c) => used[c] === 1).sort(byCodePoint);
    const pos = new Map(categories.map((c, k) => [c, k]));
    const codeToCat = new Int32Array(raw.labels.length).fill(-1);
    raw.labels.forEach((l, c) => {
      if (used[c]) codeToCat[c] = pos.get(l) as number;
    });
    catIndex = new Int32Array(n);
    for (let i = 0; i < n; i++) catIndex[i] = missing[i] ? -1 : codeToCat[codes[i]];
  }
  return {
    name: raw.name,
    index: raw.index,
    type,
    raw,
    missing,
    missingCount,
    invalid,
    invalidCount,
    values,
    catIndex,
    categories,
    tooManyCategories,
  };
}

/** What the target column implies for the task. */
export interface TargetInference {
  task: Task;
  /** Classification: original label strings in class order. */
  classes: string[];
  /** Classification: class index per row (−1 when missing). */
  classIndex: Int32Array | null;
  /** Number of distinct non-missing values. */
  distinct: number;
  /** Why this task was chosen (shown in the wizard and in `inspect`). */
  reason: string;
}

/** Canonical label of a whole number: 1, 1.0 and 1.00 all become "1". */
const intLabel = (v: number): string => (Object.is(v, -0) ? '0' : String(v));

/**
 * Infer (or check a requested) task from a target column; see the module header for the rule.
 * @param rows number of usable rows (for the rows-per-class threshold)
 * @param classOrder optional class order (original label strings); must contain every label present
 * @throws DataImportError when the request is impossible (e.g. binary with 3 classes, regression on text)
 */
export function inferTask(
  col: TypedColumn,
  requested: 'auto' | Task,
  classOrder?: string[],
): TargetInference {
  const n = col.values.length;
  let used = 0;
  for (let i = 0; i < n; i++) if (!col.missing[i] && !col.invalid[i]) used++;
  if (col.type === 'categorical') {
    if (col.tooManyCategories) {
      throw new DataImportError(
        `Target column '${col.name}' has more than ${MAX_CATEGORIES} distinct text values; it cannot be a classification target.`,
      );
    }
    if (requested === 'regression') {
      throw new DataImportError(
        `Target column '${col.name}' holds text (e.g. '${col.raw.firstText[0]?.text ?? col.categories[0]}'), so it cannot be a regression target.`,
      );
    }
    const k = col.categories.length;
    return classification(
      col,
      requested,
      col.categories,
      col.catIndex as Int32Array,
      k,
      classOrder,
      'text labels',
    );
  }
  // Numeric target.
  const distinct = new Map<number, number>();
  let allIntegers = true;
  for (let i = 0; i < n; i++) {
    if (col.missing[i] || col.invalid[i]) continue;
    const v = col.values[i];
    if (!Number.isInteger(v)) allIntegers = false;
    if (distinct.size <= MAX_CATEGORIES) distinct.set(v, (distinct.get(v) ?? 0) + 1);
  }
  const k = distinct.size;
  const limit = Math.max(2, Math.min(MAX_CLASSES, Math.floor(used / MIN_ROWS_PER_CLASS)));
  const looksClasses = allIntegers && k >= 2 && k <= limit;
  if (requested === 'regression' || (requested === 'auto' && !looksClasses)) {
    const reason =
      requested === 'regression'
        ? 'regression (chosen)'
        : !allIntegers
          ? 'regression: the target has non-integer values'
          : k < 2
            ? `regression: the target has ${k === 0 ? 'no usable values' : 'a single value'}, too few for classes`
            : `regression: ${k} distinct whole-number values exceed the class limit ${limit} (at most ${MAX_CLASSES} classes and ${MIN_ROWS_PER_CLASS} rows per class on average)`;
    return { task: 'regression', classes: [], classIndex: null, distinct: k, reason };
  }
  if (k > MAX_CATEGORIES) {
    throw new DataImportError(
      `Target column '${col.name}' has more than ${MAX_CATEGORIES} distinct values; it cannot be a class label.`,
    );
  }
  const sorted = [...distinct.keys()].sort((a, b) => a - b);
  const labels = sorted.map((v) => (Number.isInteger(v) ? intLabel(v) : String(v)));
  const pos = new Map(sorted.map((v, j) => [v, j]));
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++)
    idx[i] = col.missing[i] || col.invalid[i] ? -1 : (pos.get(col.values[i]) as number);
  return classification(
    col,
    requested,
    labels,
    idx,
    k,
    classOrder,
    allIntegers ? `${k} whole-number codes` : `${k} numeric labels`,
  );
}

function classification(
  col: TypedColumn,
  requested: 'auto' | Task,
  labels: string[],
  idx: Int32Array,
  k: number,
  classOrder: string[] | undefined,
  what: string,
): TargetInference {
  if (k < 2 && !classOrder) {
    throw new DataImportError(
      `Target column '${col.name}' has ${k === 0 ? 'no values' : `only one class ('${labels[0]}')`}; classification needs at least two classes.`,
    );
  }
  let classes = labels;
  let index = idx;
  if (classOrder) {
    const pos = new Map(classOrder.map((c, j) => [c, j]));
    if (pos.size !== classOrder.length)
      throw new DataImportError(`The class list for '${col.name}' has duplicates.`);
    const remap = labels.map((l) => {
      const j = pos.get(l);
      if (j === undefined) {
        throw new DataImportError(
          `Target column '${col.name}' has the label '${l}', which is not in the class list [${classOrder.join(', ')}]. Add it to the list.`,
        );
      }
      return j;
    });
    classes = [...classOrder];
    index = idx.map((c) => (c < 0 ? -1 : remap[c]));
  }
  const K = classes.length;
  if (requested === 'binary' && K !== 2) {
    throw new DataImportError(
      `Binary classification needs exactly 2 classes; target '${col.name}' has ${K}.`,
    );
  }
  const task: Task =
    requested === 'binary' || requested === 'multiclass' ? requested : K === 2 ? 'binary' : 'multiclass';
  const reason =
    requested === 'auto'
      ? `${task === 'binary' ? 'binary' : `${K}-class`} classification: ${what}`
      : `${task} (chosen)`;
  return { task, classes, classIndex: index, distinct: k, reason };
}
