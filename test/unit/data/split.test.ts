import { describe, expect, it } from 'vitest';
import {
  assignFolds,
  classCounts,
  classWeights,
  resolveFractions,
  splitRows,
} from '../../../engine/data/split';
import { prepareDataset } from '../../../engine/data/prepare';
import { readTable } from '../../../engine/data/reader';
import { importError, readCsv, readData } from './helpers';

describe('splits', () => {
  it('fractions: defaults, completion and validation', () => {
    expect(resolveFractions({})).toEqual({ train: 0.8, validation: 0.2, test: 0 });
    expect(resolveFractions({ validation: 0.1, test: 0.2 })).toEqual({
      train: 0.7,
      validation: 0.1,
      test: 0.2,
    });
    expect(() => resolveFractions({ train: 0.5, validation: 0.6 })).toThrow(/sum to 1/);
    expect(() => resolveFractions({ validation: 1.2 })).toThrow(/between 0 and 1/);
  });

  it('is deterministic for a seed, differs across seeds, and has the right sizes', () => {
    const a = splitRows(1000, { train: 0.7, validation: 0.2, test: 0.1 }, 1, null);
    const b = splitRows(1000, { train: 0.7, validation: 0.2, test: 0.1 }, 1, null);
    const c = splitRows(1000, { train: 0.7, validation: 0.2, test: 0.1 }, 2, null);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(classCounts(a, 3)).toEqual([700, 200, 100]);
  });

  it('stratified: each class is split in proportion (iris 50/50/50 → 40/10 per class)', () => {
    const p = prepareDataset(readData('iris.csv'), { split: { train: 0.8, validation: 0.2 } });
    expect(p.report.classes?.perSplit.train).toEqual([40, 40, 40]);
    expect(p.report.classes?.perSplit.validation).toEqual([10, 10, 10]);
    expect(p.trainRows.length + p.validationRows.length).toBe(150);
    // Index lists partition the rows.
    const all = [...p.trainRows, ...p.validationRows, ...p.testRows].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 150 }, (_, i) => i));
  });

  it('breast cancer (212/357) stratified 70/15/15', () => {
    const p = prepareDataset(readData('breast_cancer.csv'), {
      split: { train: 0.7, validation: 0.15, test: 0.15 },
    });
    const s = p.report.classes?.perSplit;
    expect(s?.validation).toEqual([Math.round(0.15 * 212), Math.round(0.15 * 357)]);
    expect(s?.test).toEqual([Math.round(0.15 * 212), Math.round(0.15 * 357)]);
  });

  it('warns when a class is absent from a split', () => {
    const rows =
      'x,y\n' + Array.from({ length: 20 }, (_, i) => `${i},${i === 0 ? 'rare' : 'common'}`).join('\n') + '\n';
    const p = prepareDataset(readTable(rows), { split: { train: 0.8, validation: 0.2 } });
    const w = p.report.problems.filter((q) => q.code === 'class-missing-in-split');
    expect(w).toHaveLength(1);
    expect(w[0].message).toContain("Class 'rare' has no rows in the validation split");
  });

  it('a fixed split can come from a column (train / val / validation / test, any case)', () => {
    const p = prepareDataset(readCsv('split_column.csv'), { targets: ['label'], split: { column: 'fold' } });
    expect(Array.from(p.split)).toEqual([0, 0, 1, 2, 0, 1]);
    expect(p.recipe.featureNames).toEqual(['x']);
    const bad = readTable('x,y,s\n1,0,train\n2,1,tst\n');
    const e = importError(() => prepareDataset(bad, { targets: ['y'], split: { column: 's' } }));
    expect(e.problems).toContainEqual(
      expect.objectContaining({ code: 'split-value', line: 3, row: 2, column: 's' }),
    );
  });

  it('k-fold: stratified folds of near-equal size covering the training rows', () => {
    const labels = Int32Array.from({ length: 103 }, (_, i) => (i < 30 ? 0 : 1));
    const f = assignFolds(103, 5, 3, labels);
    const sizes = classCounts(f, 5);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    for (let k = 0; k < 5; k++) {
      const c0 = Array.from(f).filter((v, i) => v === k && labels[i] === 0).length;
      expect(c0 === 6).toBe(true);
    }
    expect(() => assignFolds(3, 5, 1, null)).toThrow(/at least 5/);
    const p = prepareDataset(readData('iris.csv'), { split: { train: 1, folds: 5 } });
    expect(p.folds).toHaveLength(150);
    expect(classCounts(p.folds as Int32Array, 5)).toEqual([30, 30, 30, 30, 30]);
  });

  it('class weights n/(K·n_c) for imbalanced targets', () => {
    expect(classWeights([90, 10])).toEqual([100 / 180, 100 / 20]);
    expect(classWeights([5, 0])).toEqual([1, 0]);
    const p = prepareDataset(readData('breast_cancer.csv'), { split: { train: 1 } });
    expect(p.report.classes?.weights).toEqual([569 / (2 * 212), 569 / (2 * 357)]);
    expect(p.report.classes?.imbalanced).toBe(true);
    expect(prepareDataset(readData('iris.csv')).report.classes?.imbalanced).toBe(false);
  });
});
