/**
 * CSV import wizard model (framework-free, pure).
 *
 * Role: hold the user's import choices as one plain JSON-able object (`ImportSettings`, the
 * project's dataset import settings: the engine's ReadOptions + PrepareOptions) and analyse a
 * file with them: preview rows, detected dialect, per-column summaries with histograms, the task
 * and every problem with its line/row/column (engine/data: readTable → summarizeTable → inspectTable).
 *
 * Invariants: `analyzeCsv` never throws — an unreadable file becomes a report with `usable: false`
 * and its problems; every update function returns a NEW settings object (inputs are not mutated);
 * `parseImportSettings(toJson(s))` gives back `s` (round trip), so the wizard can be reopened.
 */
import { readTable, type RawTable } from '../../engine/data/reader';
import { summarizeTable, type ColumnSummary } from '../../engine/data/summary';
import { inspectFailure, inspectTable, type InspectReport } from '../../engine/data/inspect';
import { CELL_MISSING, CELL_NUMBER } from '../../engine/data/columns';
import type {
  ColumnOptions,
  DataProblem,
  FeatureScaling,
  MissingStrategy,
  PrepareOptions,
  ReadOptions,
  SplitOptions,
  Task,
} from '../../engine/data/types';

/** The project's dataset import settings: exactly what the engine needs to repeat the import. */
export interface ImportSettings {
  /** Display name of the file the settings were made for (not a path). */
  file: string | null;
  read: ReadOptions;
  prepare: PrepareOptions;
}

/** Rows shown in the preview table. */
export const PREVIEW_ROWS = 8;

export function defaultImportSettings(file: string | null = null): ImportSettings {
  return {
    file,
    read: { encoding: 'auto', delimiter: 'auto', decimal: 'auto', header: 'auto', badRows: 'error' },
    prepare: {
      task: 'auto',
      missing: 'drop-row',
      featureScaling: 'z-score',
      targetScaling: 'none',
      split: { train: 0.8, validation: 0.2, test: 0, stratify: true },
      seed: 42,
    },
  };
}

/** Deep copy through JSON (settings are plain data by contract). */
function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

export function setReadOption<K extends keyof ReadOptions>(
  s: ImportSettings,
  key: K,
  value: ReadOptions[K],
): ImportSettings {
  const next = clone(s);
  next.read[key] = value;
  return next;
}

export function setPrepareOption<K extends keyof PrepareOptions>(
  s: ImportSettings,
  key: K,
  value: PrepareOptions[K],
): ImportSettings {
  const next = clone(s);
  next.prepare[key] = value;
  return next;
}

/**
 * Change one column's choices. Setting role 'target' adds the column to `targets` (the engine's
 * source of truth for targets); any other role removes it. `undefined` values remove the key.
 */
export function setColumnOption(
  s: ImportSettings,
  column: string,
  patch: Partial<Record<keyof ColumnOptions, ColumnOptions[keyof ColumnOptions] | undefined>>,
): ImportSettings {
  const next = clone(s);
  const columns = (next.prepare.columns ??= {});
  const col: Record<string, unknown> = { ...(columns[column] ?? {}) };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete col[k];
    else col[k] = v;
  }
  if (Object.keys(col).length === 0) delete columns[column];
  else columns[column] = col as ColumnOptions;
  if ('role' in patch && patch.role !== undefined) {
    const targets = new Set(next.prepare.targets ?? []);
    if (patch.role === 'target') targets.add(column);
    else targets.delete(column);
    next.prepare.targets = [...targets];
    // The role lives in `targets`; keep the column entry free of a redundant 'target' role.
    if (patch.role === 'target') {
      delete (columns[column] as Record<string, unknown>).role;
      if (Object.keys(columns[column]).length === 0) delete columns[column];
    }
  }
  return next;
}

/**
 * Set the split fractions (each in [0, 1]). Returns an error message instead of settings when
 * they do not sum to 1 (within 1e-9), so the wizard can say what to fix.
 */
