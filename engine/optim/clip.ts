/**
 * Gradient clipping on flat gradient vectors (lecture "Preventing vanishing/exploding gradients":
 * clipping only helps exploding gradients). In place, no allocation.
 * Global-norm clipping: Pascanu, Mikolov & Bengio, "On the difficulty of training RNNs", 2013.
 */
import type { ParamVector } from './types';

/**
 * Rescales the gradient(s) so that their global L2 norm ‖g‖ = √(Σ gᵢ²) over all arrays is at most
 * `maxNorm`: g ← g·maxNorm/‖g‖ when ‖g‖ > maxNorm; otherwise unchanged.
 * @param grads one flat gradient or several (their norm is taken jointly).
 * @returns the norm before clipping (report it in the UI); NaN if any entry is NaN or ±∞ (then nothing is
 *   changed, and the optimizer rejects the gradient with a message naming the entry).
 * @throws RangeError when maxNorm is not a finite number > 0.
 */
export function clipGradNorm(grads: ParamVector | readonly ParamVector[], maxNorm: number): number {
  if (!(Number.isFinite(maxNorm) && maxNorm > 0))
    throw new RangeError(`clipGradNorm: maxNorm must be a finite number > 0, got ${maxNorm}`);
  const list = ArrayBuffer.isView(grads) ? [grads as ParamVector] : (grads as readonly ParamVector[]);
  // Scaled sum of squares so huge gradients do not overflow to ∞ before clipping.
  let scale = 0;
  for (const g of list) for (let i = 0; i < g.length; i++) scale = Math.max(scale, Math.abs(g[i]));
  if (Number.isNaN(scale)) return NaN;
  if (scale === 0) return 0;
  let ss = 0;
  for (const g of list)
    for (let i = 0; i < g.length; i++) {
      const v = g[i] / scale;
      ss += v * v;
    }
  const norm = scale * Math.sqrt(ss);
  if (norm > maxNorm) {
    const f = maxNorm / norm;
    for (const g of list) for (let i = 0; i < g.length; i++) g[i] *= f;
  }
  return norm;
}

/**
 * Clips every element to [−limit, limit] in place (NaN entries are left as NaN so they are still reported).
 * @returns the number of elements that were clipped.
 * @throws RangeError when limit is not a finite number > 0.
 */
export function clipGradValue(grads: ParamVector | readonly ParamVector[], limit: number): number {
  if (!(Number.isFinite(limit) && limit > 0))
    throw new RangeError(`clipGradValue: limit must be a finite number > 0, got ${limit}`);
  const list = ArrayBuffer.isView(grads) ? [grads as ParamVector] : (grads as readonly ParamVector[]);
  let clipped = 0;
  for (const g of list)
    for (let i = 0; i < g.length; i++) {
      if (g[i] > limit) {
        g[i] = limit;
        clipped++;
      } else if (g[i] < -limit) {
        g[i] = -limit;
        clipped++;
      }
    }
  return clipped;
}
