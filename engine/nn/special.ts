/**
 * Special functions in float64 for plain numbers: erf, erfc, the standard normal pdf φ and cdf Φ.
 * Used by GELU (scalar inspector plot and as the reference for the tensor kernel).
 *
 * Method: erf is the core's (engine/ops/erf.ts: A&S 7.1.6 series for |x| < 3). erfc is 1 − erf for |x| < 3 and,
 * for |x| ≥ 3, the continued fraction erfc(x) = (e^{−x²}/√π) · 1/(x + ½/(x + 1/(x + (3/2)/(x + …))))
 * (A&S 7.1.14) evaluated backwards with a fixed depth of 120, so the tail keeps its relative accuracy
 * (about 1e-13; tested against Simpson integration).
 */

import { erf as coreErf } from '../ops/erf';

const INV_SQRT_PI = 0.5641895835477563;
const INV_SQRT_2PI = 0.3989422804014327;

/** erfc(x) for x ≥ 3 by the continued fraction. */
function erfcCf(x: number): number {
  let f = x;
  for (let n = 120; n >= 1; n--) f = x + n / 2 / f;
  return (INV_SQRT_PI * Math.exp(-x * x)) / f;
}

/** The error function erf(x) = (2/√π)∫₀ˣ e^{−t²} dt (the core's implementation, same method). */
export const erf: (x: number) => number = coreErf;

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