export function setSplit(
  s: ImportSettings,
  split: Pick<SplitOptions, 'train' | 'validation' | 'test'> & { stratify?: boolean },
): ImportSettings | { error: string } {
  const parts = [split.train ?? 0, split.validation ?? 0, split.test ?? 0];
  if (parts.some((p) => !Number.isFinite(p) || p < 0 || p > 1))
    return { error: 'Split fractions must each be between 0 and 1.' };
  const sum = parts[0] + parts[1] + parts[2];
  if (Math.abs(sum - 1) > 1e-9)
    return {
      error: `Split fractions must sum to 1 (now ${+sum.toFixed(4)}): adjust train, validation or test.`,
    };
  if (parts[0] === 0) return { error: 'The training split cannot be empty.' };
  const next = clone(s);
  next.prepare.split = { ...(next.prepare.split ?? {}), ...split };
  return next;
}

/** Role of a column under these settings, given the file's column names (last column = target by default). */
export function columnRole(
  s: ImportSettings,
  column: string,
  names: readonly string[],
): 'feature' | 'target' | 'ignore' {
  const targets = s.prepare.targets && s.prepare.targets.length > 0 ? s.prepare.targets : names.slice(-1);
  if (targets.includes(column)) return 'target';
  return s.prepare.columns?.[column]?.role === 'ignore' ? 'ignore' : 'feature';
}

/** Settings as the JSON text stored in the project. */
export function toJson(s: ImportSettings): string {
  return JSON.stringify(s);
}

const ENCODINGS = ['auto', 'utf-8', 'utf-16le', 'utf-16be', 'windows-1252'];
const DELIMS = ['auto', ',', ';', '\t', '|'];
const MISSING: MissingStrategy[] = ['drop-row', 'mean', 'median', 'most-frequent', 'error'];
const SCALINGS: FeatureScaling[] = ['none', 'min-max', 'z-score', 'zca'];
const TASKS: ('auto' | Task)[] = ['auto', 'regression', 'binary', 'multiclass'];

/**
 * Read settings saved in a project (reopening the wizard). Unknown keys are dropped; a value of
 * the wrong kind throws an Error naming the field and the value, so a damaged project says where.
 */
export function parseImportSettings(x: unknown): ImportSettings {
  const fail = (field: string, v: unknown): never => {
    throw new Error(`Dataset import settings: '${field}' has an invalid value ${JSON.stringify(v)}.`);
  };
  if (typeof x !== 'object' || x === null) fail('(root)', x);
  const o = x as Record<string, unknown>;
  const base = defaultImportSettings(typeof o.file === 'string' ? o.file : null);
  const read = (o.read ?? {}) as Record<string, unknown>;
  const prep = (o.prepare ?? {}) as Record<string, unknown>;
  if (read.encoding !== undefined && !ENCODINGS.includes(read.encoding as string))
    fail('read.encoding', read.encoding);
  if (read.delimiter !== undefined && !DELIMS.includes(read.delimiter as string))
    fail('read.delimiter', read.delimiter);
  if (read.decimal !== undefined && !['auto', '.', ','].includes(read.decimal as string))
    fail('read.decimal', read.decimal);
  if (read.header !== undefined && read.header !== 'auto' && typeof read.header !== 'boolean')
    fail('read.header', read.header);
  if (read.badRows !== undefined && read.badRows !== 'error' && read.badRows !== 'skip')
    fail('read.badRows', read.badRows);
  if (
    read.missingTokens !== undefined &&
    !(Array.isArray(read.missingTokens) && read.missingTokens.every((t) => typeof t === 'string'))
  )
    fail('read.missingTokens', read.missingTokens);
  if (prep.task !== undefined && !TASKS.includes(prep.task as Task)) fail('prepare.task', prep.task);
  if (prep.missing !== undefined && !MISSING.includes(prep.missing as MissingStrategy))
    fail('prepare.missing', prep.missing);
  if (prep.featureScaling !== undefined && !SCALINGS.includes(prep.featureScaling as FeatureScaling))
    fail('prepare.featureScaling', prep.featureScaling);
  if (prep.seed !== undefined && !Number.isInteger(prep.seed)) fail('prepare.seed', prep.seed);
  if (
    prep.targets !== undefined &&
    !(Array.isArray(prep.targets) && prep.targets.every((t) => typeof t === 'string'))
  )
    fail('prepare.targets', prep.targets);
  if (prep.columns !== undefined) {
    if (typeof prep.columns !== 'object' || prep.columns === null) fail('prepare.columns', prep.columns);
    for (const [name, c] of Object.entries(prep.columns as Record<string, Record<string, unknown>>)) {
      if (c.role !== undefined && !['feature', 'target', 'ignore'].includes(c.role as string))
        fail(`prepare.columns.${name}.role`, c.role);
      if (c.type !== undefined && !['auto', 'numeric', 'categorical'].includes(c.type as string))
        fail(`prepare.columns.${name}.type`, c.type);
      if (c.missing !== undefined && !MISSING.includes(c.missing as MissingStrategy))
        fail(`prepare.columns.${name}.missing`, c.missing);
      if (c.scaling !== undefined && !['none', 'min-max', 'z-score'].includes(c.scaling as string))
        fail(`prepare.columns.${name}.scaling`, c.scaling);
    }
  }
  return {
    file: base.file,
    read: { ...base.read, ...(clone(read) as ReadOptions) },
    prepare: { ...base.prepare, ...(clone(prep) as PrepareOptions) },
  };
}

