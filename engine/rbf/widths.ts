/**
 * RBF widths σᵢ (lecture: "fit the centers (μᵢ) and variances (σᵢ)").
 * - nearest: σᵢ = scale · RMS distance from μᵢ to its p nearest other centres (p-nearest-neighbour
 *   heuristic, Moody & Darken 1989; p = 1: the nearest centre);
 * - global: σ = d_max/√(2k) for every centre (Haykin, "Neural Networks", 2nd ed., §5.11),
 *   d_max = largest distance between centres.
 * Invariant: every σ ≥ floor > 0, where floor = max(minWidth, floorFraction·d_max) (and 1 when all
 * centres coincide), so duplicate points or coinciding centres can never give σ = 0 (→ NaN).
 */

export interface WidthOptions {
  method?: 'nearest' | 'global';
  /** Multiplier for 'nearest' (default 1). */
  scale?: number;
  /** p for 'nearest' (default 2, capped at k − 1). */
  neighbours?: number;
  /** Fraction of d_max used as the floor (default 1e−3). */
  floorFraction?: number;
  /** Absolute floor (default 1e−6). */
  minWidth?: number;
}

/**
 * @param centres row-major k×d. @returns k widths, all finite and > 0.
 * @throws RangeError for a shape mismatch or non-finite centres.
 */
export function rbfWidths(
  centres: ArrayLike<number>,
  k: number,
  d: number,
  opts: WidthOptions = {},
): Float64Array {
  if (centres.length !== k * d)
    throw new RangeError(`rbfWidths: centres has ${centres.length} values, expected ${k}×${d}`);
  for (let i = 0; i < centres.length; i++) {
    if (!Number.isFinite(centres[i]))
      throw new RangeError(`rbfWidths: centre ${Math.floor(i / d)} has a non-finite coordinate`);
  }
  const { method = 'nearest', scale = 1, floorFraction = 1e-3, minWidth = 1e-6, neighbours = 2 } = opts;
  if (!Number.isInteger(neighbours) || neighbours < 1)
    throw new RangeError(`rbfWidths: neighbours must be an integer ≥ 1, got ${neighbours}`);
  // dist[a][b] for all pairs; coinciding centres do not count as neighbours (distance 0 would give σ = 0).
  const nearest = new Float64Array(k).fill(Infinity);
  let dmax = 0;
  const dists: number[][] = Array.from({ length: k }, () => []);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (centres[a * d + j] - centres[b * d + j]) ** 2;
      const dist = Math.sqrt(s);
      dmax = Math.max(dmax, dist);
      if (dist > 0) {
        dists[a].push(dist);
        dists[b].push(dist);
      }
    }
  }
  for (let a = 0; a < k; a++) {
    const near = dists[a].sort((u, v) => u - v).slice(0, neighbours);
    if (near.length) nearest[a] = Math.sqrt(near.reduce((t, v) => t + v * v, 0) / near.length);
  }
  const floor = dmax > 0 ? Math.max(minWidth, floorFraction * dmax) : Math.max(minWidth, 1);
  const global = dmax > 0 ? dmax / Math.sqrt(2 * k) : floor;
  const out = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const v = method === 'global' ? global : Number.isFinite(nearest[i]) ? scale * nearest[i] : global;
    out[i] = Math.max(v, floor);
  }
  return out;
}

/** The floor rbfWidths applies for these centres (fine-tuning keeps σ above it). */
export function rbfWidthFloor(
  centres: ArrayLike<number>,
  k: number,
  d: number,
  opts: WidthOptions = {},
): number {
  const { floorFraction = 1e-3, minWidth = 1e-6 } = opts;
  let dmax = 0;
  for (let a = 0; a < k; a++)
    for (let b = a + 1; b < k; b++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (centres[a * d + j] - centres[b * d + j]) ** 2;
      dmax = Math.max(dmax, Math.sqrt(s));
    }
  return dmax > 0 ? Math.max(minWidth, floorFraction * dmax) : Math.max(minWidth, 1);
}
