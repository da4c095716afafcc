import { describe, expect, it } from 'vitest';
import {
  flatMetrics,
  meets,
  repeatSeeds,
  summarizeSeedRuns,
  type SeedRunRow,
} from '../../../engine/experiments';
import { runSession } from '../../../engine/session/run';
import { exampleCsv, loadExample } from './helpers';

describe('repeat with N seeds on the current graph', () => {
  it('criterion comparisons; a missing or non-finite metric fails', () => {
    const c = { metric: 'validation.accuracy', op: '>=', threshold: 0.9 } as const;
    expect(meets({ 'validation.accuracy': 0.9 }, c)).toBe(true);
    expect(meets({ 'validation.accuracy': 0.89 }, c)).toBe(false);
    expect(meets({}, c)).toBe(false);
    expect(meets({ 'train.loss': NaN }, { metric: 'train.loss', op: '<=', threshold: 1 })).toBe(false);
    expect(meets({ 'train.loss': 0.5 }, { metric: 'train.loss', op: '<=', threshold: 1 })).toBe(true);
  });

  it('runs seeds s0..s0+N−1, each equal to a plain session with that seed; failures counted', async () => {
    const project = loadExample('iris');
    const data = exampleCsv('iris');
    const criterion = { metric: 'validation.accuracy', op: '>=', threshold: 0.8 } as const;
    const rows = await repeatSeeds({ project, data, runs: 3, seed0: 7, criterion, epochs: 2 });
    expect(rows.map((r) => r.seed)).toEqual([7, 8, 9]);
    for (const r of rows) {
      const plain = await runSession({ project, data, seed: r.seed, epochs: 2 });
      expect(r.metrics).toEqual(flatMetrics(plain));
      expect(r.ok).toBe(plain.final!.validation!.accuracy >= 0.8);
    }
    const s = summarizeSeedRuns(rows);
    expect(s.failures).toBe(rows.filter((r) => !(r.metrics['validation.accuracy'] >= 0.8)).length);
    const v = rows.map((r) => r.metrics['train.loss']);
    const mean = (v[0] + v[1] + v[2]) / 3;
    expect(s.stats['train.loss'].mean).toBeCloseTo(mean, 12);
    expect(s.stats['train.loss'].sd).toBeCloseTo(
      Math.sqrt(v.reduce((a, x) => a + (x - mean) ** 2, 0) / 2),
      12,
    );
    expect(s.stats['train.loss'].min).toBe(Math.min(...v));
  });

  it('a failed run is a failure', () => {
    const rows: SeedRunRow[] = [
      { seed: 1, metrics: {}, problem: 'The loss became NaN', ok: false },
      { seed: 2, metrics: { 'train.loss': 0.1 }, problem: null, ok: true },
    ];
    expect(summarizeSeedRuns(rows).failures).toBe(1);
  });

  it('rejects a run count below 1', async () => {
    await expect(
      repeatSeeds({
        project: loadExample('iris'),
        data: exampleCsv('iris'),
        runs: 0,
        seed0: 1,
        criterion: { metric: 'train.loss', op: '<=', threshold: 1 },
      }),
    ).rejects.toThrow(/integer ≥ 1/);
  });
});
