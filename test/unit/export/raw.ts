/** Raw CSV columns as the exported models take them: numeric columns as numbers (NaN = missing), text trimmed. */
import Papa from 'papaparse';
import type { ExportModel } from '../../../engine/export';

export interface RawColumns {
  rows: number;
  /** Row-major [rows × numeric columns] in the recipe's numeric-feature order. */
  numeric: Float32Array;
  numericNames: string[];
  /** Per categorical column: its trimmed texts. */
  categorical: Map<string, string[]>;
}

export function rawColumns(model: ExportModel, csv: string): RawColumns {
  const parsed = Papa.parse<Record<string, string>>(csv.trim(), { header: true, skipEmptyLines: true });
  const rows = parsed.data;
  const numericNames = model.recipe.features.filter((f) => f.type === 'numeric').map((f) => f.name);
  const numeric = new Float32Array(rows.length * numericNames.length);
  rows.forEach((r, i) =>
    numericNames.forEach((c, j) => {
      const t = (r[c] ?? '').trim();
      numeric[i * numericNames.length + j] = t === '' ? NaN : Number(t);
    }),
  );
  const categorical = new Map<string, string[]>();
  for (const f of model.recipe.features)
    if (f.type === 'categorical')
      categorical.set(
        f.name,
        rows.map((r) => (r[f.name] ?? '').trim()),
      );
  return { rows: rows.length, numeric, numericNames, categorical };
}

/** Asserts |a − e| ≤ 1e−5 + 1e−5·|e| elementwise; returns the worst excess for messages. */
export function closeTo(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  if (actual.length !== expected.length)
    throw new Error(`${what}: ${actual.length} values, expected ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const tol = 1e-5 + 1e-5 * Math.abs(expected[i]);
    const d = Math.abs(actual[i] - expected[i]);
    if (!(d <= tol))
      throw new Error(
        `${what}: value ${i} is ${actual[i]}, Netloom gives ${expected[i]} (|Δ| = ${d} > ${tol})`,
      );
  }
}
