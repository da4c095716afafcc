import { describe, expect, it } from 'vitest';
import { getNodeType, type ParamSpec } from '../../../engine/graph';
import { formatParamValue, parseParamInput, rangeHint } from '../../../src-renderer/editor/param-input';

const spec = (type: string, name: string): ParamSpec =>
  getNodeType(type)!.params.find((p) => p.name === name)!;

describe('parseParamInput', () => {
  it('accepts integers, auto and refuses fractions for Dense units', () => {
    const units = spec('Dense', 'units');
    expect(parseParamInput(units, ' 32 ')).toEqual({ ok: true, value: 32 });
    expect(parseParamInput(units, 'AUTO')).toEqual({ ok: true, value: 'auto' });
    const r = parseParamInput(units, '2.5');
    expect(r.ok).toBe(false);
    expect(parseParamInput(units, '0').ok).toBe(false);
    expect(parseParamInput(units, 'abc').ok).toBe(false);
    expect(parseParamInput(units, '').ok).toBe(false);
  });

  it('reads a decimal comma and enforces an open upper bound (Dropout rate in [0, 1))', () => {
    const rate = spec('Dropout', 'rate');
    expect(parseParamInput(rate, '0,25')).toEqual({ ok: true, value: 0.25 });
    expect(parseParamInput(rate, '1').ok).toBe(false);
    expect(rangeHint(rate)).toBe('[0, 1)');
  });

  it('accepts exponents and refuses non-finite numbers', () => {
    const lr = spec('Optimizer.adam', 'lr');
    expect(parseParamInput(lr, '1e-3')).toEqual({ ok: true, value: 0.001 });
    expect(parseParamInput(lr, 'Infinity').ok).toBe(false);
    expect(parseParamInput(lr, '1e999').ok).toBe(false);
  });

  it('formats values back to field text', () => {
    expect(formatParamValue(null)).toBe('');
    expect(formatParamValue(0.001)).toBe('0.001');
    expect(formatParamValue('auto')).toBe('auto');
    expect(formatParamValue([1, 2])).toBe('[1,2]');
  });
});
