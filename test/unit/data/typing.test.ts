import { describe, expect, it } from 'vitest';
import { CellKind, FLOAT32_MAX, parseCell } from '../../../engine/data/numbers';
import { inferTask, typeColumn } from '../../../engine/data/infer';
import { prepareDataset } from '../../../engine/data/prepare';
import { readTable } from '../../../engine/data/reader';
import type { DataProblem } from '../../../engine/data/types';
import { importError, readCsv, readData } from './helpers';

const out = new Float64Array(1);
const parse = (s: string, d: '.' | ',' = '.'): [number, number] => {
  const k = parseCell(s, d, out);
  return [k, k === CellKind.Text ? NaN : out[0]];
};

describe('number spellings', () => {
  it.each([
    ['12', 12],
    ['-0.5', -0.5],
    ['+3', 3],
    ['.5', 0.5],
    ['5.', 5],
    ['1e3', 1000],
    ['2E-2', 0.02],
    ['-1.25e+2', -125],
    ['007', 7],
    ['123456789012345678', 123456789012345680],
    ['0.1', 0.1],
    ['3.4028234663852886e38', FLOAT32_MAX],
  ])('%s is the number %d', (s, v) => {
    expect(parse(s)).toEqual([CellKind.Number, v]);
  });

  it.each([
    '0x1A',
    '0b101',
    '0o17',
    '1_000',
    '1.2.3',
    '12abc',
    'abc',
    '1e',
    '--1',
    '1,5',
    'e5',
    '+',
    '.',
    'Infinityx',
  ])('%s is text', (s) => {
    expect(parse(s)[0]).toBe(CellKind.Text);
  });

  it.each(['inf', 'Infinity', '-Inf', '1e999', '-2e400'])('%s is non-finite', (s) => {
    expect(parse(s)[0]).toBe(CellKind.NonFinite);
  });

  it('decimal comma: 1,5 is 1.5 and 1.5 is text', () => {
    expect(parse('1,5', ',')).toEqual([CellKind.Number, 1.5]);
    expect(parse('-,25', ',')).toEqual([CellKind.Number, -0.25]);
    expect(parse('2,5e3', ',')).toEqual([CellKind.Number, 2500]);
    expect(parse('1.5', ',')[0]).toBe(CellKind.Text);
    expect(parse('1,000,5', ',')[0]).toBe(CellKind.Text);
  });

  it('agrees with Number() on random decimal spellings (fast path is exact)', () => {
    for (let i = 0; i < 2000; i++) {
      const digits = String(Math.floor(Math.abs(Math.sin(i) * 1e15)));
      const k = i % digits.length;
      const s = (i % 3 === 0 ? '-' : '') + digits.slice(0, k) + '.' + digits.slice(k);
      expect(parse(s)[1]).toBe(Number(s));
    }
  });
});

