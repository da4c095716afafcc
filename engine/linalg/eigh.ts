/**
 * Symmetric eigendecomposition A = V·diag(λ)·Vᵀ in float64.
 *
 * Method: Householder reduction to tridiagonal form (accumulating the orthogonal transform),
 * then the implicit QL algorithm with Wilkinson shifts on the tridiagonal matrix (Golub & Van
 * Loan, "Matrix Computations", 4th ed., §8.3; Wilkinson & Reinsch, "Handbook for Automatic
 * Computation II", 1971). Cost ≈ 9n³ flops, so n = 2,000 (saddle-free Newton's limit) is feasible.
 *
 * Invariants: inputs are never modified; outputs are freshly allocated; eigenvalues ascending,
 * eigenvector k is column k of the row-major n×n `vectors` and has unit length; the columns
 * are mutually orthogonal to ≈ n·ε.
 * Users: ZCA whitening (data), saddle-free Newton (optim).
 */

/** Result of `symmetricEigen`. */
export interface SymmetricEigen {
  /** Eigenvalues λ₀ ≤ λ₁ ≤ … ≤ λₙ₋₁, length n. */
  values: Float64Array;
  /** Row-major n×n; column k (entries vectors[i·n + k]) is the unit eigenvector of values[k]. */
  vectors: Float64Array;
}

/**
 * Eigenvalues and eigenvectors of a real symmetric matrix.
 * @param a row-major n×n symmetric matrix (length n²); only symmetric input is accepted
 *   (|a_ij − a_ji| ≤ 1e−8·max|a|, checked) and the average (a_ij + a_ji)/2 is used.
 * @param n the matrix order (n ≥ 0).
 * @returns values ascending (length n) and vectors as columns of a row-major n×n matrix.
 * @throws RangeError when n is not a non-negative integer, a.length ≠ n², an entry is not
 *   finite, the matrix is not symmetric, or QL fails to converge (does not happen for finite input).
 */
export function symmetricEigen(a: ArrayLike<number>, n: number): SymmetricEigen {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`symmetricEigen: n must be a non-negative integer, got ${n}`);
  if (a.length !== n * n) {
    throw new RangeError(
      `symmetricEigen: matrix has ${a.length} entries, expected n² = ${n * n} for n = ${n}`,
    );
  }
  let maxAbs = 0;
  for (let i = 0; i < n * n; i++) {
    const v = a[i];
    if (!Number.isFinite(v)) {
      throw new RangeError(
        `symmetricEigen: entry (${Math.floor(i / n)}, ${i % n}) is ${v}; the matrix must be finite (check for NaN/Inf in the data or gradients)`,
      );
    }
    if (Math.abs(v) > maxAbs) maxAbs = Math.abs(v);
  }
  const tol = 1e-8 * maxAbs;
  // z starts as the symmetrised input and ends holding the eigenvectors.
  const z = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const aij = a[i * n + j];
      const aji = a[j * n + i];
      if (Math.abs(aij - aji) > tol) {
        throw new RangeError(
          `symmetricEigen: matrix is not symmetric at (${i}, ${j}): ${aij} vs ${aji}; symmetrise it or use a general eigensolver`,
        );
      }
      const s = 0.5 * (aij + aji);
      z[i * n + j] = s;
      z[j * n + i] = s;
    }
  }
  const d = new Float64Array(n); // diagonal of the tridiagonal matrix, then eigenvalues
  const e = new Float64Array(n); // sub-diagonal
  if (n > 0) {
    householderTridiagonalize(z, d, e, n);
    // QL rotates pairs of eigenvector columns; on the transpose they are contiguous rows (cache-friendly).
    transposeInPlace(z, n);
    implicitQL(z, d, e, n);
  }
  return sortAscending(d, z, n);
}

/**
 * Reduces the symmetric matrix in `z` to tridiagonal form T = Qᵀ A Q; on return d holds
 * T's diagonal, e[1..n−1] its sub-diagonal (e[i] couples i−1 and i), and z holds Q.
 */
