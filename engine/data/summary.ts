/**
 * Per-column summary for the import wizard and `netloom inspect`: type, counts, missing,
 * min/max/mean/std (population), distinct values, top categories and a histogram.
 *
 * Invariants: statistics use only valid non-missing cells; histograms have equal-width bins over
 * [min, max] with the maximum counted in the last bin; distinct counts stop at UNIQUE_CAP (then
 * `uniqueCapped` is true and `unique` is a lower bound).
 */
import { typeColumn } from './infer';
import type { RawTable } from './reader';
import { columnStats } from './scaling';
import type { ColumnOptions, ColumnType, DataProblem } from './types';

export const UNIQUE_CAP = 100_000;

export interface Histogram {
  /** bins + 1 edges, ascending. */
  edges: number[];
  counts: number[];
}

export interface ColumnSummary {
  name: string;
  index: number;
  type: ColumnType;
  /** Non-missing, valid cells. */
  count: number;
  missing: number;
  /** Cells that cannot be used (non-finite numbers, text in a numeric column). */
  invalid: number;
  unique: number;
  uniqueCapped: boolean;
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Population standard deviation. */
  std: number | null;
  /** Most frequent values (categorical: categories; numeric: values as text), most frequent first. */
  top: { value: string; count: number }[];
  histogram: Histogram | null;
}

/** Equal-width histogram of the finite values of `v`. */
export function histogram(v: ArrayLike<number>, min: number, max: number, bins: number): Histogram {
  const b = max > min ? bins : 1;
  const edges = Array.from({ length: b + 1 }, (_, k) => (k === b ? max : min + ((max - min) * k) / b));
  const counts = new Array<number>(b).fill(0);
  const width = (max - min) / b;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x !== x) continue;
    let k = width > 0 ? Math.floor((x - min) / width) : 0;
    if (k >= b) k = b - 1;
    if (k < 0) k = 0;
    counts[k]++;
  }
  return { edges, counts };
}

/**
 * Summarise every column of a table.
 * @param columns per-column options (type / notMissing) as in PrepareOptions
 * @param bins histogram bins for numeric columns (default 20)
 */
export function summarizeTable(
  table: RawTable,
  columns: Record<string, ColumnOptions> = {},
  bins = 20,
  topN = 10,
): ColumnSummary[] {
  const sink: DataProblem[] = [];
  return table.columns.map((raw) => {
    const col = typeColumn(raw, columns[raw.name] ?? {}, sink);
    const n = col.values.length;
    const count = n - col.missingCount - col.invalidCount;
    const base = {
      name: col.name,
      index: col.index,
      type: col.type,
      count,
      missing: col.missingCount,
      invalid: col.invalidCount,
    };
    if (col.type === 'numeric') {
      const st = columnStats(col.values);
      const freq = new Map<number, number>();
      let capped = false;
      for (let i = 0; i < n; i++) {
        const x = col.values[i];
        if (x !== x) continue;
        const c = freq.get(x);
        if (c !== undefined) freq.set(x, c + 1);
        else if (freq.size < UNIQUE_CAP) freq.set(x, 1);
        else capped = true;
      }
      const top = [...freq.entries()]
        .sort((a, b) => b[1] - a[1] || a[0] - b[0])
        .slice(0, topN)
        .map(([v, c]) => ({ value: String(v), count: c }));
      return {
        ...base,
        unique: freq.size,
        uniqueCapped: capped,
        min: st.count ? st.min : null,
        max: st.count ? st.max : null,
        mean: st.count ? st.mean : null,
        std: st.count ? st.std : null,
        top,
        histogram: st.count ? histogram(col.values, st.min, st.max, bins) : null,
      };
    }
    const counts = new Array<number>(col.categories.length).fill(0);
    if (col.catIndex) for (let i = 0; i < n; i++) if (col.catIndex[i] >= 0) counts[col.catIndex[i]]++;
    const top = col.categories
      .map((value, k) => ({ value, count: counts[k] }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
      .slice(0, topN);
    return {
      ...base,
      unique: col.tooManyCategories ? raw.labels.length : col.categories.length,
      uniqueCapped: col.tooManyCategories,
      min: null,
      max: null,
      mean: null,
      std: null,
      top,
      histogram: null,
    };
  });
}
