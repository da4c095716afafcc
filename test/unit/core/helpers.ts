/** Shared helpers for the core tests (float64 tensors from a seeded Rng, array comparison). */
import { expect } from 'vitest';
import { Rng } from '../../../engine/random/rng';
import { tensor } from '../../../engine/tensor/create';
import type { Shape } from '../../../engine/tensor/shape';
import type { Tensor } from '../../../engine/tensor/tensor';

/** float64 tensor with entries uniform in [lo, hi). */
export function rand64(rng: Rng, shape: Shape, lo = -1, hi = 1): Tensor {
  let n = 1;
  for (const d of shape) n *= d;
  return tensor(
    Array.from({ length: n }, () => rng.uniform(lo, hi)),
    shape,
    { dtype: 'float64' },
  );
}

/** float64 tensor with entries whose |x| lies in [lo, hi) with a random sign (keeps away from kinks at 0). */
export function randAway(rng: Rng, shape: Shape, lo: number, hi: number): Tensor {
  let n = 1;
  for (const d of shape) n *= d;
  return tensor(
    Array.from({ length: n }, () => (rng.next() < 0.5 ? -1 : 1) * rng.uniform(lo, hi)),
    shape,
    { dtype: 'float64' },
  );
}

export const t64 = (data: number[], shape?: Shape): Tensor => tensor(data, shape, { dtype: 'float64' });

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e)) expect(a).toBeNaN();
    else if (!Number.isFinite(e)) expect(a).toBe(e);
    else if (Math.abs(a - e) > tol * Math.max(1, Math.abs(e))) {
      throw new Error(`element ${i}: got ${a}, expected ${e} (tol ${tol})`);
    }
  }
}
