/**
 * Reading one cell as a number. Only the usual decimal spellings count as numeric:
 * optional sign, digits with an optional decimal separator ('.' or the chosen ','), and an
 * optional exponent — "12", "-0.5", ".5", "5.", "+1e-3", "2E10". JavaScript's wider Number()
 * grammar (hex "0x1A", "Infinity", "1_000", whitespace-only) is NOT numeric here, so identifiers
 * never become numbers by accident. Explicit infinities ("inf", "Infinity", "-Inf") are recognised
 * only so that they can be reported as non-finite values.
 *
 * Invariants: results are float64; the float32 range check is separate (`FLOAT32_MAX`).
 */
import type { DecimalSeparator } from './types';

/** Largest finite float32, (2 − 2⁻²³)·2¹²⁷. */
export const FLOAT32_MAX = 3.4028234663852886e38;

const DOT_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const COMMA_NUMBER = /^[+-]?(?:\d+,?\d*|,\d+)(?:[eE][+-]?\d+)?$/;
const INFINITY = /^[+-]?(?:inf|infinity)$/i;

/** Cell classification result codes. */
export const CellKind = {
  Number: 0,
  Text: 1,
  /** Explicit infinity, or a number too large for float64 (parses as ±Infinity). */
  NonFinite: 2,
} as const;
export type CellKind = (typeof CellKind)[keyof typeof CellKind];

/**
 * Parse a trimmed, non-missing cell. Returns the value through `out[0]` and the kind.
 * @param s trimmed cell text
 * @param decimal the decimal separator of the file
 */
export function parseCell(s: string, decimal: DecimalSeparator, out: Float64Array): CellKind {
  const n = s.length;
  if (n === 0) return CellKind.Text;
  const fast = fastDecimal(s, decimal === ',' ? 44 : 46);
  if (fast === fast) {
    out[0] = fast;
    return CellKind.Number;
  }
  let t = s;
  if (decimal === ',') {
    // Decimal comma: a '.' is never part of a number (no thousands separators).
    if (s.indexOf('.') >= 0) return CellKind.Text;
    const k = s.indexOf(',');
    if (k >= 0) {
      if (s.indexOf(',', k + 1) >= 0) return CellKind.Text;
      t = s.slice(0, k) + '.' + s.slice(k + 1);
    }
  }
  // Fast path: Number() parses (in C++); its extra grammar is excluded below.
  const v = +t;
  if (v === v) {
    const c0 = t.charCodeAt(0);
    const last = t.charCodeAt(t.length - 1);
    // Decimal spellings start with a digit, sign or point and end with a digit or point; this rules
    // out "Infinity", and the regex below settles the rest (hex 0x.., binary 0b.., octal 0o..).
    const startOk = (c0 >= 48 && c0 <= 57) || c0 === 43 || c0 === 45 || c0 === 46;
    const endOk = (last >= 48 && last <= 57) || last === 46;
    if (startOk && endOk && (n < 2 || !isRadixPrefixed(t))) {
      out[0] = v;
      return Number.isFinite(v) ? CellKind.Number : CellKind.NonFinite;
    }
    if (!DOT_NUMBER.test(t)) return INFINITY.test(t) ? setInf(t, out) : CellKind.Text;
    out[0] = v;
    return Number.isFinite(v) ? CellKind.Number : CellKind.NonFinite;
  }
  return INFINITY.test(t) ? setInf(t, out) : CellKind.Text;
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * Exact fast path for the common spelling [+-]digits[.digits] with at most 15 digits: the
 * mantissa is an exact integer < 2⁵³ and 10^k (k ≤ 22) is exact, so one IEEE division gives the
 * correctly rounded value (Clinger, "How to read floating point numbers accurately", 1990).
 * Returns NaN when the cell needs the general path.
 */
function fastDecimal(s: string, point: number): number {
  const n = s.length;
  let i = 0;
  let c = s.charCodeAt(0);
  const neg = c === 45;
  if (neg || c === 43) i = 1;
  let mant = 0;
  let digits = 0;
  let frac = 0;
  let dot = false;
  for (; i < n; i++) {
    c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++digits > 15) return NaN;
      mant = mant * 10 + (c - 48);
      if (dot) frac++;
    } else if (c === point && !dot) dot = true;
    else return NaN;
  }
  if (digits === 0) return NaN;
  const v = frac > 0 ? mant / POW10[frac] : mant;
  return neg ? -v : v;
}

/** "0x1A", "0b10", "0o7" (also after a sign, which Number() rejects anyway). */
function isRadixPrefixed(t: string): boolean {
  const c1 = t.charCodeAt(1) | 32;
  return t.charCodeAt(0) === 48 && (c1 === 120 || c1 === 98 || c1 === 111);
}

function setInf(t: string, out: Float64Array): CellKind {
  out[0] = t.startsWith('-') ? -Infinity : Infinity;
  return CellKind.NonFinite;
}

/** True when the trimmed text is a number in the given decimal convention. */
export function looksNumeric(s: string, decimal: DecimalSeparator): boolean {
  return decimal === ',' ? COMMA_NUMBER.test(s) : DOT_NUMBER.test(s);
}

/** "1,5" / ",5" / "-2,25e3": a number written with a decimal comma (and no dot). */
export const DECIMAL_COMMA_FIELD = /^[+-]?\d*,\d+(?:[eE][+-]?\d+)?$/;
/** "1.5" / ".5": a number written with a decimal point. */
export const DECIMAL_DOT_FIELD = /^[+-]?\d*\.\d+(?:[eE][+-]?\d+)?$/;
