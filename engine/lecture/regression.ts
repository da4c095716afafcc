/**
 * The lecture's running regression example: y = 3x + 2 + U(−0.1, 0.1), N = 30, model θᵀ[1, x],
 * ℓ2 loss. Shared by the 'optimizers' and 'standardization' experiments.
 */
import { Rng } from '../random/rng';

export interface RegressionData {
  x: Float64Array;
  y: Float64Array;
}

/** N points with x ~ U(lo, hi) and y = 3x + 2 + U(−0.1, 0.1). */
export function makeRegression(seed: number, n = 30, lo = -5, hi = 5): RegressionData {
  const rng = new Rng(seed);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = rng.uniform(lo, hi);
    y[i] = 3 * x[i] + 2 + rng.uniform(-0.1, 0.1);
  }
  return { x, y };
}

/** Least-squares [intercept, slope] in closed form (centred formulas, stable for x far from 0). */
export function leastSquaresLine(d: RegressionData): [number, number] {
  const n = d.x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += d.x[i] / n;
    my += d.y[i] / n;
  }
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (d.x[i] - mx) * (d.y[i] - my);
    sxx += (d.x[i] - mx) ** 2;
  }
  const slope = sxy / sxx;
  return [my - slope * mx, slope];
}
