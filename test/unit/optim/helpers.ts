// Shared helpers for the optimization tests.
import type { RbfModel } from '../../../engine/rbf/rbf';
import type { Rng } from '../../../engine/random/rng';

/** An RBF model with N(0, 1) centres and output weights and widths in [0.5, 1.5), drawn from `rng`. */
export function randomRbfModel(rng: Rng, k: number, d: number, out: number): RbfModel {
  return {
    k,
    d,
    out,
    centres: Float64Array.from({ length: k * d }, () => rng.normal()),
    widths: Float64Array.from({ length: k }, () => 0.5 + rng.next()),
    weights: Float64Array.from({ length: (k + 1) * out }, () => rng.normal()),
  };
}
