/**
 * Train / validation / test splits and k-fold assignment, seeded and (for classification)
 * stratified, plus class counts and suggested class weights.
 *
 * Allocation: within each stratum (a class, or all rows) the rows are shuffled with the seeded
 * generator (strata in class order, one generator), then the first round(f_val·m) go to
 * validation, the next round(f_test·m) to test and the rest to train. k-fold: the rows of each
 * stratum, shuffled, are dealt round-robin to folds 0..k−1, continuing across strata, so fold
 * sizes differ by at most one and every fold has each class in proportion.
 * Class weights: w_c = n / (K·n_c), K the number of classes present (the "balanced" heuristic of King & Zeng 2001 / scikit-learn),
 * so that every class carries the same total weight; 0 for a class with no rows.
 */
import { Rng } from '../random/rng';
import { DataImportError } from './problems';

export const SPLIT_TRAIN = 0;
export const SPLIT_VALIDATION = 1;
export const SPLIT_TEST = 2;
export const SPLIT_NAMES = ['train', 'validation', 'test'] as const;

export interface Fractions {
  train: number;
  validation: number;
  test: number;
}

/**
 * Check and complete split fractions: missing ones default to train 0.8 / validation 0.2 / test 0,
 * and when only some are given the train fraction takes the rest.
 * @throws DataImportError when a fraction is outside [0, 1] or they do not sum to 1 (±1e-9).
 */
export function resolveFractions(f: Partial<Fractions>): Fractions {
  const given = f.train !== undefined || f.validation !== undefined || f.test !== undefined;
  const validation = f.validation ?? (given ? 0 : 0.2);
  const test = f.test ?? 0;
  const train = f.train ?? 1 - validation - test;
  for (const [k, v] of Object.entries({ train, validation, test })) {
    if (!(v >= 0 && v <= 1))
      throw new DataImportError(`Split fraction '${k}' must be between 0 and 1, got ${v}.`);
  }
  if (Math.abs(train + validation + test - 1) > 1e-9) {
    throw new DataImportError(
      `Split fractions must sum to 1; train ${train} + validation ${validation} + test ${test} = ${train + validation + test}.`,
    );
  }
  if (train === 0) throw new DataImportError('The train fraction is 0; there would be nothing to train on.');
  return { train, validation, test };
}

function strata(n: number, labels: Int32Array | null): number[][] {
  if (!labels) return [Array.from({ length: n }, (_, i) => i)];
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    let g = groups.get(c);
    if (!g) groups.set(c, (g = []));
    g.push(i);
  }
  return [...groups.keys()].sort((a, b) => a - b).map((k) => groups.get(k) as number[]);
}

function shuffled(g: number[], rng: Rng): number[] {
  const a = g.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

/**
 * Assign each of n rows to train (0), validation (1) or test (2).
 * @param labels class index per row for a stratified split, or null
 * @returns Uint8Array [n] of split ids
 */
export function splitRows(
  n: number,
  fractions: Fractions,
  seed: number,
  labels: Int32Array | null,
): Uint8Array {
  const out = new Uint8Array(n);
  const rng = new Rng(seed);
  for (const g of strata(n, labels)) {
    const s = shuffled(g, rng);
    const nVal = Math.round(fractions.validation * s.length);
    const nTest = Math.min(s.length - nVal, Math.round(fractions.test * s.length));
    for (let k = 0; k < s.length; k++)
      out[s[k]] = k < nVal ? SPLIT_VALIDATION : k < nVal + nTest ? SPLIT_TEST : SPLIT_TRAIN;
  }
  return out;
}

/**
 * Assign k folds to n rows (e.g. the training rows) for cross-validation.
 * @returns Int32Array [n] with fold ids 0..k−1
 * @throws DataImportError when k < 2 or k > n
 */
export function assignFolds(n: number, k: number, seed: number, labels: Int32Array | null): Int32Array {
  if (!Number.isInteger(k) || k < 2)
    throw new DataImportError(`The number of folds must be an integer ≥ 2, got ${k}.`);
  if (k > n) throw new DataImportError(`${k} folds need at least ${k} training rows; there are ${n}.`);
  const out = new Int32Array(n);
  const rng = new Rng(seed ^ 0x5f0d);
  let next = 0;
  for (const g of strata(n, labels)) {
    for (const i of shuffled(g, rng)) {
      out[i] = next;
      next = (next + 1) % k;
    }
  }
  return out;
}

/** Count rows per class (indices < 0 are skipped). */
export function classCounts(labels: ArrayLike<number>, k: number, rows?: ArrayLike<number>): number[] {
  const counts = new Array<number>(k).fill(0);
  const m = rows ? rows.length : labels.length;
  for (let j = 0; j < m; j++) {
    const c = labels[rows ? rows[j] : j];
    if (c >= 0 && c < k) counts[c]++;
  }
  return counts;
}

/** Suggested class weights n / (K·n_c), K = number of classes present; 0 for empty classes. */
export function classWeights(counts: readonly number[]): number[] {
  const n = counts.reduce((a, b) => a + b, 0);
  const k = counts.filter((c) => c > 0).length;
  return counts.map((c) => (c > 0 ? n / (k * c) : 0));
}
