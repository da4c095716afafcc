import { describe, expect, it } from 'vitest';
import { comparisonScaling, standardizationStudy } from '../../../engine/experiments';
import { lineCsv, lineProject } from './helpers';

describe('standardization study', () => {
  it('compares the setting with none, or none with z-score', () => {
    expect(comparisonScaling('z-score', false)).toBe('none');
    expect(comparisonScaling('min-max', false)).toBe('none');
    expect(comparisonScaling('none', false)).toBe('z-score');
    expect(comparisonScaling('none', true)).toBe('none');
  });

  it('the two runs differ only in the feature scaling; curves have the same length', async () => {
    const d = lineCsv(60, 5, 6);
    const r = await standardizationStudy({
      project: lineProject({ batchSize: 8, featureScaling: 'z-score', validation: 0.25, lr: 0.03 }),
      data: d.bytes,
      epochs: 8,
      keepPrepared: true,
    });
    const [a, b] = r.runs;
    expect([a.scaling, a.asSet, b.scaling, b.asSet]).toEqual(['z-score', true, 'none', false]);
    expect(a.trainLoss.length).toBe(8);
    expect(b.trainLoss.length).toBe(8);
    expect(a.validationLoss.length).toBe(8);
    const A = a.prepared!;
    const B = b.prepared!;
    expect([...A.trainRows]).toEqual([...B.trainRows]);
    expect([...A.validationRows]).toEqual([...B.validationRows]);
    expect([...A.targets]).toEqual([...B.targets]);
    // Unscaled inputs are the file's x values.
    B.sourceRows.forEach((s, i) => expect(B.features[i]).toBeCloseTo(d.x[s - 1], 4));
    // Scaled inputs are (x − μ)/σ with μ, σ (population) of the TRAINING rows, computed here.
    const xs = [...B.trainRows].map((i) => B.features[i]);
    const mu = xs.reduce((s, v) => s + v, 0) / xs.length;
    const sigma = Math.sqrt(xs.reduce((s, v) => s + (v - mu) ** 2, 0) / xs.length);
    for (let i = 0; i < A.rows; i++) expect(A.features[i]).toBeCloseTo((B.features[i] - mu) / sigma, 4);
    expect(a.problem).toBeNull();
    expect(b.problem).toBeNull();
    expect([...a.trainLoss, ...b.trainLoss].every(Number.isFinite)).toBe(true);
    expect(a.trainLoss).not.toEqual(b.trainLoss);
  });
});
