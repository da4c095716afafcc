import { describe, expect, it } from 'vitest';
import { DataImportError, ImportCancelledError } from '../../../engine/data/problems';
import { readTable, readTableStream } from '../../../engine/data/reader';
import { uniqueNames } from '../../../engine/data/columns';
import { columnValues, csvBytes, readCsv } from './helpers';

const labels = (t: ReturnType<typeof readTable>, name: string): string[] => {
  const c = t.columns.find((x) => x.name === name);
  if (!c?.codes) throw new Error(name);
  return Array.from(c.codes, (k) => c.labels[k]);
};

describe('delimiter, decimal separator and header detection', () => {
  it('semicolon file with decimal commas', () => {
    const t = readCsv('semicolon_decimal_comma.csv');
    expect(t.dialect).toMatchObject({ delimiter: ';', decimal: ',', header: true, newline: '\n' });
    expect(columnValues(t, 'height_m')).toEqual([1.62, 1.8, -0.5, 0.25]);
    expect(columnValues(t, 'weight_kg')).toEqual([55.5, 80, 150, 70.25]);
  });

  it('1.234,5 votes for a decimal comma; 2.000 votes for neither separator', () => {
    expect(readTable('x;y\n1.234,5;1\n2.000;0\n7;1\n').dialect.decimal).toBe(',');
    expect(readTable('x;y\n12,5;1\n2.000;0\n').dialect.decimal).toBe(',');
    expect(readTable('x;y\n2.000;1\n3.500;0\n').dialect.decimal).toBe('.');
    expect(readTable('x;y\n0,5;1\n2.25;0\n').dialect.decimal).toBe('.');
  });

  it.each([
    ['tab_separated.csv', '\t'],
    ['pipe_separated.csv', '|'],
  ])('%s', (file, d) => {
    const t = readCsv(file);
    expect(t.dialect.delimiter).toBe(d);
    expect(t.columns.map((c) => c.name)).toEqual(['x', 'y', 'label']);
    expect(t.rowCount).toBe(3);
  });

  it("Excel's sep=; first line sets the delimiter and is skipped (line numbers still count it)", () => {
    const t = readCsv('excel_sep_line.csv');
    expect(t.dialect).toMatchObject({ delimiter: ';', decimal: ',', header: true, newline: '\r\n' });
    expect(t.columns.map((c) => c.name)).toEqual(['name', 'value', 'label']);
    expect(columnValues(t, 'value')).toEqual([1.5, 2.5]);
    expect(Array.from(t.lines)).toEqual([3, 4]);
  });

  it('delimiter and decimal can be overridden', () => {
    const t = readTable('a;b\n1,5;2\n', { delimiter: ',', decimal: '.', header: true });
    expect(t.columns.map((c) => c.name)).toEqual(['a;b']);
    expect(t.problems.map((p) => p.code)).toContain('field-count');
  });

  it('a numeric first row means no header; columns get names', () => {
    const t = readCsv('no_header.csv');
    expect(t.dialect.header).toBe(false);
    expect(t.columns.map((c) => c.name)).toEqual(['column_1', 'column_2', 'column_3']);
    expect(t.rowCount).toBe(4);
    expect(columnValues(t, 'column_1')).toEqual([5.1, 4.9, 6.2, 5.9]);
  });

  it('header override: header: false keeps the first row as data', () => {
    const t = readTable('a,b\nc,d\ne,f\n', { header: false });
    expect(t.rowCount).toBe(3);
    expect(labels(t, 'column_1')).toEqual(['a', 'c', 'e']);
  });

  it('an all-text file whose first row repeats below is header-less', () => {
    expect(readTable('x,y\nx,z\nw,y\n').dialect.header).toBe(false);
    expect(readTable('name,colour\nann,red\nbob,blue\n').dialect.header).toBe(true);
  });
});

describe('quotes, line endings, blank lines and line numbers', () => {
  it('quoted fields with delimiters, doubled quotes and CRLF newlines inside', () => {
    const t = readCsv('quoted_crlf.csv');
    expect(t.dialect.newline).toBe('\r\n');
    expect(labels(t, 'comment')).toEqual(['plain', 'has, comma', 'has "quotes"', 'two\r\nlines', 'last']);
    expect(columnValues(t, 'score')).toEqual([10, 20, 30, 40, 50]);
    // Row 4 starts on line 5 and spans two lines, so row 5 is on line 7.
    expect(Array.from(t.lines)).toEqual([2, 3, 4, 5, 7]);
  });

  it('old Mac CR line endings', () => {
    const t = readCsv('cr_only.csv');
    expect(t.dialect.newline).toBe('\r');
    expect(columnValues(t, 'b')).toEqual([2, 4]);
  });

  it('trailing blank lines are ignored silently; interior ones are reported as info', () => {
    const a = readCsv('trailing_blank_lines.csv');
    expect(a.rowCount).toBe(2);
    expect(a.problems).toEqual([]);
    const b = readCsv('interior_blank_line.csv');
    expect(b.rowCount).toBe(2);
    expect(b.problems).toEqual([expect.objectContaining({ severity: 'info', code: 'blank-line', line: 3 })]);
    expect(Array.from(b.lines)).toEqual([2, 4]);
  });

  it('rows with the wrong number of fields are errors with line and expected/found counts', () => {
    const t = readCsv('wrong_field_count.csv');
    const fc = t.problems.filter((p) => p.code === 'field-count');
    expect(fc).toHaveLength(2);
    expect(fc[0]).toMatchObject({ severity: 'error', line: 4 });
    expect(fc[0].message).toContain('expected 3 fields but found 2');
    expect(fc[1]).toMatchObject({ line: 5 });
    expect(fc[1].message).toContain('expected 3 fields but found 4');
    expect(columnValues(t, 'a')).toEqual([1, 4, 13]);
  });

  it('one extra, empty last field (a trailing delimiter) is tolerated with an info note', () => {
    const t = readTable('a,b\n1,2,\n3,4,\n');
    expect(columnValues(t, 'b')).toEqual([2, 4]);
    expect(t.problems).toEqual([
      expect.objectContaining({ severity: 'info', code: 'trailing-delimiter', line: 2 }),
    ]);
  });

  it('badRows: skip turns them into warnings', () => {
    const t = readTable(csvBytes('wrong_field_count.csv'), { badRows: 'skip' });
    expect(t.problems.every((p) => p.severity === 'warning')).toBe(true);
    expect(t.rowCount).toBe(3);
  });

  it('an unterminated quote is an error naming its line', () => {
    const t = readCsv('unterminated_quote.csv');
    expect(t.problems).toContainEqual(
      expect.objectContaining({ severity: 'error', code: 'unterminated-quote', line: 3 }),
    );
  });
});

