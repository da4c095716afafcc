// Problems that keep a user from training on unusable data: too few rows, an empty or tiny training
// split, constant columns, many dropped rows; plus singular/plural in counts. Expected numbers are
// worked out by hand from the small tables written here.
import { describe, expect, it } from 'vitest';
import { inspectTable } from '../../../engine/data/inspect';
import { DROPPED_ROWS_WARNING, MIN_TRAIN_ROWS, prepareDataset } from '../../../engine/data/prepare';
import { countOf } from '../../../engine/data/problems';
import { readTable } from '../../../engine/data/reader';
import type { DataProblem } from '../../../engine/data/types';
import { importError } from './helpers';

/** A numeric CSV from rows of cells (the header is x1..xk, y). */
const csv = (rows: (number | string)[][]): string => {
  const k = rows[0].length - 1;
  const header = [...Array.from({ length: k }, (_, j) => `x${j + 1}`), 'y'].join(',');
  return `${header}\n${rows.map((r) => r.join(',')).join('\n')}\n`;
};
const byCode = (ps: readonly DataProblem[], code: string) => ps.filter((p) => p.code === code);

describe('too few rows', () => {
  it('a 1-row file is an error, and inspect says the data is not usable', () => {
    const t = readTable(csv([[1, 2, 3.5]]));
    const e = importError(() => prepareDataset(t));
    expect(byCode(e.problems, 'too-few-rows')[0]).toMatchObject({ severity: 'error' });
    expect(e.message).toContain('Only 1 usable row in the file');
    const r = inspectTable(t);
    expect(r.usable).toBe(false);
    expect(r.problems.map((p) => p.code)).toContain('too-few-rows');
  });

  it('an empty training split (split column without train rows) is an error naming the column', () => {
    const text = 'part,x,y\ntest,1,2\ntest,2,3\nvalidation,3,5\n';
    const e = importError(() => prepareDataset(readTable(text), { split: { column: 'part' } }));
    const p = byCode(e.problems, 'empty-train-split')[0];
    expect(p.severity).toBe('error');
    expect(p.message).toContain("split column 'part'");
  });

  it('a training split under 10 rows is a warning with the counts', () => {
    // 8 rows, all in training: 8 < 10.
    const rows = Array.from({ length: 8 }, (_, i) => [i, i * 0.5 + (i % 3)]);
    const p = prepareDataset(readTable(csv(rows)), { split: { train: 1 } });
    const w = byCode(p.report.problems, 'few-training-rows');
    expect(w).toHaveLength(1);
    expect(w[0].severity).toBe('warning');
    expect(w[0].message).toContain('only 8 rows (of 8 usable rows)');
    expect(w[0].message).toContain(`at least ${MIN_TRAIN_ROWS}`);
  });

  it('classification needs 2 training rows per class (7 classes → 14), even above 10 rows', () => {
    // 7 classes × 2 rows = 14 rows, 12 of them in training (split column): 12 ≥ 10 but < 14.
    const lines = ['part,x,y'];
    for (let i = 0; i < 14; i++) lines.push(`${i < 12 ? 'train' : 'test'},${i},c${i % 7}`);
    const p = prepareDataset(readTable(lines.join('\n')), { split: { column: 'part' } });
    const w = byCode(p.report.problems, 'few-training-rows');
    expect(w).toHaveLength(1);
    expect(w[0].message).toContain('only 12 rows');
    expect(w[0].message).toContain('at least 14 (2 per class for 7 classes)');
  });

  it('no warning for a training split of 10 rows or more', () => {
    const rows = Array.from({ length: 10 }, (_, i) => [i, (i * 7) % 5]);
    const p = prepareDataset(readTable(csv(rows)), { split: { train: 1 } });
    expect(byCode(p.report.problems, 'few-training-rows')).toEqual([]);
  });
});