function householderTridiagonalize(z: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = n - 1; i > 0; i--) {
    const l = i - 1;
    const row = i * n;
    let h = 0;
    if (l > 0) {
      let scale = 0;
      for (let k = 0; k <= l; k++) scale += Math.abs(z[row + k]);
      if (scale === 0) {
        e[i] = z[row + l];
      } else {
        // Scale the row for stability, then form the Householder vector u in z[i][0..l].
        for (let k = 0; k <= l; k++) {
          z[row + k] /= scale;
          h += z[row + k] * z[row + k];
        }
        const f = z[row + l];
        const g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
        e[i] = scale * g;
        h -= f * g;
        z[row + l] = f - g;
        // p = A u / h stored in e[0..l] (A's lower triangle, read row by row for contiguous
        // access); keep u/h in column i for the later accumulation.
        for (let j = 0; j <= l; j++) e[j] = 0;
        for (let j = 0; j <= l; j++) {
          const rj = j * n;
          const uj = z[row + j];
          let acc = z[rj + j] * uj;
          for (let k = 0; k < j; k++) {
            const ajk = z[rj + k];
            acc += ajk * z[row + k];
            e[k] += ajk * uj;
          }
          e[j] += acc;
        }
        let fsum = 0;
        for (let j = 0; j <= l; j++) {
          z[j * n + i] = z[row + j] / h;
          e[j] /= h;
          fsum += e[j] * z[row + j];
        }
        const hh = fsum / (h + h);
        // q = p − K u; A ← A − q uᵀ − u qᵀ (lower triangle only).
        for (let j = 0; j <= l; j++) {
          const fj = z[row + j];
          const gj = e[j] - hh * fj;
          e[j] = gj;
          for (let k = 0; k <= j; k++) z[j * n + k] -= fj * e[k] + gj * z[row + k];
        }
      }
    } else {
      e[i] = z[row + l];
    }
    d[i] = h;
  }
  d[0] = 0;
  e[0] = 0;
  // Accumulate the transformations into z (Q), overwriting the reduced matrix.
  const acc = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const l = i - 1;
    if (d[i] !== 0) {
      // G = (row i)·Z[0..l][0..l] for all columns at once, then Z[k][j] −= G[j]·Z[k][i] (contiguous rows).
      acc.fill(0, 0, i);
      for (let k = 0; k <= l; k++) {
        const zik = z[i * n + k];
        if (zik === 0) continue;
        const rk = k * n;
        for (let j = 0; j <= l; j++) acc[j] += zik * z[rk + j];
      }
      for (let k = 0; k <= l; k++) {
        const rk = k * n;
        const zki = z[rk + i];
        if (zki === 0) continue;
        for (let j = 0; j <= l; j++) z[rk + j] -= acc[j] * zki;
      }
    }
    d[i] = z[i * n + i];
    z[i * n + i] = 1;
    for (let j = 0; j <= l; j++) {
      z[j * n + i] = 0;
      z[i * n + j] = 0;
    }
  }
}

function transposeInPlace(z: Float64Array, n: number): void {
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const t = z[i * n + j];
      z[i * n + j] = z[j * n + i];
      z[j * n + i] = t;
    }
}

/**
 * Implicit QL with Wilkinson shifts on the tridiagonal (d, e); rotations are applied to the rows
 * of zt (= Qᵀ, so row k ends as eigenvector k).
 */
function implicitQL(zt: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  const eps = Number.EPSILON;
  for (let l = 0; l < n; l++) {
    let iter = 0;
    for (;;) {
      // Find a negligible off-diagonal element to split the matrix at m.
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) <= eps * dd) break;
      }
      if (m === l) break;
      if (++iter > 60) {
        throw new RangeError(
          `symmetricEigen: QL iteration did not converge for eigenvalue ${l} after 60 sweeps`,
        );
      }
      // Wilkinson shift from the leading 2×2 block.
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      let underflow = false;
      for (; i >= l; i--) {
        const f = s * e[i];
        const b = c * e[i];
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          // Underflow: deflate and restart the sweep.
          d[i + 1] -= p;
          e[m] = 0;
          underflow = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        const ri = i * n;
        const ri1 = ri + n;
        for (let k = 0; k < n; k++) {
          const zi1 = zt[ri1 + k];
          const zi = zt[ri + k];
          zt[ri1 + k] = s * zi + c * zi1;
          zt[ri + k] = c * zi - s * zi1;
        }
      }
      if (underflow) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
}

/** Sorts eigenpairs by ascending eigenvalue into new arrays; zt holds eigenvectors as rows. */
function sortAscending(d: Float64Array, zt: Float64Array, n: number): SymmetricEigen {
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[x] - d[y]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const src = order[k];
    values[k] = d[src];
    for (let i = 0; i < n; i++) vectors[i * n + k] = zt[src * n + i];
  }
  return { values, vectors };
}
