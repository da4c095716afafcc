import { describe, expect, it } from 'vitest';
import { formatAge, formatMetric, formatPercent } from '../../../src-renderer/lib/format';

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const MIN = 60_000;

describe('formatAge', () => {
  it('reads ISO strings and epoch milliseconds alike', () => {
    expect(formatAge(new Date(NOW - 5 * MIN).toISOString(), NOW)).toBe('5 min ago');
    expect(formatAge(NOW - 5 * MIN, NOW)).toBe('5 min ago');
  });
  it('walks through the units', () => {
    expect(formatAge(NOW - 10_000, NOW)).toBe('just now');
    expect(formatAge(NOW - 59 * MIN, NOW)).toBe('59 min ago');
    expect(formatAge(NOW - 3 * 60 * MIN, NOW)).toBe('3 h ago');
    expect(formatAge(NOW - 24 * 60 * MIN, NOW)).toBe('yesterday');
    expect(formatAge(NOW - 4 * 24 * 60 * MIN, NOW)).toBe('4 days ago');
    expect(formatAge(Date.UTC(2026, 0, 2, 8), NOW)).toBe('2026-01-02');
  });
  it('treats future times as now and bad input as empty', () => {
    expect(formatAge(NOW + 5 * MIN, NOW)).toBe('just now');
    expect(formatAge('not a date', NOW)).toBe('');
  });
});

describe('formatMetric', () => {
  it('gives 4 significant digits in the normal range', () => {
    expect(formatMetric(0.693147)).toBe('0.6931');
    expect(formatMetric(12.34567)).toBe('12.35');
  });
  it('switches to exponent form for tiny and huge values', () => {
    expect(formatMetric(0.000012345)).toBe('1.23e-5');
    expect(formatMetric(123456)).toBe('1.23e+5');
  });
  it('names the special values', () => {
    expect(formatMetric(0)).toBe('0');
    expect(formatMetric(Number.NaN)).toBe('NaN');
    expect(formatMetric(Infinity)).toBe('∞');
    expect(formatMetric(-Infinity)).toBe('−∞');
  });
});

describe('formatPercent', () => {
  it('rounds and clamps', () => {
    expect(formatPercent(0.456)).toBe('46%');
    expect(formatPercent(1.7)).toBe('100%');
    expect(formatPercent(-1)).toBe('0%');
    expect(formatPercent(Number.NaN)).toBe('0%');
  });
});
