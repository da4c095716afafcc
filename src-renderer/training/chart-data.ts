/**
 * Chart data reducers (framework-free, pure): decimation for long series, log-scale safety,
 * weight-histogram heatmaps over time, and the contour grid of a two-parameter loss.
 *
 * Invariants: decimation keeps the first and last point and each bucket's minimum and maximum
 * (spikes stay visible), in x order, and returns at most `maxPoints` points; NaN points are gaps
 * and are kept as gaps (never joined across); heatmap columns keep each snapshot's total count.
 */

export interface Point {
  x: number;
  y: number;
}

/**
 * Min–max decimation of (xs[i], ys[i]) to at most `maxPoints` points (maxPoints ≥ 4).
 * NaN y values are kept once per bucket as a gap marker.
 */
export function decimate(xs: ArrayLike<number>, ys: ArrayLike<number>, maxPoints: number): Point[] {
  const n = Math.min(xs.length, ys.length);
  const out: Point[] = [];
  if (n <= maxPoints) {
    for (let i = 0; i < n; i++) out.push({ x: xs[i], y: ys[i] });
    return out;
  }
  const inner = Math.max(1, Math.floor((maxPoints - 2) / 2));
  out.push({ x: xs[0], y: ys[0] });
  const span = (n - 2) / inner;
  for (let b = 0; b < inner; b++) {
    const lo = 1 + Math.floor(b * span);
    const hi = Math.min(n - 1, 1 + Math.floor((b + 1) * span));
    let iMin = -1;
    let iMax = -1;
    let gap = -1;
    for (let i = lo; i < hi; i++) {
      const y = ys[i];
      if (y !== y) {
        if (gap < 0) gap = i;
        continue;
      }
      if (iMin < 0 || y < ys[iMin]) iMin = i;
      if (iMax < 0 || y > ys[iMax]) iMax = i;
    }
    const picks = [iMin, iMax, gap].filter((i) => i >= 0).sort((a, b) => a - b);
    for (const i of new Set(picks)) out.push({ x: xs[i], y: ys[i] });
  }
  out.push({ x: xs[n - 1], y: ys[n - 1] });
  return out.slice(0, maxPoints);
}

/** For a log-scale axis: non-positive values become NaN (a gap) instead of breaking the axis. */
export function forLogScale(points: readonly Point[]): Point[] {
  return points.map((p) => (p.y > 0 ? p : { x: p.x, y: NaN }));
}

export interface Heatmap {
  /** Value range of the rows (the union of all snapshots' ranges). */
  min: number;
  max: number;
  /** cells[c][r]: share of snapshot c's values in row r (each column sums to 1, or 0 when empty). */
  cells: number[][];
  rows: number;
}

/**
 * Re-bin each snapshot's histogram (equal-width bins over its own [min, max]) onto `rows` common
 * bins over the union range, assuming values are spread uniformly inside a source bin.
 * A snapshot with min = max puts all its mass in the row containing that value.
 */
export function histogramHeatmap(
  snapshots: readonly { min: number; max: number; counts: readonly number[] }[],
  rows = 32,
): Heatmap {
  let min = Infinity;
  let max = -Infinity;
  for (const s of snapshots) {
    if (Number.isFinite(s.min)) min = Math.min(min, s.min);
    if (Number.isFinite(s.max)) max = Math.max(max, s.max);
  }
  if (!Number.isFinite(min))
    return { min: 0, max: 0, cells: snapshots.map(() => new Array<number>(rows).fill(0)), rows };
  if (max === min) max = min + 1;
  const h = (max - min) / rows;
  const rowOf = (v: number) => Math.min(rows - 1, Math.max(0, Math.floor((v - min) / h)));
  const cells = snapshots.map((s) => {
    const col = new Array<number>(rows).fill(0);
    const total = s.counts.reduce((a, b) => a + b, 0);
    if (total === 0) return col;
    const k = s.counts.length;
    const w = (s.max - s.min) / k;
    for (let j = 0; j < k; j++) {
      const c = s.counts[j];
      if (c === 0) continue;
      if (!(w > 0)) {
        col[rowOf(s.min)] += c;
        continue;
      }
      const a = s.min + j * w;
      const b = a + w;
      // Spread c over the overlapped common rows in proportion to the overlap length.
      for (let r = rowOf(a); r <= rowOf(b); r++) {
        const lo = Math.max(a, min + r * h);
        const hi = Math.min(b, min + (r + 1) * h);
        if (hi > lo) col[r] += (c * (hi - lo)) / w;
      }
    }
    const sum = col.reduce((a, b) => a + b, 0);
    return sum > 0 ? col.map((v) => v / sum) : col;
  });
  return { min, max, cells, rows };
}

/**
 * Values of f on an nx × ny grid over [x0, x1] × [y0, y1] (row-major, y outer), for a contour.
 * Used for the two-parameter loss surface of the optimizer comparison.
 */
export function gridValues(
  f: (x: number, y: number) => number,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
  nx: number,
  ny: number,
): Float64Array {
  const out = new Float64Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    const y = ny === 1 ? y0 : y0 + ((y1 - y0) * j) / (ny - 1);
    for (let i = 0; i < nx; i++) out[j * nx + i] = f(nx === 1 ? x0 : x0 + ((x1 - x0) * i) / (nx - 1), y);
  }
  return out;
}

/** Contour levels spaced geometrically between the smallest positive and the largest value. */
export function contourLevels(values: ArrayLike<number>, count: number): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v > 0 && v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > lo) || count < 1) return [];
  const r = Math.pow(hi / lo, 1 / (count + 1));
  return Array.from({ length: count }, (_, k) => lo * Math.pow(r, k + 1));
}