describe('constant columns', () => {
  const rows = Array.from({ length: 12 }, (_, i) => [i, 5, i % 2 ? 'a' : 'b', 'same', i * 2 + 1]);
  const text = `a,k,cat,one,y\n${rows.map((r) => r.join(',')).join('\n')}\n`;

  it('a constant numeric or categorical feature is a warning naming the column', () => {
    const p = prepareDataset(readTable(text), { split: { train: 1 } });
    const w = byCode(p.report.problems, 'constant-column');
    expect(w.map((q) => q.column)).toEqual(['k', 'one']);
    expect(w.every((q) => q.severity === 'warning')).toBe(true);
    expect(w[0].message).toContain("Column 'k' has the same value (5)");
    expect(w[0].message).toContain('carries no information; set its role to Ignore');
    expect(w[1].message).toContain("('same')");
  });

  it('z-score and min-max map a constant column to 0 (no division by zero)', () => {
    for (const featureScaling of ['z-score', 'min-max'] as const) {
      const p = prepareDataset(readTable(text), { split: { train: 1 }, featureScaling });
      const f = p.recipe.features.find((c) => c.name === 'k');
      const o = f?.offset as number;
      for (let r = 0; r < p.rows; r++) expect(p.features[r * p.featureWidth + o]).toBe(0);
      // The varying column 'a' (0..11) is still scaled: its first value is the minimum, so
      // min-max gives 0 and z-score gives (0 − 5.5)/σ with σ² = (12² − 1)/12.
      const a = p.features[0];
      expect(a).toBeCloseTo(featureScaling === 'min-max' ? 0 : -5.5 / Math.sqrt(143 / 12), 6);
    }
  });

  it('a constant regression target is a warning', () => {
    const p = prepareDataset(readTable(csv(Array.from({ length: 12 }, (_, i) => [i, 3]))), {
      split: { train: 1 },
      task: 'regression',
    });
    expect(byCode(p.report.problems, 'constant-target')[0]).toMatchObject({
      severity: 'warning',
      column: 'y',
    });
  });

  it('more than 5 constant columns: 5 named problems and one summary naming the rest', () => {
    const header = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'x', 'y'];
    const body = Array.from({ length: 12 }, (_, i) => [0, 0, 0, 0, 0, 0, 0, i, i % 3].join(','));
    const p = prepareDataset(readTable(`${header.join(',')}\n${body.join('\n')}\n`), {
      split: { train: 1 },
    });
    expect(byCode(p.report.problems, 'constant-column')).toHaveLength(5);
    const more = byCode(p.report.problems, 'constant-column-more');
    expect(more).toHaveLength(1);
    expect(more[0].message).toContain('2 more columns have one value in every used row');
    expect(more[0].message).toContain("'c6', 'c7'");
  });
});

describe('rows dropped for missing values', () => {
  /** n rows, with x1 missing in the given 0-based rows. */
  const withMissing = (n: number, missing: number[]) =>
    readTable(csv(Array.from({ length: n }, (_, i) => [missing.includes(i) ? 'NA' : i, (i * 3) % 7])));

  it('below 10 % of rows: info, naming the line, row and column', () => {
    // 1 of 20 rows = 5 %; data row 4 is on line 5 (after the header).
    const p = prepareDataset(withMissing(20, [3]), { split: { train: 1 } });
    const d = byCode(p.report.problems, 'rows-dropped')[0];
    expect(d.severity).toBe('info');
    expect(d.message).toContain('1 of 20 rows (5 %) has missing or invalid values');
    expect(d.message).toContain('line 5 (row 4)');
    expect(d.message).toContain("Columns responsible: 'x1' (1 row).");
    expect(d.column).toBe('x1');
  });

  it(`from ${DROPPED_ROWS_WARNING * 100} % of rows on: warning`, () => {
    // 2 of 20 rows = 10 % exactly.
    const p = prepareDataset(withMissing(20, [0, 19]), { split: { train: 1 } });
    const d = byCode(p.report.problems, 'rows-dropped')[0];
    expect(d.severity).toBe('warning');
    expect(d.message).toContain('2 of 20 rows (10 %) have missing');
    expect(d.message).toContain('line 2 (row 1), line 21 (row 20).');
    expect(d.message).toContain('impute the missing values');
  });
});

describe('counts in messages', () => {
  it('countOf puts the noun in the right number', () => {
    expect(countOf(1, 'field')).toBe('1 field');
    expect(countOf(0, 'field')).toBe('0 fields');
    expect(countOf(4, 'field')).toBe('4 fields');
    expect(countOf(2, 'class', 'classes')).toBe('2 classes');
  });

  it('"expected 1 field" for a one-column file', () => {
    const t = readTable('a\n1\n2,3\n4\n', { delimiter: ',' });
    const p = t.problems.find((q) => q.code === 'field-count');
    expect(p?.message).toContain('Line 3: expected 1 field but found 2');
  });
});
