/**
 * Dialect detection on the first part of the decoded text: line ending, delimiter (comma,
 * semicolon, tab, pipe), decimal separator and whether the first row is a header.
 *
 * Delimiter rule: parse the sample with each candidate; a candidate qualifies when its most common
 * field count is ≥ 2; the one with the largest share of records at that count wins; ties go to
 * the candidate whose fields contain fewer other candidate characters (a decimal comma inside a
 * semicolon file does not count), then to the order , ; tab |.
 * Decimal rule: ',' when the sample has numbers written with a decimal comma (12,5 or 1.234,5) and
 * none with a decimal point (the delimiter is then not ','), else '.'. A field like 2.000 (one group of
 * three digits after the point) could be either and is not counted.
 * Header rule: the first row is a header unless, in every column where it matters, it looks like
 * data — i.e. it is numeric wherever most sample values are numeric, and when no column is
 * numeric, one of its values reappears below it in the same column.
 */
import Papa from 'papaparse';
import { DECIMAL_COMMA_FIELD, DECIMAL_DOT_FIELD, looksNumeric } from './numbers';
import type { DecimalSeparator, Delimiter, Newline } from './types';

export const DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|'];
const SAMPLE_RECORDS = 60;

/** Name of a delimiter for messages. */
export function delimiterName(d: string): string {
  return d === '\t'
    ? 'tab'
    : d === ','
      ? 'comma'
      : d === ';'
        ? 'semicolon'
        : d === '|'
          ? 'pipe'
          : JSON.stringify(d);
}

/** The first line break outside quotes decides the newline convention (default '\n'). */
export function detectNewline(text: string): Newline {
  let inQuotes = false;
  const n = Math.min(text.length, 1 << 20);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) inQuotes = !inQuotes;
    else if (!inQuotes && c === 13) return text.charCodeAt(i + 1) === 10 ? '\r\n' : '\r';
    else if (!inQuotes && c === 10) return '\n';
  }
  return '\n';
}

/** Parse up to SAMPLE_RECORDS complete records of `sample`, dropping blank ones. */
export function sampleRecords(
  sample: string,
  delimiter: string,
  newline: Newline,
  complete: boolean,
): string[][] {
  const res = Papa.parse<string[]>(sample, {
    delimiter,
    newline,
    quoteChar: '"',
    preview: SAMPLE_RECORDS + 1,
  });
  let rows = res.data;
  // The last record of a truncated sample may be cut in half.
  if (!complete && rows.length > SAMPLE_RECORDS) rows = rows.slice(0, SAMPLE_RECORDS);
  else if (!complete && rows.length > 1) rows = rows.slice(0, -1);
  return rows.filter((r) => !(r.length === 1 && r[0].trim() === ''));
}

function modal(counts: number[]): { value: number; share: number } {
  const m = new Map<number, number>();
  for (const c of counts) m.set(c, (m.get(c) ?? 0) + 1);
  let best = 0;
  let bestN = 0;
  for (const [v, n] of m) if (n > bestN || (n === bestN && v > best)) [best, bestN] = [v, n];
  return { value: best, share: counts.length ? bestN / counts.length : 0 };
}

/**
 * Detect the delimiter of a text sample.
 * @param complete true when the sample is the whole file
 * @returns the delimiter; ',' for single-column files.
 */
export function detectDelimiter(sample: string, newline: Newline, complete: boolean): Delimiter {
  let best: { d: Delimiter; share: number; foreign: number } | null = null;
  for (const d of DELIMITERS) {
    const rows = sampleRecords(sample, d, newline, complete);
    if (rows.length === 0) continue;
    const { value, share } = modal(rows.map((r) => r.length));
    if (value < 2) continue;
    let foreign = 0;
    for (const r of rows) {
      for (const f of r) {
        for (const o of DELIMITERS) {
          if (o !== d && f.includes(o) && !(o === ',' && DECIMAL_COMMA_FIELD.test(f.trim()))) foreign++;
        }
      }
    }
    if (
      !best ||
      share > best.share + 1e-9 ||
      (Math.abs(share - best.share) <= 1e-9 && foreign < best.foreign)
    ) {
      best = { d, share, foreign };
    }
  }
  return best?.d ?? ',';
}

/** 1.234,5: point thousands groups and a decimal comma (only a decimal-comma file writes this). */
const POINT_GROUPED_COMMA_DECIMAL = /^[+-]?\d{1,3}(?:\.\d{3})+,\d+$/;
/** 2.000: a decimal point or a thousands group; it votes for neither separator. */
const POINT_GROUPED_INTEGER = /^[+-]?\d{1,3}\.\d{3}$/;

/** Detect the decimal separator from the sample's fields (see module header). */
export function detectDecimal(rows: string[][], delimiter: Delimiter): DecimalSeparator {
  let comma = 0;
  let dot = 0;
  for (const r of rows) {
    for (const raw of r) {
      const f = raw.trim();
      if (DECIMAL_COMMA_FIELD.test(f) || POINT_GROUPED_COMMA_DECIMAL.test(f)) comma++;
      else if (DECIMAL_DOT_FIELD.test(f) && !POINT_GROUPED_INTEGER.test(f)) dot++;
    }
  }
  return comma > 0 && dot === 0 && delimiter !== ',' ? ',' : '.';
}

/**
 * Decide whether the first sampled row is a header (see module header).
 * @param rows sampled records, first one included; `isMissing` recognises missing tokens.
 */
export function detectHeader(
  rows: string[][],
  decimal: DecimalSeparator,
  isMissing: (s: string) => boolean,
): boolean {
  if (rows.length < 2) {
    // A single row: a header if any cell is non-numeric text.
    return rows.length === 1 && rows[0].some((c) => !looksNumeric(c.trim(), decimal));
  }
  const first = rows[0];
  const rest = rows.slice(1);
  let numericColumns = 0;
  for (let j = 0; j < first.length; j++) {
    let num = 0;
    let seen = 0;
    for (const r of rest) {
      const v = (r[j] ?? '').trim();
      if (isMissing(v)) continue;
      seen++;
      if (looksNumeric(v, decimal)) num++;
    }
    if (seen > 0 && num / seen >= 0.8) {
      numericColumns++;
      const h = (first[j] ?? '').trim();
      if (!looksNumeric(h, decimal) && !isMissing(h)) return true;
    }
  }
  if (numericColumns > 0) return false;
  // All-text sample: a first-row value that recurs in its column is data, not a name.
  for (let j = 0; j < first.length; j++) {
    const h = (first[j] ?? '').trim();
    if (h !== '' && rest.some((r) => (r[j] ?? '').trim() === h)) return false;
  }
  return true;
}
