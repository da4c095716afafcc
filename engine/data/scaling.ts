/**
 * Per-column affine scaling (lecture, "Standardization"): min-max x' = (x − min)/(max − min) and
 * z-score x' = (x − μ)/σ, with σ the POPULATION standard deviation √(Σ(x − μ)²/n).
 * Every scaler is stored as plain data {kind, shift, scale}: apply y = (x − shift)/scale, invert
 * x = y·scale + shift.
 *
 * Invariants: statistics are computed in float64 with a two-pass (corrected) mean; a constant
 * column (max === min, exactly) gets scale 0 and maps to 0 — never NaN, and never ±1 from rounding
 * (the lecture's small ε in σ + ε is therefore unnecessary and is not added).
 */
export type ScalerKind = 'none' | 'min-max' | 'z-score';

/** A fitted affine scaler, JSON-able. */
export interface AffineScaler {
  kind: ScalerKind;
  /** Subtracted first (min or mean; 0 for none). */
  shift: number;
  /** Divided by next (max − min or σ; 1 for none; 0 for a constant column, which maps to 0). */
  scale: number;
}

/** Column statistics in float64. */
export interface ColumnStats {
  count: number;
  min: number;
  max: number;
  mean: number;
  /** Population standard deviation (divide by n). */
  std: number;
}

/**
 * Statistics of the finite values of `x` at the given row indices (all rows when omitted).
 * NaN entries are skipped. Returns count 0 and NaN statistics when nothing is finite.
 */
export function columnStats(x: ArrayLike<number>, rows?: ArrayLike<number>): ColumnStats {
  const m = rows ? rows.length : x.length;
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < m; k++) {
    const v = x[rows ? rows[k] : k];
    if (v !== v) continue;
    count++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (count === 0) return { count: 0, min: NaN, max: NaN, mean: NaN, std: NaN };
  if (min === max) return { count, min, max, mean: min, std: 0 };
  let mean = sum / count;
  // Second pass: corrected two-pass algorithm (Chan, Golub & LeVeque 1983).
  let ss = 0;
  let corr = 0;
  for (let k = 0; k < m; k++) {
    const v = x[rows ? rows[k] : k];
    if (v !== v) continue;
    const d = v - mean;
    ss += d * d;
    corr += d;
  }
  const variance = Math.max(0, (ss - (corr * corr) / count) / count);
  mean += corr / count;
  return { count, min, max, mean, std: Math.sqrt(variance) };
}

/** Fit a scaler from statistics. */
export function fitScaler(kind: ScalerKind, s: ColumnStats): AffineScaler {
  if (kind === 'none' || s.count === 0) return { kind, shift: 0, scale: 1 };
  if (kind === 'min-max') return { kind, shift: s.min, scale: s.max - s.min };
  return { kind, shift: s.mean, scale: s.std };
}

/** y = (x − shift)/scale; 0 for a constant column (scale 0). */
export function applyScaler(p: AffineScaler, x: number): number {
  return p.scale === 0 ? 0 : (x - p.shift) / p.scale;
}

/** x = y·scale + shift (a constant column gives back its constant). */
export function invertScaler(p: AffineScaler, y: number): number {
  return y * p.scale + p.shift;
}