describe('column typing, missing tokens and non-finite values', () => {
  it('default missing tokens: empty, NA, ?, null, N/A, NaN', () => {
    const t = readCsv('missing_values.csv');
    const [x, y] = t.columns;
    expect(x.missingCount).toBe(2);
    expect(y.missingCount).toBe(4);
    const p: DataProblem[] = [];
    expect(typeColumn(x, {}, p).type).toBe('numeric');
    expect(typeColumn(y, {}, p).type).toBe('numeric');
    expect(p).toEqual([]);
  });

  it('missing tokens are configurable', () => {
    const t = readTable('a,b\n1,-999\n2,3\n-999,4\n', { missingTokens: ['-999'] });
    expect(t.columns[0].missingCount).toBe(1);
    expect(t.columns[1].missingCount).toBe(1);
  });

  it('"NA" can be declared a real category in one column', () => {
    const t = readCsv('na_category.csv');
    const p: DataProblem[] = [];
    const plain = typeColumn(t.columns[0], {}, p);
    expect(plain.missingCount).toBe(2);
    expect(plain.categories).toEqual(['AS', 'EU']);
    const na = typeColumn(t.columns[0], { notMissing: ['NA'] }, p);
    expect(na.missingCount).toBe(0);
    expect(na.categories).toEqual(['AS', 'EU', 'NA']);
    expect(Array.from(na.catIndex ?? [])).toEqual([2, 1, 2, 0, 1]);
    // the empty sales cell is still missing
    expect(typeColumn(t.columns[1], { notMissing: ['NA'] }, p).missingCount).toBe(1);
  });

  it('non-finite and float32-overflow values are errors with line, row and column', () => {
    const t = readCsv('nonfinite.csv');
    const nf = t.problems.filter((p) => p.code === 'non-finite');
    expect(nf.map((p) => [p.line, p.row, p.column])).toEqual([
      [3, 2, 'x'],
      [4, 3, 'y'],
      [5, 4, 'y'],
    ]);
    expect(nf[1].message).toContain("'1e39'");
    expect(nf.every((p) => p.severity === 'error')).toBe(true);
  });

  it('many non-finite cells: the first five are listed, then a count', () => {
    const t = readTable('x,y\n' + Array.from({ length: 9 }, (_, i) => `inf,${i}`).join('\n') + '\n');
    expect(t.problems.filter((p) => p.code === 'non-finite').map((p) => p.line)).toEqual([2, 3, 4, 5, 6]);
    expect(t.problems).toContainEqual(
      expect.objectContaining({
        code: 'non-finite-more',
        column: 'x',
        message: expect.stringContaining('9 infinite'),
      }),
    );
  });

  it('identifiers never become numbers silently: hex stays text, 1E400-style ids are flagged', () => {
    const t = readCsv('identifiers.csv');
    const p: DataProblem[] = [];
    expect(typeColumn(t.columns[1], {}, p).type).toBe('categorical');
    const ids = t.problems.filter((q) => q.column === 'sample_id');
    expect(ids[0]).toMatchObject({ severity: 'error', code: 'non-finite', line: 2, row: 1 });
    // As an ignored column the problem is only information and the file is usable.
    const prep = prepareDataset(t, { columns: { sample_id: { role: 'ignore' } } });
    expect(
      prep.report.problems.filter((q) => q.column === 'sample_id').every((q) => q.severity === 'info'),
    ).toBe(true);
    // Declared categorical, the same cells are categories.
    expect(typeColumn(t.columns[0], { type: 'categorical' }, p).categories).toEqual([
      '1E400',
      '2E400',
      '3E400',
      '4E400',
    ]);
  });

  it('one text cell in a numeric column makes it categorical with a warning naming the cell', () => {
    const t = readCsv('mostly_numeric_typo.csv');
    const p: DataProblem[] = [];
    expect(typeColumn(t.columns[0], {}, p).type).toBe('categorical');
    expect(p).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'mostly-numeric',
        line: 21,
        row: 20,
        column: 'dose',
      }),
    ]);
    expect(p[0].message).toContain("'12,3x'");
    const forced: DataProblem[] = [];
    const c = typeColumn(t.columns[0], { type: 'numeric' }, forced);
    expect(c.invalidCount).toBe(1);
    expect(forced[0]).toMatchObject({ severity: 'error', code: 'not-a-number', line: 21, row: 20 });
  });

  it('numbers written with thousands separators stay text, with a warning naming the first cell', () => {
    for (const [text, first] of [
      ['x,y\n"1,234.5",1\n"12,000",0\n', '1,234.5'],
      ['x;y\n1.234,5;1\n2.000;0\n12,5;1\n', '1.234,5'],
      ["x,y\n1'234.5,1\n2'000,0\n", "1'234.5"],
    ]) {
      const p: DataProblem[] = [];
      const c = typeColumn(readTable(text).columns[0], {}, p);
      expect(c.type).toBe('categorical');
      expect(p).toEqual([
        expect.objectContaining({
          severity: 'warning',
          code: 'thousands-separator',
          line: 2,
          row: 1,
          column: 'x',
        }),
      ]);
      expect(p[0].message).toContain(`'${first}'`);
    }
    // ordinary text and ordinary numbers get no such warning
    const p: DataProblem[] = [];
    typeColumn(readTable('x,y\nred,1\n"1,5",0\n').columns[0], {}, p);
    typeColumn(readTable('x,y\n1234.5,1\n12000,0\n').columns[0], {}, p);
    expect(p).toEqual([]);
  });

  it('categorical values are trimmed strings', () => {
    const t = readTable('c,y\n  red ,1\nred,2\n blue,3\n');
    const c = typeColumn(t.columns[0], {}, []);
    expect(c.categories).toEqual(['blue', 'red']);
  });
});

