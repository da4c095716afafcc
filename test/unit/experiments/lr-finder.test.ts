import { describe, expect, it } from 'vitest';
import { findLearningRate, lrSchedule, smoothLosses, suggestRates } from '../../../engine/experiments';
import { lineCsv, lineProject } from './helpers';

/** Largest eigenvalue of the MSE Hessian of ŷ = w·x + b: H = (2/n)[[Σx², Σx], [Σx, n]] (closed form, 2×2). */
function lambdaMax(x: readonly number[]): number {
  const n = x.length;
  const a = (2 / n) * x.reduce((s, v) => s + v * v, 0);
  const b = (2 / n) * x.reduce((s, v) => s + v, 0);
  const d = 2;
  return (a + d) / 2 + Math.sqrt(((a - d) / 2) ** 2 + b * b);
}

describe('learning-rate range test', () => {
  it('spaces the rates geometrically from lr_min to lr_max', () => {
    const r = lrSchedule(1e-6, 1, 7);
    expect(r[0]).toBeCloseTo(1e-6, 18);
    expect(r[6]).toBeCloseTo(1, 12);
    for (let k = 1; k < 7; k++) expect(r[k] / r[k - 1]).toBeCloseTo(10, 9);
    expect(() => lrSchedule(1, 0.1, 10)).toThrow(/lr_min < lr_max/);
  });

  it('bias-corrected smoothing of a constant is that constant', () => {
    for (const v of smoothLosses([2, 2, 2, 2], 0.9)) expect(v).toBeCloseTo(2, 12);
    // Hand computation, β = 0.5: m1 = 0.5, s1 = 1; m2 = 0.25 + 1.5 = 1.75, s2 = 1.75/0.75.
    expect(smoothLosses([1, 3], 0.5)[1]).toBeCloseTo(1.75 / 0.75, 12);
  });

  it('suggestRates: minimum, a decade below it, and the steepest fall before it', () => {
    const lrs = [1e-3, 1e-2, 1e-1, 1, 10];
    const s = suggestRates(lrs, [5, 4.9, 2, 1, 8]);
    expect(s.minimum).toBe(1);
    expect(s.largestStable).toBeCloseTo(0.1, 12);
    expect(s.steepest).toBe(1e-1);
    expect(suggestRates(lrs, [1, 2, 3, 4, 5])).toEqual({
      minimum: null,
      largestStable: null,
      steepest: null,
    });
  });

  // Full-batch gradient descent on the MSE of a line diverges exactly when α > 2/λ_max(H).
  for (const [lo, hi] of [
    [0, 1],
    [0, 10],
    [5, 6],
  ] as const) {
    it(`stays below 2/λ_max and within ×10 of it on linear regression, x ∈ [${lo}, ${hi}]`, async () => {
      const d = lineCsv(40, lo, hi);
      const bound = 2 / lambdaMax(d.x);
      const r = await findLearningRate({
        project: lineProject({ batchSize: 40 }),
        data: d.bytes,
        lrMin: 1e-6,
        lrMax: 10,
        steps: 100,
      });
      expect(r.stop === 'diverged' || r.stop === 'non-finite').toBe(true);
      expect(r.lrs.length).toBeLessThan(100);
      const s = r.suggestion.largestStable!;
      expect(s).toBeLessThan(bound);
      expect(s).toBeGreaterThan(bound / 10);
      // The minimum of the curve lies past the limit: those rates diverge.
      expect(r.suggestion.minimum!).toBeGreaterThan(bound);
      expect(r.suggestion.steepest!).toBeLessThan(r.suggestion.minimum!);
      expect(r.optimizer).toEqual({ nodeId: 'opt', name: 'sgd', lr: 0.01 });
    });
  }

  it('is deterministic for a seed and reports every step up to the stop', async () => {
    const d = lineCsv(64, 0, 2);
    const go = () =>
      findLearningRate({
        project: lineProject({ batchSize: 8 }),
        data: d.bytes,
        steps: 40,
        lrMax: 10,
        seed: 4,
      });
    const a = await go();
    const b = await go();
    expect(b.losses).toEqual(a.losses);
    expect(a.smoothed.length).toBe(a.lrs.length);
    expect(a.losses.length).toBe(a.lrs.length);
  });
});
