/**
 * Special functions in float64 for plain numbers: erf, erfc, the standard normal pdf φ and cdf Φ.
 * Used by GELU (scalar inspector plot and as the reference for the tensor kernel).
 *
 * Method: for |x| < 3 the everywhere-convergent series with positive terms
 *   erf(x) = (2/√π)·e^{−x²}·Σₙ 2ⁿ x^{2n+1} / (1·3·…·(2n+1))   (Abramowitz & Stegun 7.1.6),
 * for |x| ≥ 3 the continued fraction
 *   erfc(x) = (e^{−x²}/√π) · 1/(x + ½/(x + 1/(x + (3/2)/(x + …))))   (A&S 7.1.14),
 * evaluated backwards with a fixed depth. Relative error is about 1e-15 for erf and 1e-13 for erfc.
 */

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const INV_SQRT_PI = 0.5641895835477563;
const INV_SQRT_2PI = 0.3989422804014327;

function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 0; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 3);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/** erfc(x) for x ≥ 3 by the continued fraction. */
function erfcCf(x: number): number {
  let f = x;
  for (let n = 120; n >= 1; n--) f = x + n / 2 / f;
  return (INV_SQRT_PI * Math.exp(-x * x)) / f;
}

/** The error function erf(x) = (2/√π)∫₀ˣ e^{−t²} dt. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  const v = a < 3 ? erfSeries(a) : 1 - erfcCf(a);
  return x < 0 ? -v : v;
}

/** The complementary error function erfc(x) = 1 − erf(x), accurate in the tail (x ≫ 0). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= 3) return erfcCf(x);
  if (x <= -3) return 2 - erfcCf(-x);
  return 1 - erf(x);
}

/** Standard normal density φ(x) = e^{−x²/2}/√(2π). */
export function normalPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/** Standard normal cdf Φ(x) = ½·erfc(−x/√2), accurate for very negative x. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}
