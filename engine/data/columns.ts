/**
 * Column storage while reading: each column keeps every cell as a float64 value plus a state
 * byte, and — while the column has at most MAX_CATEGORIES distinct spellings — a dictionary code
 * per cell, so a column can later be read as categorical (or a missing token such as "NA" turned
 * into a real category) without a second pass over the file.
 *
 * Invariants: values[i] is NaN unless state[i] === CELL_NUMBER; codes (when kept) index `labels`,
 * the trimmed cell text; arrays grow by doubling and are trimmed by `finish()`.
 */
import { CellKind, FLOAT32_MAX, parseCell } from './numbers';
import type { DecimalSeparator } from './types';

export const CELL_NUMBER = 0;
export const CELL_MISSING = 1;
export const CELL_TEXT = 2;
/** A number that is ±Infinity or outside the float32 range. */
export const CELL_NONFINITE = 3;

/** Above this many distinct spellings a column can no longer be categorical (one-hot would be absurd). */
export const MAX_CATEGORIES = 4096;
const KEEP_CELL_REFS = 5;

export interface CellRef {
  row: number;
  line: number;
  text: string;
}

/** A column as read from the file (before typing). */
export interface RawColumn {
  name: string;
  /** Original header text when the name had to be changed (blank or duplicate). */
  originalName?: string;
  index: number;
  values: Float64Array;
  state: Uint8Array;
  /** Dictionary code per cell, or null when the column exceeded MAX_CATEGORIES spellings. */
  codes: Int32Array | null;
  /** Trimmed spellings, indexed by code (only meaningful when codes !== null). */
  labels: string[];
  numberCount: number;
  textCount: number;
  missingCount: number;
  nonFiniteCount: number;
  /** First few non-numeric text cells (why a column is categorical). */
  firstText: CellRef[];
  /** First few non-finite / out-of-float32-range cells. */
  firstNonFinite: CellRef[];
}

/**
 * Collects one column's cells while the file streams: each cell is classified once (missing token,
 * number with the file's decimal separator, or text) and stored as a float64 value plus a state byte;
 * text cells are also dictionary-coded. Memory is O(rows); nothing is re-parsed later.
 */
export class ColumnAccumulator {
  values: Float64Array;
  state: Uint8Array;
  codes: Int32Array | null;
  private dict: Map<string, number> | null = new Map();
  readonly labels: string[] = [];
  length = 0;
  numberCount = 0;
  textCount = 0;
  missingCount = 0;
  nonFiniteCount = 0;
  readonly firstText: CellRef[] = [];
  readonly firstNonFinite: CellRef[] = [];
  private readonly tmp = new Float64Array(1);
  private readonly maxMissingLength: number;

  constructor(
    readonly name: string,
    readonly index: number,
    private readonly decimal: DecimalSeparator,
    private readonly missing: ReadonlySet<string>,
    capacity: number,
    readonly originalName?: string,
  ) {
    this.maxMissingLength = Math.max(0, ...[...missing].map((m) => m.length));
    const cap = Math.max(16, capacity);
    this.values = new Float64Array(cap);
    this.state = new Uint8Array(cap);
    this.codes = new Int32Array(cap);
  }

  private grow(): void {
    const cap = this.values.length * 2;
    const v = new Float64Array(cap);
    v.set(this.values);
    this.values = v;
    const s = new Uint8Array(cap);
    s.set(this.state);
    this.state = s;
    if (this.codes) {
      const c = new Int32Array(cap);
      c.set(this.codes);
      this.codes = c;
    }
  }

  /** Add one cell (raw field text) of data row `row` (1-based) found on file line `line`. */
  push(raw: string, row: number, line: number): void {
    if (this.length === this.values.length) this.grow();
    const i = this.length++;
    const n = raw.length;
    // trim() only when needed: most cells have no surrounding spaces.
    const c0 = n > 0 ? raw.charCodeAt(0) : 65;
    const c1 = n > 0 ? raw.charCodeAt(n - 1) : 65;
    const s = c0 <= 32 || c0 >= 127 || c1 <= 32 || c1 >= 127 ? raw.trim() : raw;
    if (this.dict !== null) {
      let code = this.dict.get(s);
      if (code === undefined) {
        if (this.dict.size >= MAX_CATEGORIES) {
          this.dict = null;
          this.codes = null;
        } else {
          code = this.labels.length;
          this.labels.push(s);
          this.dict.set(s, code);
        }
      }
      if (this.codes !== null) this.codes[i] = code as number;
    }
    if (s.length <= this.maxMissingLength && this.missing.has(s)) {
      this.values[i] = NaN;
      this.state[i] = CELL_MISSING;
      this.missingCount++;
      return;
    }
    const kind = parseCell(s, this.decimal, this.tmp);
    if (kind === CellKind.Number && Math.abs(this.tmp[0]) <= FLOAT32_MAX) {
      this.values[i] = this.tmp[0];
      this.state[i] = CELL_NUMBER;
      this.numberCount++;
    } else if (kind === CellKind.Text) {
      this.values[i] = NaN;
      this.state[i] = CELL_TEXT;
      this.textCount++;
      if (this.firstText.length < KEEP_CELL_REFS) this.firstText.push({ row, line, text: s });
    } else {
      this.values[i] = NaN;
      this.state[i] = CELL_NONFINITE;
      this.nonFiniteCount++;
      if (this.firstNonFinite.length < KEEP_CELL_REFS) this.firstNonFinite.push({ row, line, text: s });
    }
  }

  finish(): RawColumn {
    const n = this.length;
    return {
      name: this.name,
      ...(this.originalName !== undefined ? { originalName: this.originalName } : {}),
      index: this.index,
      values: this.values.slice(0, n),
      state: this.state.slice(0, n),
      codes: this.codes ? this.codes.slice(0, n) : null,
      labels: this.labels,
      numberCount: this.numberCount,
      textCount: this.textCount,
      missingCount: this.missingCount,
      nonFiniteCount: this.nonFiniteCount,
      firstText: this.firstText,
      firstNonFinite: this.firstNonFinite,
    };
  }
}

/**
 * Make column names usable: blanks become `column_<k>` (k 1-based), duplicates get `_2`, `_3`, ….
 * @returns the names and, per changed name, the original text.
 */
export function uniqueNames(raw: readonly string[]): { names: string[]; changed: Map<number, string> } {
  const names: string[] = [];
  const changed = new Map<number, string>();
  const used = new Set<string>();
  const trimmed = raw.map((r) => r.trim());
  const taken = new Set(trimmed.filter((t) => t !== ''));
  trimmed.forEach((t, j) => {
    let name = t === '' ? `column_${j + 1}` : t;
    if (used.has(name) || (t === '' && taken.has(name))) {
      const base = name;
      let k = 2;
      while (used.has(`${base}_${k}`) || taken.has(`${base}_${k}`)) k++;
      name = `${base}_${k}`;
    }
    used.add(name);
    if (name !== t) changed.set(j, raw[j]);
    names.push(name);
  });
  return { names, changed };
}
