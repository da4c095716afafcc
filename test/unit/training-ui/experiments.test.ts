import { describe, expect, it } from 'vitest';
import {
  compareOptimizers,
  lossDistribution,
  meanBce,
  mseOf,
  runExperimentRequest,
  summarizeSeeds,
  xorSeedRun,
  type ExperimentMessage,
  type SeedRow,
} from '../../../src-renderer/training/experiments';

describe('experiments', () => {
  it('mean BCE matches the hand value', () => {
    // −(ln 0.9 + ln 0.8) / 2 for p = [0.9, 0.2], y = [1, 0].
    expect(meanBce([0.9, 0.2], [1, 0])).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 14);
    expect(Number.isFinite(meanBce([0, 1], [1, 0]))).toBe(true); // clamped, not ∞
  });

  it('a seed run applies the lecture criterion to its own outputs', () => {
    for (const init of ['uniform10', 'lecun-normal'] as const)
      for (const seed of [1, 2, 3]) {
        const r = xorSeedRun(init, seed, 300);
        const wrong = r.outputs.some((o, i) => ([0, 1, 1, 0][i] === 1 ? o <= 0.5 : o >= 0.5));
        expect(r.failed).toBe(wrong);
        expect(r.loss).toBeCloseTo(meanBce(r.outputs, [0, 1, 1, 0]), 14);
      }
  });

  it('summaries count failures and take the median loss', () => {
    const row = (init: SeedRow['init'], loss: number, failed: boolean): SeedRow => ({
      init,
      seed: 0,
      failed,
      loss,
      outputs: [],
    });
    const s = summarizeSeeds([
      row('uniform10', 3, true),
      row('uniform10', 1, false),
      row('uniform10', 2, false),
      row('lecun-normal', 4, false),
      row('lecun-normal', 6, false),
    ]);
    expect(s.find((x) => x.init === 'uniform10')).toMatchObject({
      runs: 3,
      failures: 1,
      medianLoss: 2,
      minLoss: 1,
      maxLoss: 3,
    });
    expect(s.find((x) => x.init === 'lecun-normal')).toMatchObject({ runs: 2, failures: 0, medianLoss: 5 });
    const d = lossDistribution(
      [row('uniform10', 1e-4, false), row('uniform10', 1, true), row('lecun-normal', 1e-2, false)],
      4,
    );
    expect(d.counts.uniform10.reduce((a, b) => a + b)).toBe(2);
    expect(d.counts['lecun-normal']).toEqual([0, 0, 1, 0]); // log10 = −2 lies in the 3rd of 4 bins over [−4, 0]
  });

  it('optimizer paths start at θ0 = [10, 5] and their loss is the MSE along the path', () => {
    const c = compareOptimizers(1, 200);
    for (const r of c.runs) {
      expect(r.path.slice(0, 2)).toEqual([10, 5]);
      const k = 137;
      expect(r.loss[k]).toBeCloseTo(mseOf(c.data, r.path[2 * k], r.path[2 * k + 1]), 10);
    }
    // The least-squares line minimises the MSE: nudging it in any direction increases it.
    const [a, b] = c.leastSquares;
    const m0 = mseOf(c.data, a, b);
    for (const [da, db] of [
      [1e-3, 0],
      [-1e-3, 0],
      [0, 1e-3],
      [0, -1e-3],
    ])
      expect(mseOf(c.data, a + da, b + db)).toBeGreaterThan(m0);
  });

  it('the worker protocol streams one row per seed, then done; errors become messages', () => {
    const got: ExperimentMessage[] = [];
    runExperimentRequest(
      { type: 'xor-seeds', seeds: 2, seed0: 5, epochs: 50, inits: ['lecun-normal'] },
      (m) => got.push(m),
    );
    expect(got.map((m) => m.type)).toEqual(['seed-row', 'seed-row', 'done']);
    const bad: ExperimentMessage[] = [];
    runExperimentRequest({ type: 'optimizers', seed: 1, iterations: -5 }, (m) => bad.push(m));
    expect(bad.map((m) => m.type)).toEqual(['error']);
  });
});
