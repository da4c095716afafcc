// Property tests (fast-check): CSV write → import round trip, and scaling → inverse identity.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeCsv } from '../../../engine/data/csv-writer';
import { CellKind, parseCell } from '../../../engine/data/numbers';
import { readTable } from '../../../engine/data/reader';
import { applyScaler, columnStats, fitScaler, invertScaler } from '../../../engine/data/scaling';
import { DEFAULT_MISSING_TOKENS, type Delimiter } from '../../../engine/data/types';

const tmp = new Float64Array(1);
const CHARS = [
  'a',
  'b',
  'Z',
  'é',
  '€',
  '漢',
  ' ',
  ',',
  ';',
  '|',
  '\t',
  '"',
  '\n',
  '\r\n',
  '1',
  '.',
  '-',
  'x',
];
const text = fc
  .array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 8 })
  .map((a) => a.join(''))
  .filter(
    (s) =>
      s === s.trim() &&
      s !== '' &&
      !DEFAULT_MISSING_TOKENS.includes(s) &&
      parseCell(s, '.', tmp) === CellKind.Text,
  );
const number = fc.double({ min: -3e38, max: 3e38, noNaN: true, noDefaultInfinity: true });

const table = fc.integer({ min: 1, max: 5 }).chain((cols) =>
  fc.record({
    names: fc.uniqueArray(text, { minLength: cols, maxLength: cols }),
    kinds: fc.array(fc.boolean(), { minLength: cols, maxLength: cols }),
    rows: fc.integer({ min: 1, max: 15 }),
    delimiter: fc.constantFrom<Delimiter>(',', ';', '\t', '|'),
    newline: fc.constantFrom('\n', '\r\n'),
    seed: fc.integer(),
  }),
);

describe('round trip: written CSV re-imports to the same values', () => {
  it('numbers exactly, text exactly, names exactly', () => {
    fc.assert(
      fc.property(
        table.chain((t) =>
          fc.record({
            t: fc.constant(t),
            cells: fc.array(
              fc.tuple(...t.kinds.map((isText) => (isText ? text : number.map((v) => String(v))))),
              { minLength: t.rows, maxLength: t.rows },
            ),
          }),
        ),
        ({ t, cells }) => {
          const csv = writeCsv([t.names, ...cells], t.delimiter, t.newline);
          const back = readTable(csv, { delimiter: t.delimiter, header: true, decimal: '.' });
          expect(back.columns.map((c) => c.name)).toEqual(t.names);
          expect(back.rowCount).toBe(cells.length);
          expect(back.problems.filter((p) => p.severity === 'error')).toEqual([]);
          t.kinds.forEach((isText, j) => {
            const col = back.columns[j];
            const expected = cells.map((r) => r[j]);
            if (isText) {
              expect(Array.from(col.codes ?? [], (k) => col.labels[k])).toEqual(expected);
            } else {
              expect(Array.from(col.values)).toEqual(expected.map(Number));
            }
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('with delimiter, header and decimal detected for plain numeric tables', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 2, max: 30 }),
        fc.constantFrom<Delimiter>(',', ';', '\t', '|'),
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 180, maxLength: 180 }),
        (cols, rows, delimiter, pool) => {
          const names = Array.from({ length: cols }, (_, j) => `feature_${j}`);
          const cells = Array.from({ length: rows }, (_, r) =>
            names.map((_, j) => String(pool[(r * cols + j) % pool.length])),
          );
          const back = readTable(writeCsv([names, ...cells], delimiter));
          expect(back.dialect).toMatchObject({ delimiter, header: true, decimal: '.' });
          expect(back.columns.map((c) => Array.from(c.values))).toEqual(
            names.map((_, j) => cells.map((r) => Number(r[j]))),
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('scaling then inverse scaling is the identity within float32 tolerance', () => {
  it('min-max and z-score', () => {
    fc.assert(
      fc.property(
        // Realistic data: zero or |x| ≥ 1e-20 (float32 cannot hold 1e-300 anyway).
        fc.array(
          fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((v) => (Math.abs(v) < 1e-20 ? 0 : v)),
          { minLength: 1, maxLength: 50 },
        ),
        fc.constantFrom('min-max', 'z-score') as fc.Arbitrary<'min-max' | 'z-score'>,
        (x, kind) => {
          const p = fitScaler(kind, columnStats(x));
          for (const v of x) {
            const y = Math.fround(applyScaler(p, v)); // the network sees float32
            const back = invertScaler(p, y);
            const tol = 2 ** -22 * (Math.abs(v) + Math.abs(p.shift) + Math.abs(p.scale)) + 1e-300;
            expect(Math.abs(back - v)).toBeLessThanOrEqual(tol);
            expect(Number.isFinite(y)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