describe('task inference', () => {
  const task = (file: string, opts = {}) => prepareDataset(readCsv(file), opts).report;

  it('string labels → multiclass with the ordered label list', () => {
    const r = task('string_labels.csv');
    expect(r.task).toBe('multiclass');
    expect(r.classes?.labels).toEqual(['setosa', 'versicolor', 'virginica']);
  });

  it('1, 1.0, 1.00 and 2, 2.0, 2.00 are two classes labelled "1" and "2"', () => {
    const p = prepareDataset(readCsv('integer_code_spellings.csv'), { split: { train: 1 } });
    expect(p.report.task).toBe('binary');
    expect(p.recipe.classes).toEqual(['1', '2']);
    expect(Array.from(p.targets)).toEqual([0, 0, 1, 1, 0, 1, 0, 1, 0, 1]);
  });

  it('class order can be given; labels missing from it are an error', () => {
    const p = prepareDataset(readCsv('string_labels.csv'), {
      classes: ['virginica', 'setosa', 'versicolor'],
      split: { train: 1 },
    });
    expect(Array.from(p.targets)).toEqual([1, 2, 0, 1, 2, 0]);
    const e = importError(() =>
      prepareDataset(readCsv('string_labels.csv'), { classes: ['setosa', 'virginica'] }),
    );
    expect(e.message).toContain("'versicolor'");
  });

  it('diabetes progression (214 distinct whole numbers) is regression', () => {
    const t = readData('diabetes.csv');
    const col = typeColumn(t.columns[10], {}, []);
    const inf = inferTask(col, 'auto');
    const distinct = new Set(Array.from(t.columns[10].values)).size;
    expect(inf.task).toBe('regression');
    expect(inf.distinct).toBe(distinct);
    expect(distinct).toBeGreaterThan(20);
  });

  it('every linnerud target (20 rows) is regression', () => {
    const t = readData('linnerud.csv');
    for (const name of ['weight', 'waist', 'pulse']) {
      const col = typeColumn(t.columns.find((c) => c.name === name) as never, {}, []);
      expect(inferTask(col, 'auto').task).toBe('regression');
    }
  });

  it('the threshold: ≤ 20 classes and ≥ 5 rows per class on average', () => {
    const rows = (k: number, n: number) =>
      'x,y\n' + Array.from({ length: n }, (_, i) => `${i},${i % k}`).join('\n') + '\n';
    const t = (k: number, n: number) =>
      inferTask(typeColumn(readTable(rows(k, n)).columns[1], {}, []), 'auto').task;
    expect(t(20, 100)).toBe('multiclass');
    expect(t(21, 1000)).toBe('regression');
    expect(t(10, 50)).toBe('multiclass');
    expect(t(10, 49)).toBe('regression');
    expect(t(2, 4)).toBe('binary');
  });

  it('a target with a single value is regression, and the reason says so', () => {
    const inf = inferTask(typeColumn(readTable('x,y\n1,3\n2,3\n3,3\n').columns[1], {}, []), 'auto');
    expect(inf.task).toBe('regression');
    expect(inf.reason).toBe('regression: the target has a single value, too few for classes');
  });

  it('the task can be overridden, and impossible overrides are clear errors', () => {
    const t = readData('iris.csv');
    expect(prepareDataset(t, { task: 'regression' }).report.task).toBe('regression');
    expect(importError(() => prepareDataset(t, { task: 'binary' })).message).toContain('exactly 2 classes');
    expect(
      importError(() => prepareDataset(readCsv('string_labels.csv'), { task: 'regression' })).message,
    ).toContain('cannot be a regression target');
  });
});