/** Everything the wizard shows for one file under one set of choices. */
export interface CsvAnalysis {
  report: InspectReport;
  /** Column names (after de-duplication); empty when the file could not be read. */
  names: string[];
  /** First PREVIEW_ROWS data rows as cell text ('' for missing). */
  preview: string[][];
  /** File line of each preview row. */
  previewLines: number[];
  summaries: ColumnSummary[];
}

function cellText(table: RawTable, col: number, row: number): string {
  const c = table.columns[col];
  const st = c.state[row];
  if (st === CELL_MISSING) return c.codes && c.codes[row] >= 0 ? c.labels[c.codes[row]] : '';
  if (st === CELL_NUMBER) return String(c.values[row]);
  return c.codes && c.codes[row] >= 0 ? c.labels[c.codes[row]] : '…';
}

/** Analyse a file with the given settings. Never throws (see module invariants). */
export function analyzeCsv(bytes: Uint8Array, settings: ImportSettings): CsvAnalysis {
  let table: RawTable;
  try {
    table = readTable(bytes, settings.read);
  } catch (e) {
    return {
      report: inspectFailure(e, settings.file),
      names: [],
      preview: [],
      previewLines: [],
      summaries: [],
    };
  }
  let report: InspectReport;
  try {
    report = inspectTable(table, settings.file, settings.prepare);
  } catch (e) {
    report = { ...inspectFailure(e, settings.file) };
  }
  // Reader problems (field counts, quotes) come first, in file order, then preparation problems.
  const seen = new Set(report.problems.map((p) => p.message));
  const problems = [...table.problems.filter((p) => !seen.has(p.message)), ...report.problems];
  report = { ...report, problems, usable: !problems.some((p) => p.severity === 'error') };
  const n = Math.min(PREVIEW_ROWS, table.rowCount);
  const preview: string[][] = [];
  for (let r = 0; r < n; r++) preview.push(table.columns.map((_, c) => cellText(table, c, r)));
  let summaries: ColumnSummary[];
  try {
    summaries = summarizeTable(table, settings.prepare.columns ?? {}, 12);
  } catch {
    summaries = [];
  }
  return {
    report,
    names: table.columns.map((c) => c.name),
    preview,
    previewLines: Array.from(table.lines.subarray(0, n)),
    summaries,
  };
}

/** Where a problem is, for display: "line 4 · row 3 · column 'petal_width'" (empty when unknown). */
export function problemLocation(p: DataProblem): string {
  const parts: string[] = [];
  if (p.line !== undefined) parts.push(`line ${p.line}`);
  if (p.row !== undefined) parts.push(`row ${p.row}`);
  if (p.column !== undefined) parts.push(`column '${p.column}'`);
  else if (p.columnIndex !== undefined) parts.push(`column ${p.columnIndex + 1}`);
  return parts.join(' · ');
}

/** Problems sorted for display: errors first, then warnings, then info; file order within each. */
export function sortProblems(problems: readonly DataProblem[]): DataProblem[] {
  const rank = { error: 0, warning: 1, info: 2 } as const;
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => rank[a.p.severity] - rank[b.p.severity] || a.i - b.i)
    .map((x) => x.p);
}

/** Short label for a delimiter in a select box. */
export function delimiterLabel(d: string): string {
  return d === '\t'
    ? 'Tab'
    : d === ','
      ? 'Comma (,)'
      : d === ';'
        ? 'Semicolon (;)'
        : d === '|'
          ? 'Pipe (|)'
          : d;
}
