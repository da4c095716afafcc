import { describe, expect, it } from 'vitest';
import { histogram, summarizeTable } from '../../../engine/data/summary';
import { readTable } from '../../../engine/data/reader';
import { readCsv, readData } from './helpers';

describe('column summary for the import wizard', () => {
  it('numeric: count, missing, min/max/mean/std, unique, histogram', () => {
    const [x, y] = summarizeTable(readCsv('missing_values.csv'));
    // x = 1, 2, 5, 6, 7 (two missing): mean 4.2, population variance (10.24+4.84+0.64+3.24+7.84)/5 = 5.36
    expect(x).toMatchObject({ type: 'numeric', count: 5, missing: 2, min: 1, max: 7, mean: 4.2, unique: 5 });
    expect(x.std).toBeCloseTo(Math.sqrt(5.36), 12);
    expect(y).toMatchObject({ count: 3, missing: 4, min: 3, max: 8 });
    const h = summarizeTable(readCsv('missing_values.csv'), {}, 3)[0].histogram;
    expect(h).toEqual({ edges: [1, 3, 5, 7], counts: [2, 0, 3] });
  });

  it('categorical: unique count and top categories by frequency', () => {
    const t = readTable('c,y\nb,1\na,2\nb,3\nc,4\nb,5\na,6\n');
    const [c] = summarizeTable(t);
    expect(c).toMatchObject({ type: 'categorical', count: 6, unique: 3, mean: null, histogram: null });
    expect(c.top).toEqual([
      { value: 'b', count: 3 },
      { value: 'a', count: 2 },
      { value: 'c', count: 1 },
    ]);
  });

  it('histogram puts the maximum in the last bin and handles a constant column', () => {
    expect(histogram([0, 1, 2, 3, 4], 0, 4, 4)).toEqual({ edges: [0, 1, 2, 3, 4], counts: [1, 1, 1, 2] });
    expect(histogram([5, 5, 5], 5, 5, 10)).toEqual({ edges: [5, 5], counts: [3] });
  });

  it('digits: pixels range 0..16 and the histogram counts every cell', () => {
    const s = summarizeTable(readData('digits.csv'));
    const cols = s.slice(0, 64);
    expect(Math.min(...cols.map((c) => c.min as number))).toBe(0);
    expect(Math.max(...cols.map((c) => c.max as number))).toBe(16);
    expect(cols.map((c) => c.histogram?.counts.reduce((a, b) => a + b, 0))).toEqual(new Array(64).fill(1797));
  });
});
