import { describe, expect, it } from 'vitest';
import { detectEncoding } from '../../../engine/data/decode';
import { readTable } from '../../../engine/data/reader';
import { join } from 'node:path';
import { readTableFile } from '../../../src-main/cli/read-file';
import { CSV_DIR, columnValues, csvBytes, importError, readCsv } from './helpers';

const labelsOf = (t: ReturnType<typeof readCsv>, name: string): string[] => {
  const c = t.columns.find((x) => x.name === name);
  if (!c || !c.codes) throw new Error(`no codes for ${name}`);
  return Array.from(c.codes, (k) => c.labels[k]);
};

describe('encodings', () => {
  it('removes a UTF-8 byte-order mark from the first column name', () => {
    const t = readCsv('bom_utf8.csv');
    expect(t.dialect.encoding).toBe('utf-8');
    expect(t.dialect.bom).toBe(true);
    expect(t.columns.map((c) => c.name)).toEqual(['größe', 'label']);
    expect(columnValues(t, 'größe')).toEqual([1.5, 2.5]);
  });

  it.each([
    ['utf16le_bom.csv', 'utf-16le'],
    ['utf16be_bom.csv', 'utf-16be'],
  ])('decodes %s (UTF-16 with BOM)', (file, enc) => {
    const t = readCsv(file);
    expect(t.dialect.encoding).toBe(enc);
    expect(t.columns.map((c) => c.name)).toEqual(['größe', 'label']);
    expect(columnValues(t, 'größe')).toEqual([1.5, 2.5]);
    expect(labelsOf(t, 'label')).toEqual(['a', 'b']);
  });

  it('detects UTF-16 LE without a BOM from its zero bytes', () => {
    const text = 'x,y\n1,2\n3,4\n';
    const bytes = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; i++) bytes[2 * i] = text.charCodeAt(i);
    const t = readTable(bytes);
    expect(t.dialect.encoding).toBe('utf-16le');
    expect(columnValues(t, 'y')).toEqual([2, 4]);
  });

  it('reads Windows-1252 text (invalid as UTF-8) with accents and the euro sign', () => {
    const t = readCsv('windows1252.csv');
    expect(t.dialect.encoding).toBe('windows-1252');
    expect(labelsOf(t, 'name')).toEqual(['José', 'Renée', 'Šárka']);
    expect(labelsOf(t, 'city')).toEqual(['Zürich', 'Köln', '€uro']);
  });

  it('rejects bytes that are neither UTF-8 nor Windows-1252, naming the byte and offset', () => {
    const e = importError(() => readCsv('invalid_encoding.csv'));
    expect(e.message).toContain('neither UTF-8 nor Windows-1252');
    expect(e.message).toContain('0x81 at offset 6');
  });

  it('Windows-1252 bytes after the first 64 KiB: in memory the whole file is checked', () => {
    const t = readCsv('late_windows1252.csv');
    expect(t.dialect.encoding).toBe('windows-1252');
    expect(t.columns[1].labels).toEqual(['Paris', 'Zürich', 'Köln']);
  });

  it('Windows-1252 bytes after the first 64 KiB: a streamed file is read again, with a warning', async () => {
    const t = await readTableFile(join(CSV_DIR, 'late_windows1252.csv'));
    expect(t.dialect.encoding).toBe('windows-1252');
    expect(t.columns[1].labels).toEqual(['Paris', 'Zürich', 'Köln']);
    expect(t.problems[0]).toMatchObject({ severity: 'warning', code: 'encoding-fallback' });
    expect(t.problems[0].message).toContain('not valid utf-8');
  });

  it('rejects invalid UTF-8 when UTF-8 is chosen explicitly', () => {
    const e = importError(() => readTable(csvBytes('windows1252.csv'), { encoding: 'utf-8' }));
    expect(e.message).toMatch(/not valid utf-8/);
  });

  it('an explicit encoding overrides detection', () => {
    expect(detectEncoding(new Uint8Array([0x61, 0x2c, 0x62]), 'windows-1252')).toEqual({
      encoding: 'windows-1252',
      bomLength: 0,
    });
    expect(detectEncoding(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]), 'utf-8')).toEqual({
      encoding: 'utf-8',
      bomLength: 3,
    });
  });
});

describe('files that are not delimited text', () => {
  it.each([
    ['xlsx_signature.csv', 'ZIP archive (an .xlsx'],
    ['old_xls.csv', 'old Excel .xls'],
    ['json.csv', 'looks like JSON'],
    ['binary.csv', 'binary data (a zero byte at byte 2)'],
    ['empty.csv', 'empty (0 bytes)'],
    ['blank_only.csv', 'only blank lines'],
    ['header_only.csv', 'header row but no data rows'],
  ])('%s is refused with a clear message', (file, text) => {
    const e = importError(() => readCsv(file));
    expect(e.message).toContain(text);
    expect(e.problems[0].severity).toBe('error');
  });

  it('compressed files are told to decompress first; other formats to export CSV', () => {
    const gz = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
    expect(importError(() => readTable(gz)).message).toBe(
      'This file is a gzip-compressed file, not delimited text. Decompress it first (for example with 7-Zip or gunzip) and open the CSV file inside.',
    );
    const pdf = new TextEncoder().encode('%PDF-1.4\n');
    expect(importError(() => readTable(pdf)).message).toContain(
      'a PDF document, not delimited text. Export the data as CSV',
    );
  });

  it('a header-less file with one data row is not header-only', () => {
    const t = readTable('1,2,3\n', { header: false });
    expect(t.rowCount).toBe(1);
  });
});
