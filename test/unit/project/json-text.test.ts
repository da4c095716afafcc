import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ProjectFileError } from '../../../engine/project/errors';
import {
  decodeUtf8,
  findJsonSyntaxError,
  parseJsonText,
  positionAt,
} from '../../../engine/project/json-text';
import { MAX_JSON_DEPTH } from '../../../engine/project/json-value';

function catchError(f: () => unknown): ProjectFileError {
  try {
    f();
  } catch (e) {
    if (e instanceof ProjectFileError) return e;
    throw e;
  }
  throw new Error('expected a ProjectFileError');
}

describe('JSON syntax errors with line and column', () => {
  it.each([
    // text, line, column, words in the message — positions counted by hand (1-based)
    ['{"a": }', 1, 7, "unexpected '}' (expected a value)"],
    ['{\n  "a": 1,\n}', 3, 1, 'expected a property name'],
    ['[1, 2', 1, 6, 'unexpected end of the file'],
    ['{"a" 1}', 1, 6, "expected ':'"],
    ['[1 2]', 1, 4, "expected ',' or ']'"],
    ['{"a": 1}\n  x', 2, 3, 'after the end of the JSON value'],
    ['', 1, 1, 'the file is empty'],
    ['{"a": "x\ty"}', 1, 9, 'control character U+0009'],
    ['{"a": "\\q"}', 1, 8, 'invalid escape'],
    ['{"a": "\\u12G4"}', 1, 8, 'invalid \\u escape'],
    ['[01]', 1, 3, "expected ',' or ']'"],
    ['[1.]', 1, 4, 'after the decimal point'],
    ['[1e+]', 1, 5, 'in the exponent'],
    ['[-]', 1, 3, 'expected a digit'],
    ['{"a": tru}', 1, 7, "unexpected 't'"],
    ['["abc', 1, 2, 'unterminated string'],
    ['{"a":1,}', 1, 8, 'expected a property name'],
    ['[1,]', 1, 4, "unexpected ']'"],
    ["{'a': 1}", 1, 2, 'expected a property name in double quotes'],
    ['\r\n\r\n  {', 3, 4, 'unexpected end of the file'],
  ])('%j → line %i, column %i', (text, line, column, words) => {
    const err = catchError(() => parseJsonText(text));
    expect(err.code).toBe('invalid-json');
    expect(err.position).toMatchObject({ line, column });
    expect(err.message).toContain(words);
    expect(err.message).toContain(`line ${line}, column ${column}`);
  });

  it('positionAt counts lines at \\n and columns in UTF-16 units', () => {
    expect(positionAt('ab\ncd\nef', 7)).toEqual({ line: 3, column: 2, offset: 7 });
    expect(positionAt('x', 0)).toEqual({ line: 1, column: 1, offset: 0 });
  });

  const syntaxChars = fc.constantFrom(...'{}[]:,"\\ 0123456789.eE+-tfnrulase\n\tx'.split(''));
  it('the scanner accepts exactly what JSON.parse accepts (random near-JSON text)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: syntaxChars, maxLength: 14 }),
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc
            .tuple(
              fc.jsonValue().map((v) => JSON.stringify(v, null, 1)),
              fc.nat(),
              syntaxChars,
            )
            .map(([t, i, c]) => t.slice(0, i % (t.length + 1)) + c + t.slice(i % (t.length + 1))),
        ),
        (text) => {
          let ok = true;
          try {
            JSON.parse(text);
          } catch {
            ok = false;
          }
          expect(findJsonSyntaxError(text) === null).toBe(ok);
        },
      ),
      { numRuns: 800 },
    );
  });

  it('accepts a leading byte-order mark', () => {
    expect(parseJsonText('\uFEFF{"a": 1}')).toEqual({ a: 1 });
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} levels, but allows exactly ${MAX_JSON_DEPTH}`, () => {
    const nest = (d: number): string => '['.repeat(d) + ']'.repeat(d);
    expect(() => parseJsonText(nest(MAX_JSON_DEPTH))).not.toThrow();
    expect(catchError(() => parseJsonText(nest(MAX_JSON_DEPTH + 1))).code).toBe('too-deep');
    expect(catchError(() => parseJsonText(nest(100_000))).code).toBe('too-deep');
  });

  it('the scanner survives 100 000 unclosed brackets without recursion', () => {
    expect(findJsonSyntaxError('['.repeat(100_000))?.message).toContain('unexpected end');
  });
});

describe('decodeUtf8', () => {
  it('decodes UTF-8 and refuses invalid sequences', () => {
    expect(decodeUtf8(new Uint8Array([0x7b, 0xc3, 0xa9, 0x7d]))).toBe('{é}');
    const err = catchError(() => decodeUtf8(new Uint8Array([0x7b, 0xff, 0x7d])));
    expect(err.code).toBe('not-utf8');
  });
});
