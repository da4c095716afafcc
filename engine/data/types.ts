/**
 * Shared types of the data importer: problems reported to the user, the detected CSV dialect,
 * and the JSON-able options a project file stores so that an import can be repeated exactly.
 *
 * Invariants: every type here is plain data (no functions, no typed arrays) so it survives
 * JSON.stringify / JSON.parse unchanged.
 */

export type Severity = 'error' | 'warning' | 'info';

/**
 * One thing the user should know about the file. `line` is the 1-based physical line in the file
 * (a quoted field with embedded newlines spans several lines); `row` is the 1-based data row
 * (the header is not a row); `column` is the column name after de-duplication.
 */
export interface DataProblem {
  severity: Severity;
  /** Stable machine-readable code, e.g. 'field-count', 'not-a-number', 'float32-range'. */
  code: string;
  message: string;
  line?: number;
  row?: number;
  column?: string;
  /** 0-based column index in the file. */
  columnIndex?: number;
}

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
export type Delimiter = ',' | ';' | '\t' | '|';
export type DecimalSeparator = '.' | ',';
export type Newline = '\n' | '\r\n' | '\r';

/** What the reader detected (or was told) about the file. */
export interface Dialect {
  encoding: Encoding;
  /** True when the file started with a byte-order mark (it is removed). */
  bom: boolean;
  delimiter: Delimiter;
  decimal: DecimalSeparator;
  header: boolean;
  newline: Newline;
}

/** Default tokens read as "missing value" (compared after trimming, case-sensitive). */
export const DEFAULT_MISSING_TOKENS: readonly string[] = ['', 'NA', 'NaN', 'N/A', '?', 'null'];

/** Options for reading bytes into a table. Every field is optional; 'auto' detects. */
export interface ReadOptions {
  encoding?: 'auto' | Encoding;
  delimiter?: 'auto' | Delimiter;
  decimal?: 'auto' | DecimalSeparator;
  header?: 'auto' | boolean;
  /** Tokens that mean "missing" in every column (default DEFAULT_MISSING_TOKENS). */
  missingTokens?: string[];
  /** Rows with the wrong number of fields: 'error' (default, import unusable) or 'skip' (warning). */
  badRows?: 'error' | 'skip';
}

export type ColumnType = 'numeric' | 'categorical';
export type ColumnRole = 'feature' | 'target' | 'ignore';
export type MissingStrategy = 'drop-row' | 'mean' | 'median' | 'most-frequent' | 'error';
export type FeatureScaling = 'none' | 'min-max' | 'z-score' | 'zca';
export type TargetScaling = 'none' | 'min-max' | 'z-score';
export type Task = 'regression' | 'binary' | 'multiclass';

/** Per-column choices; keys of `PrepareOptions.columns` are column names. */
export interface ColumnOptions {
  type?: 'auto' | ColumnType;
  role?: ColumnRole;
  missing?: MissingStrategy;
  /** Tokens that are real categories in this column although they are missing tokens elsewhere (e.g. 'NA'). */
  notMissing?: string[];
  /** Scaling of this numeric feature (overrides `featureScaling`; 'zca' only as the global choice). */
  scaling?: Exclude<FeatureScaling, 'zca'>;
}

export interface SplitOptions {
  /** Fractions of rows; they must be ≥ 0 and sum to 1 (default 0.8 / 0.2 / 0). */
  train?: number;
  validation?: number;
  test?: number;
  /** Stratify by class for classification tasks (default true). */
  stratify?: boolean;
  /** Take the split from this column instead: values train / validation (or val, valid) / test. */
  column?: string;
  /** Number of cross-validation folds assigned over the training rows (0 = none, else ≥ 2). */
  folds?: number;
}

/** Everything that turns a table into training tensors. Stored in the project file. */
export interface PrepareOptions {
  columns?: Record<string, ColumnOptions>;
  /** Target column names; default: the last column. */
  targets?: string[];
  task?: 'auto' | Task;
  /** Class order for classification (original label strings); default sorted. */
  classes?: string[];
  featureScaling?: FeatureScaling;
  /** ε added to the eigenvalues in ZCA whitening (default 1e-5). */
  zcaEpsilon?: number;
  targetScaling?: TargetScaling;
  /** Missing-value strategy for feature columns without their own (default 'drop-row'; targets always default to drop-row). */
  missing?: MissingStrategy;
  /** A category not seen in training, at prediction time: 'error' (default) or 'zeros' (all-zero one-hot). */
  unseenCategory?: 'error' | 'zeros';
  split?: SplitOptions;
  /** Seed of the shuffles (default 42). */
  seed?: number;
}