describe('column names', () => {
  it('blank and duplicate names are made unique and reported', () => {
    const t = readCsv('duplicate_names.csv');
    expect(t.columns.map((c) => c.name)).toEqual(['a', 'a_2', 'column_3', 'b', 'a_3']);
    const renamed = t.problems.filter((p) => p.code === 'column-renamed');
    expect(renamed.map((p) => p.column)).toEqual(['a_2', 'column_3', 'a_3']);
    expect(renamed.every((p) => p.severity === 'warning' && p.line === 1)).toBe(true);
  });

  it('a generated name never collides with a real one', () => {
    expect(uniqueNames(['column_2', '', 'x', 'x_2', 'x']).names).toEqual([
      'column_2',
      'column_2_2',
      'x',
      'x_2',
      'x_3',
    ]);
  });
});

describe('streaming', () => {
  const text =
    'id,note,v\n' +
    Array.from({ length: 3000 }, (_, i) =>
      i % 7 === 0 ? `${i},"multi\nline, ""q""",${i / 4}` : `${i},plain ${i},${i / 4}`,
    ).join('\n') +
    '\n';
  const bytes = new TextEncoder().encode(text);

  it('gives the same table for any chunking, including splits inside quotes and characters', async () => {
    const whole = readTable(bytes);
    for (const size of [7, 4096, 65537]) {
      const chunks: Uint8Array[] = [];
      for (let o = 0; o < bytes.length; o += size) chunks.push(bytes.subarray(o, o + size));
      const t = await readTableStream(chunks);
      expect(t.rowCount).toBe(3000);
      expect(Array.from(t.lines)).toEqual(Array.from(whole.lines));
      expect(Array.from(t.columns[2].values)).toEqual(Array.from(whole.columns[2].values));
      expect(t.columns[1].labels).toEqual(whole.columns[1].labels);
    }
    // 3000 rows, and every 7th spans two lines: row i starts on line 2 + i + ceil(i/7).
    expect(whole.lines[8]).toBe(2 + 8 + 2);
  });

  it('splits a multi-byte UTF-8 character across chunks correctly', async () => {
    const b = new TextEncoder().encode('név,ár\nälmå,1\n');
    const chunks = Array.from(b, (x) => new Uint8Array([x]));
    const t = await readTableStream(chunks);
    expect(t.columns.map((c) => c.name)).toEqual(['név', 'ár']);
    expect(t.columns[0].labels).toEqual(['älmå']);
  });

  it('reports progress and can be cancelled', async () => {
    const seen: number[] = [];
    const chunks: Uint8Array[] = [];
    for (let o = 0; o < bytes.length; o += 10000) chunks.push(bytes.subarray(o, o + 10000));
    await readTableStream(
      chunks,
      {},
      { totalBytes: bytes.length, onProgress: (p) => seen.push(p.bytesRead) },
    );
    expect(seen).toHaveLength(chunks.length);
    expect(seen[seen.length - 1]).toBe(bytes.length);
    const signal = { aborted: false };
    const p = readTableStream(
      chunks,
      {},
      { signal, onProgress: (q) => (signal.aborted = q.bytesRead >= 30000) },
    );
    await expect(p).rejects.toBeInstanceOf(ImportCancelledError);
  });
});

describe('a quote left open in the header', () => {
  it('is reported as unterminated-quote on line 1, not as a file without data rows', () => {
    let err: unknown = null;
    try {
      readTable('x,"unterminated\n1,2\n');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataImportError);
    const e = err as DataImportError;
    expect(e.message).toContain('Line 1');
    expect(e.message).not.toContain('no data rows');
    expect(e.problems[0]).toMatchObject({ severity: 'error', code: 'unterminated-quote', line: 1 });
  });

  it('a header-only file still says it has no data rows', () => {
    expect(() => readTable('x,y\n')).toThrow(/no data rows/);
  });
});
