/**
 * The error function erf(x) = 2/√π ∫₀ˣ e^{−t²} dt on plain numbers, accurate to a few ulps in
 * float64 (needed by exact GELU, lecture "Gaussian Error Linear Unit", and its gradient check).
 *
 * Method: for |x| < 3 the everywhere-positive series
 *   erf(x) = 2/√π · e^{−x²} · Σₙ 2ⁿ x^{2n+1} / (1·3·5···(2n+1))
 * (Abramowitz & Stegun 7.1.6; no cancellation, unlike the alternating Taylor series); for
 * |x| ≥ 3 the continued fraction erfc(x) = e^{−x²}/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + …))))
 * (A&S 7.1.14), evaluated by the modified Lentz algorithm.
 */

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const INV_SQRT_PI = 0.5641895835477563;

/** erfc(x) for x ≥ 3 by the continued fraction (A&S 7.1.14). */
function erfcLarge(x: number): number {
  // erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 200; n++) {
    const a = n / 2;
    d = x + a * d;
    if (d === 0) d = tiny;
    c = x + a / c;
    if (c === 0) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (Math.exp(-x * x) * INV_SQRT_PI) / f;
}

/** erf(x) for any finite x; erf(±∞) = ±1; NaN propagates. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax >= 3) {
    const r = ax > 27 ? 1 : 1 - erfcLarge(ax);
    return x < 0 ? -r : r;
  }
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 0; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 3);
    sum += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}
