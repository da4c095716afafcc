/**
 * What an import with default settings would do, as one JSON-able report (the output of
 * `netloom inspect --json`, documented in docs/data-import.md).
 *
 * Invariants: never throws for bad data — every failure becomes a problem and `usable: false`;
 * `usable` is true exactly when no problem has severity 'error'.
 */
import { prepareDataset } from './prepare';
import { DataImportError } from './problems';
import type { RawTable } from './reader';
import { summarizeTable, type ColumnSummary } from './summary';
import type { DataProblem, Dialect, PrepareOptions, Task } from './types';

/** One column of the report: the summary's statistics plus the role the default import gives it. */
export interface InspectColumn extends Pick<
  ColumnSummary,
  | 'name'
  | 'type'
  | 'count'
  | 'missing'
  | 'invalid'
  | 'unique'
  | 'uniqueCapped'
  | 'min'
  | 'max'
  | 'mean'
  | 'std'
> {
  role: 'feature' | 'target' | 'ignore' | 'split';
  /** Categorical: up to 10 most frequent categories. Numeric: empty. */
  categories: { value: string; count: number }[];
}

export interface InspectReport {
  format: 'netloom-inspect';
  version: 1;
  file: string | null;
  usable: boolean;
  encoding: Dialect['encoding'] | null;
  bom: boolean | null;
  delimiter: Dialect['delimiter'] | null;
  decimal: Dialect['decimal'] | null;
  header: boolean | null;
  lineEnding: 'LF' | 'CRLF' | 'CR' | null;
  rows: number;
  columnCount: number;
  columns: InspectColumn[];
  target: {
    columns: string[];
    task: Task;
    reason: string;
    /** count: rows of the class in the whole file (used rows); trainCount: in the training split;
     *  weight: suggested class weight n/(K·n_c) computed from the TRAINING split counts. */
    classes: { label: string; count: number; trainCount: number; weight: number }[] | null;
  } | null;
  rowsUsed: number | null;
  problems: DataProblem[];
}

const LINE_ENDINGS = { '\n': 'LF', '\r\n': 'CRLF', '\r': 'CR' } as const;

/** Report for a file that could not be read at all. */
export function inspectFailure(error: unknown, file: string | null = null): InspectReport {
  const problems: DataProblem[] =
    error instanceof DataImportError
      ? error.problems
      : [
          {
            severity: 'error',
            code: 'read',
            message: error instanceof Error ? error.message : String(error),
          },
        ];
  return {
    format: 'netloom-inspect',
    version: 1,
    file,
    usable: false,
    encoding: null,
    bom: null,
    delimiter: null,
    decimal: null,
    header: null,
    lineEnding: null,
    rows: 0,
    columnCount: 0,
    columns: [],
    target: null,
    rowsUsed: null,
    problems,
  };
}

/** Inspect a read table with default preparation (last column = target) or the given options. */
export function inspectTable(
  table: RawTable,
  file: string | null = null,
  options: PrepareOptions = {},
): InspectReport {
  const summaries = summarizeTable(table, options.columns ?? {});
  let problems: DataProblem[];
  let target: InspectReport['target'] = null;
  let rowsUsed: number | null = null;
  let roles: Record<string, string> = {};
  try {
    const p = prepareDataset(table, options);
    problems = p.report.problems;
    roles = p.report.roles;
    rowsUsed = p.rows;
    const c = p.report.classes;
    target = {
      columns: p.recipe.targets.map((t) => t.name),
      task: p.report.task,
      reason: p.report.taskReason,
      classes: c
        ? c.labels.map((label, k) => ({
            label,
            count: c.counts[k],
            trainCount: c.perSplit.train[k],
            weight: c.weights[k],
          }))
        : null,
    };
  } catch (e) {
    if (!(e instanceof DataImportError)) throw e;
    problems = e.problems;
  }
  const d = table.dialect;
  const lastName = table.columns[table.columns.length - 1]?.name;
  return {
    format: 'netloom-inspect',
    version: 1,
    file,
    usable: !problems.some((p) => p.severity === 'error'),
    encoding: d.encoding,
    bom: d.bom,
    delimiter: d.delimiter,
    decimal: d.decimal,
    header: d.header,
    lineEnding: LINE_ENDINGS[d.newline],
    rows: table.rowCount,
    columnCount: table.columns.length,
    columns: summaries.map((s) => ({
      name: s.name,
      type: s.type,
      role: (roles[s.name] ?? (s.name === lastName ? 'target' : 'feature')) as InspectColumn['role'],
      count: s.count,
      missing: s.missing,
      invalid: s.invalid,
      unique: s.unique,
      uniqueCapped: s.uniqueCapped,
      min: s.min,
      max: s.max,
      mean: s.mean,
      std: s.std,
      categories: s.type === 'categorical' ? s.top : [],
    })),
    target,
    rowsUsed,
    problems,
  };
}
