/**
 * ZCA whitening (Bell & Sejnowski 1997; Kessy, Lewin & Strimmer, "Optimal whitening and
 * decorrelation", 2018): x' = W·(x − μ) with W = U·diag(1/√(λ + ε))·Uᵀ, where Σ = U·diag(λ)·Uᵀ is
 * the eigendecomposition of the POPULATION covariance Σ = (1/n)·Σᵢ(xᵢ − μ)(xᵢ − μ)ᵀ of the
 * training rows. With ε = 0 the whitened training data has identity covariance.
 *
 * Differences from the lecture slide ("ZCA whitening", W = 1/√(n−1)·(XXᵀ)^(−1/2)): the
 * normalising factor there is misprinted — (XXᵀ/(n−1))^(−1/2) equals √(n−1)·(XXᵀ)^(−1/2), not
 * 1/√(n−1)·(XXᵀ)^(−1/2); we also divide by n (population, like our z-score) instead of n − 1, centre
 * by the training mean, and add ε to the eigenvalues for numerical safety.
 *
 * Rank-deficient data (collinear or constant features, one-hot groups): eigenvalues λ ≤ tol =
 * 1e-10·max(λ) are treated as zero and their directions are mapped to 0 instead of being divided
 * by ~0; the inverse then restores the component of x inside the data's span (exact for the
 * training data, which lies in it).
 */
import { symmetricEigen } from '../linalg/eigh';

/** Fitted ZCA parameters, JSON-able (row-major d×d matrices as number arrays). */
export interface ZcaParams {
  kind: 'zca';
  dim: number;
  epsilon: number;
  mean: number[];
  /** W, row-major d×d. */
  whiten: number[];
  /** W⁺ = U·diag(√(λ + ε))·Uᵀ over the kept directions, row-major d×d. */
  unwhiten: number[];
  /** Eigenvalues of Σ, ascending. */
  eigenvalues: number[];
  /** Number of directions kept (eigenvalue above the tolerance). */
  rank: number;
}

/**
 * Fit ZCA on the rows `rows` of the row-major matrix `x` [N × d].
 * @throws RangeError when no row is given, ε < 0, or the data contains non-finite values.
 */
export function fitZca(x: ArrayLike<number>, d: number, rows: ArrayLike<number>, epsilon: number): ZcaParams {
  const n = rows.length;
  if (n === 0) throw new RangeError('ZCA whitening needs at least one training row.');
  if (!(epsilon >= 0)) throw new RangeError(`ZCA epsilon must be ≥ 0, got ${epsilon}.`);
  const mean = new Float64Array(d);
  for (let k = 0; k < n; k++) {
    const o = rows[k] * d;
    for (let j = 0; j < d; j++) mean[j] += x[o + j];
  }
  for (let j = 0; j < d; j++) mean[j] /= n;
  const cov = new Float64Array(d * d);
  const c = new Float64Array(d);
  for (let k = 0; k < n; k++) {
    const o = rows[k] * d;
    for (let j = 0; j < d; j++) c[j] = x[o + j] - mean[j];
    for (let a = 0; a < d; a++) {
      const ca = c[a];
      if (ca === 0) continue;
      const r = a * d;
      for (let b = a; b < d; b++) cov[r + b] += ca * c[b];
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = cov[a * d + b] / n;
      cov[a * d + b] = v;
      cov[b * d + a] = v;
    }
  }
  const { values, vectors } = symmetricEigen(cov, d);
  const lmax = d > 0 ? Math.max(0, values[d - 1]) : 0;
  const tol = 1e-10 * lmax;
  const fw = new Float64Array(d);
  const fu = new Float64Array(d);
  let rank = 0;
  for (let k = 0; k < d; k++) {
    const l = values[k];
    if (l > tol && lmax > 0) {
      fw[k] = 1 / Math.sqrt(l + epsilon);
      fu[k] = Math.sqrt(l + epsilon);
      rank++;
    }
  }
  const whiten = new Array<number>(d * d).fill(0);
  const unwhiten = new Array<number>(d * d).fill(0);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) {
      let sw = 0;
      let su = 0;
      for (let k = 0; k < d; k++) {
        const p = vectors[a * d + k] * vectors[b * d + k];
        sw += p * fw[k];
        su += p * fu[k];
      }
      whiten[a * d + b] = sw;
      unwhiten[a * d + b] = su;
    }
  }
  return {
    kind: 'zca',
    dim: d,
    epsilon,
    mean: Array.from(mean),
    whiten,
    unwhiten,
    eigenvalues: Array.from(values),
    rank,
  };
}

/**
 * Whiten rows in place: each row r of `x` [N × d] becomes W·(x_r − μ).
 * @throws RangeError when x.length is not a multiple of d.
 */
export function applyZca(p: ZcaParams, x: Float32Array | Float64Array): void {
  transformRows(x, p.dim, p.whiten, p.mean, true);
}

/** Undo whitening in place: each row y becomes W⁺·y + μ. */
export function invertZca(p: ZcaParams, y: Float32Array | Float64Array): void {
  transformRows(y, p.dim, p.unwhiten, p.mean, false);
}

function transformRows(
  x: Float32Array | Float64Array,
  d: number,
  m: number[],
  mean: number[],
  centreFirst: boolean,
): void {
  if (d === 0) return;
  if (x.length % d !== 0)
    throw new RangeError(`ZCA: data length ${x.length} is not a multiple of the dimension ${d}.`);
  const c = new Float64Array(d);
  for (let o = 0; o < x.length; o += d) {
    for (let j = 0; j < d; j++) c[j] = centreFirst ? x[o + j] - mean[j] : x[o + j];
    for (let a = 0; a < d; a++) {
      let s = 0;
      const r = a * d;
      for (let b = 0; b < d; b++) s += m[r + b] * c[b];
      x[o + a] = centreFirst ? s : s + mean[a];
    }
  }
}
