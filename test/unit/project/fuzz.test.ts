// The loader's contract under hostile input: it returns a project or throws a ProjectFileError
// with a specific code — never another exception, never the 'internal' (bug) code.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ProjectFileError, loadProject, serializeProject } from '../../../engine/project';
import { arbJsonValue, sampleProject } from './helpers';

/** Loads; returns 'ok' or the error code, failing the test on anything but a ProjectFileError. */
function outcome(input: string | Uint8Array): string {
  try {
    const p = loadProject(input);
    // Whatever the loader accepts, the saver must be able to write again.
    serializeProject(p);
    return 'ok';
  } catch (e) {
    if (!(e instanceof ProjectFileError))
      throw new Error(`non-ProjectFileError thrown: ${String(e)}`, { cause: e });
    if (e.code === 'internal') throw new Error(`internal error: ${e.message}`, { cause: e });
    return e.code;
  }
}

const validText = serializeProject(sampleProject());
const validDoc = JSON.parse(validText) as unknown;

/** All [parent, key] slots in a JSON document, to pick mutation sites from. */
function slots(doc: unknown): Array<[Record<string, unknown> | unknown[], string | number]> {
  const out: Array<[Record<string, unknown> | unknown[], string | number]> = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach((x, i) => (out.push([v, i]), walk(x)));
    else if (v && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        out.push([v as Record<string, unknown>, k]);
        walk((v as Record<string, unknown>)[k]);
      }
    }
  };
  walk(doc);
  return out;
}

type Mutation = { site: number; kind: 'replace' | 'delete' | 'add'; value: unknown; key: string };
const arbMutation: fc.Arbitrary<Mutation> = fc.record({
  site: fc.nat(),
  kind: fc.constantFrom('replace', 'delete', 'add'),
  value: fc.oneof(
    arbJsonValue,
    fc.constantFrom(-1, 0, 1.5, 1e300, '', 'NaN', 'AAAA', 'x'.repeat(64), [], {}, null),
  ),
  key: fc.constantFrom('__proto__', '$float32', 'extra', 'id', 'formatVersion'),
});

function mutate(doc: unknown, muts: Mutation[]): unknown {
  const copy = structuredClone(doc);
  for (const m of muts) {
    const all = slots(copy);
    if (all.length === 0) break;
    const [parent, key] = all[m.site % all.length];
    if (m.kind === 'replace') (parent as Record<string | number, unknown>)[key] = structuredClone(m.value);
    else if (m.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
    } else {
      const target = (parent as Record<string | number, unknown>)[key];
      if (target && typeof target === 'object' && !Array.isArray(target)) {
        Object.defineProperty(target, m.key, {
          value: structuredClone(m.value),
          enumerable: true,
          configurable: true,
          writable: true,
        });
      }
    }
  }
  return copy;
}

describe('loader fuzzing', () => {
  it('random JSON values', () => {
    fc.assert(
      fc.property(arbJsonValue, (v) => void outcome(JSON.stringify(v))),
      { numRuns: 300 },
    );
  });

  it('random mutations of a valid project document', () => {
    const codes = new Set<string>();
    fc.assert(
      fc.property(fc.array(arbMutation, { minLength: 1, maxLength: 3 }), (muts) => {
        codes.add(outcome(JSON.stringify(mutate(validDoc, muts))));
      }),
      { numRuns: 250 },
    );
    // The mutations reach the schema checks (not just the header checks).
    expect(codes.has('invalid-schema')).toBe(true);
  });

  it('random edits of the valid text (insert, delete, replace a character)', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.constantFrom('insert', 'delete', 'replace'),
        fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
        (pos, op, ch) => {
          const i = pos % validText.length;
          const text =
            op === 'insert'
              ? validText.slice(0, i) + ch + validText.slice(i)
              : op === 'delete'
                ? validText.slice(0, i) + validText.slice(i + 1)
                : validText.slice(0, i) + ch + validText.slice(i + 1);
          outcome(text);
        },
      ),
      { numRuns: 250 },
    );
  });

  it('random bytes, including a corrupted valid file', () => {
    const bytes = new TextEncoder().encode(validText);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc
            .tuple(fc.nat(), fc.nat(255))
            .map(([i, b]) => bytes.map((x, k) => (k === i % bytes.length ? b : x))),
        ),
        (input) => {
          outcome(input);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('specific hostile inputs', () => {
    expect(outcome('{"format":"netloom-project","formatVersion":1,"__proto__":{"x":1}}')).toBe(
      'invalid-schema',
    );
    expect(outcome('['.repeat(50_000))).toBe('invalid-json');
    expect(outcome('{"format":"netloom-project","formatVersion":1e400}')).toBe('unsupported-version');
    expect(outcome('"\\ud800"')).toBe('not-a-project');
    expect(outcome(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))).toBe('not-a-project'); // BOM + {}
  });
});
