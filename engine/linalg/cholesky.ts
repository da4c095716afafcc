/**
 * Cholesky factorisation and solves for symmetric positive-definite systems, and least squares
 * through the (ridge-regularised) normal equations, all in float64 row-major storage
 * (Golub & Van Loan, "Matrix Computations", §4.2).
 * Invariants: inputs are not modified; `cholesky` returns null (never throws) when the matrix is
 * not numerically positive definite, so callers (damped Newton) can raise their damping and retry.
 */

/**
 * Lower-triangular L with A = L·Lᵀ.
 * @param a row-major n×n symmetric matrix (only the lower triangle is read).
 * @returns L (row-major n×n, upper part zero), or null when a pivot is ≤ 0 or not finite.
 */
export function cholesky(a: ArrayLike<number>, n: number): Float64Array | null {
  if (a.length !== n * n)
    throw new RangeError(`cholesky: matrix has ${a.length} entries, expected ${n}² = ${n * n}`);
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= l[j * n + k] * l[j * n + k];
    if (!(d > 0) || !Number.isFinite(d)) return null;
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

/**
 * Solves L·Lᵀ x = b given the Cholesky factor L.
 * @param b right-hand side, length n. @param out optional output (may alias b).
 */
export function choleskySolve(
  l: Float64Array,
  n: number,
  b: ArrayLike<number>,
  out: Float64Array = new Float64Array(n),
): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * out[k];
    out[i] = s / l[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = out[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * out[k];
    out[i] = s / l[i * n + i];
  }
  return out;
}

/**
 * Least squares min ‖X·w − Y‖² + ridge·‖w‖² for w ∈ ℝ^{p×k}, via the normal equations
 * (XᵀX + ridge·I) w = XᵀY solved by Cholesky.
 * @param x row-major m×p design matrix. @param y row-major m×k targets.
 * @param ridge ≥ 0; when XᵀX is singular (ridge = 0) a tiny ridge 1e−12·trace(XᵀX)/p is added and retried.
 * @returns w, row-major p×k.
 * @throws RangeError on shape mismatch, non-finite input, or a system that stays singular.
 */
export function leastSquares(
  x: ArrayLike<number>,
  m: number,
  p: number,
  y: ArrayLike<number>,
  k: number,
  ridge = 0,
): Float64Array {
  if (x.length !== m * p) throw new RangeError(`leastSquares: X has ${x.length} entries, expected ${m}×${p}`);
  if (y.length !== m * k) throw new RangeError(`leastSquares: Y has ${y.length} entries, expected ${m}×${k}`);
  if (!(ridge >= 0)) throw new RangeError(`leastSquares: ridge must be ≥ 0, got ${ridge}`);
  const xtx = new Float64Array(p * p);
  const xty = new Float64Array(p * k);
  for (let r = 0; r < m; r++) {
    for (let i = 0; i < p; i++) {
      const xi = x[r * p + i];
      if (!Number.isFinite(xi))
        throw new RangeError(`leastSquares: X(${r}, ${i}) is ${xi}; remove NaN/Inf rows first`);
      for (let j = 0; j <= i; j++) xtx[i * p + j] += xi * x[r * p + j];
      for (let c = 0; c < k; c++) xty[i * k + c] += xi * y[r * k + c];
    }
  }
  let trace = 0;
  for (let i = 0; i < p; i++) {
    trace += xtx[i * p + i];
    for (let j = 0; j < i; j++) xtx[j * p + i] = xtx[i * p + j];
  }
  const attempt = (lambda: number) => {
    const a = xtx.slice();
    for (let i = 0; i < p; i++) a[i * p + i] += lambda;
    return cholesky(a, p);
  };
  let l = attempt(ridge);
  let lambda = ridge;
  for (let tries = 0; !l && tries < 8; tries++) {
    lambda = Math.max(lambda * 100, (1e-12 * trace) / Math.max(p, 1), 1e-300);
    l = attempt(lambda);
  }
  if (!l)
    throw new RangeError(
      'leastSquares: normal equations are singular even with a ridge; check for constant or duplicate columns',
    );
  const w = new Float64Array(p * k);
  const col = new Float64Array(p);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < p; i++) col[i] = xty[i * k + c];
    const sol = choleskySolve(l, p, col);
    for (let i = 0; i < p; i++) w[i * k + c] = sol[i];
  }
  return w;
}
