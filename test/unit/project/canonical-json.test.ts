import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NotJsonError, stringifyCanonical } from '../../../engine/project/canonical-json';
import { arbJsonValue } from './helpers';

describe('stringifyCanonical', () => {
  it('writes identity keys first, then the rest in code-unit order, whatever the insertion order', () => {
    const a = stringifyCanonical({ z: 1, b: [1, { y: 2, x: { q: 1, p: [] } }], version: 2, id: 'n', B: 0 });
    const b = stringifyCanonical({ B: 0, id: 'n', b: [1, { x: { p: [], q: 1 }, y: 2 }], z: 1, version: 2 });
    expect(a).toBe(b);
    expect(a).toBe(
      [
        '{',
        '  "id": "n",',
        '  "version": 2,',
        '  "B": 0,',
        '  "b": [',
        '    1,',
        '    {',
        '      "x": { "p": [], "q": 1 },',
        '      "y": 2',
        '    }',
        '  ],',
        '  "z": 1',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('puts containers of primitives on one line, keeps −0, and ends with a newline', () => {
    expect(stringifyCanonical({ shape: [4, 3], m: { loss: 0.5, acc: -0 }, e: [], o: {} })).toBe(
      '{\n  "e": [],\n  "m": { "acc": -0, "loss": 0.5 },\n  "o": {},\n  "shape": [4, 3]\n}\n',
    );
    expect(Object.is(JSON.parse(stringifyCanonical(-0)), -0)).toBe(true);
  });

  it('writes the shortest round-tripping number form', () => {
    expect(stringifyCanonical([0.1, 1e21, 5e-324, 123456789012345680000])).toBe(
      '[0.1, 1e+21, 5e-324, 123456789012345680000]\n',
    );
  });

  it.each([
    [{ a: [1, NaN] }, '$.a[1]'],
    [{ a: { 'b c': Infinity } }, '$.a["b c"]'],
    [{ a: [undefined] }, '$.a[0]'],
    [{ a: new Date(0) }, '$.a'],
    [{ f: () => 1 }, '$.f'],
  ])('refuses %o at %s', (value, path) => {
    let err: unknown;
    try {
      stringifyCanonical(value);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NotJsonError);
    expect((err as NotJsonError).path).toBe(path);
  });

  it('refuses cycles', () => {
    const o: Record<string, unknown> = { k: [1] };
    o.self = { o };
    expect(() => stringifyCanonical(o)).toThrow(/cycle/);
  });

  it('JSON.parse(stringifyCanonical(v)) equals v (−0 and "__proto__" keys included), and the text is a fixed point', () => {
    fc.assert(
      fc.property(arbJsonValue, (v) => {
        const text = stringifyCanonical(v);
        const back = JSON.parse(text);
        expect(back).toEqual(v);
        expect(stringifyCanonical(back)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});
