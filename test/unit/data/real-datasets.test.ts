// The six real datasets: shapes, task detection, class counts, and scaling statistics checked
// against numpy's values in stats.json and against sums computed here from the file text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareDataset } from '../../../engine/data/prepare';
import { DATA_DIR, plainCsv, readData } from './helpers';

interface Stats {
  rows: number;
  columns: number;
  columns_stats: Record<string, { min: number; max: number; mean: number; std_population: number }>;
  class_counts?: Record<string, number>;
  constant_columns: string[];
}
const stats = JSON.parse(readFileSync(join(DATA_DIR, 'stats.json'), 'utf8')) as Record<string, Stats>;

const cases = [
  { file: 'iris.csv', task: 'multiclass', features: 4, counts: [50, 50, 50] },
  { file: 'wine.csv', task: 'multiclass', features: 13, counts: [59, 71, 48] },
  { file: 'breast_cancer.csv', task: 'binary', features: 30, counts: [212, 357] },
  { file: 'diabetes.csv', task: 'regression', features: 10, counts: null },
  { file: 'digits.csv', task: 'multiclass', features: 64, counts: null },
  {
    file: 'linnerud.csv',
    task: 'regression',
    features: 3,
    counts: null,
    targets: ['weight', 'waist', 'pulse'],
  },
] as const;

describe.each(cases)('$file', (c) => {
  const table = readData(c.file);
  const s = stats[c.file];
  const targets = 'targets' in c ? [...c.targets] : undefined;
  const prep = prepareDataset(table, { targets, split: { train: 1 } });

  it('shape and detected task', () => {
    expect(table.rowCount).toBe(s.rows);
    expect(table.columns).toHaveLength(s.columns);
    expect(prep.rows).toBe(s.rows);
    expect(prep.featureWidth).toBe(c.features);
    expect(prep.features).toHaveLength(s.rows * c.features);
    expect(prep.report.task).toBe(c.task);
    // The only problems are constant columns, and exactly numpy's (stats.json) constant columns.
    expect(prep.report.problems.map((p) => p.code)).toEqual(s.constant_columns.map(() => 'constant-column'));
    expect(prep.report.problems.map((p) => p.column)).toEqual(s.constant_columns);
  });

  it('class counts match stats.json (and the README)', () => {
    if (c.task === 'regression') {
      expect(prep.targets).toBeInstanceOf(Float32Array);
      expect(prep.targetWidth).toBe(targets?.length ?? 1);
      return;
    }
    const expected = Object.keys(s.class_counts ?? {})
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => (s.class_counts as Record<string, number>)[k]);
    expect(prep.report.classes?.counts).toEqual(expected);
    if (c.counts) expect(prep.report.classes?.counts).toEqual(c.counts);
    expect(prep.recipe.classes).toEqual(expected.map((_, k) => String(k)));
  });

  it('z-score and min-max statistics equal numpy (stats.json) and an independent sum', () => {
    const z = prepareDataset(table, { targets, split: { train: 1 }, featureScaling: 'z-score' });
    const m = prepareDataset(table, { targets, split: { train: 1 }, featureScaling: 'min-max' });
    const plain = plainCsv(readFileSync(join(DATA_DIR, c.file), 'utf8'));
    z.recipe.features.forEach((f, j) => {
      const ref = s.columns_stats[f.name];
      const col = plain.rows.map((r) => r[plain.header.indexOf(f.name)]);
      const mean = col.reduce((a, b) => a + b, 0) / col.length;
      const std = Math.sqrt(col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length);
      expect(f.scaler?.shift).toBeCloseTo(ref.mean, 8);
      expect(f.scaler?.shift).toBeCloseTo(mean, 10);
      if (ref.std_population === 0) expect(f.scaler?.scale).toBe(0);
      else {
        expect(f.scaler?.scale).toBeCloseTo(ref.std_population, 8);
        expect((f.scaler?.scale as number) / std).toBeCloseTo(1, 12);
      }
      const mm = m.recipe.features[j].scaler;
      expect(mm?.shift).toBe(ref.min);
      expect((mm?.shift as number) + (mm?.scale as number)).toBeCloseTo(ref.max, 12);
    });
  });

  it('scaled features have mean 0 / std 1 (z-score) and range [0, 1] (min-max) in float32', () => {
    const z = prepareDataset(table, { targets, split: { train: 1 }, featureScaling: 'z-score' });
    const w = z.featureWidth;
    for (let j = 0; j < w; j++) {
      let sum = 0;
      let sq = 0;
      for (let r = 0; r < z.rows; r++) sum += z.features[r * w + j];
      const mean = sum / z.rows;
      for (let r = 0; r < z.rows; r++) sq += (z.features[r * w + j] - mean) ** 2;
      const constant = z.recipe.features[j].scaler?.scale === 0;
      expect(Math.abs(mean)).toBeLessThan(1e-5);
      expect(Math.sqrt(sq / z.rows)).toBeCloseTo(constant ? 0 : 1, 5);
    }
    const m = prepareDataset(table, { targets, split: { train: 1 }, featureScaling: 'min-max' });
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of m.features) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    expect(lo).toBe(0);
    expect(hi).toBe(1);
  });
});

describe('digits has constant pixel columns', () => {
  it('they scale to exactly 0, never NaN', () => {
    const z = prepareDataset(readData('digits.csv'), { featureScaling: 'z-score' });
    const constant = stats['digits.csv'].constant_columns;
    expect(constant.length).toBeGreaterThan(0);
    for (const name of constant) {
      const j = z.recipe.featureNames.indexOf(name);
      let nonzero = 0;
      for (let r = 0; r < z.rows; r++) if (z.features[r * z.featureWidth + j] !== 0) nonzero++;
      expect(nonzero).toBe(0);
    }
    expect(z.features.every((v) => Number.isFinite(v))).toBe(true);
  });
});
