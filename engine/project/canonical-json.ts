/**
 * Deterministic JSON text for project files, so that saved files diff well.
 *
 * Rules (the same input always gives the same bytes):
 * - keys in a fixed order: the identity keys in `LEADING_KEYS` first (in that order), then the
 *   rest sorted by UTF-16 code units (not locale-dependent);
 * - two-space indentation; an array or object whose members are all primitives (or empty `[]`/`{}`)
 *   goes on one line (`[2, 3]`, `{ "accuracy": 0.9, "loss": 0.5 }`), anything else one member per line;
 * - numbers in the shortest form that parses back to the same double (`String(x)`), and `-0` is
 *   written as `-0` (valid JSON; `JSON.parse('-0')` is −0), so −0 survives a round trip;
 * - a final newline.
 * Non-finite numbers, undefined inside arrays, and non-JSON values are refused with the path.
 */
import { formatJsonPath } from './errors';
import { isPlainObject } from './json-value';

/** Keys written first, in this order, wherever they appear. */
export const LEADING_KEYS: readonly string[] = ['format', 'formatVersion', 'id', 'name', 'type', 'version'];

const leadingRank = new Map(LEADING_KEYS.map((k, i) => [k, i]));

function compareKeys(a: string, b: string): number {
  const ra = leadingRank.get(a);
  const rb = leadingRank.get(b);
  if (ra !== undefined || rb !== undefined) return (ra ?? Infinity) - (rb ?? Infinity);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Error thrown by `stringifyCanonical` for a value JSON cannot hold; `path` is a JSON path. */
export class NotJsonError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

function primitive(v: unknown, path: (string | number)[]): string | undefined {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v))
      throw new NotJsonError(formatJsonPath(path), `${v} cannot be written as a JSON number`);
    return Object.is(v, -0) ? '-0' : String(v);
  }
  if (typeof v === 'object') return undefined;
  throw new NotJsonError(formatJsonPath(path), `a ${typeof v} cannot be written as JSON`);
}

/** A primitive, `[]` or a plain `{}` (with no defined values): written inline by its parent. */
function isLeaf(x: unknown): boolean {
  if (typeof x !== 'object' || x === null) return true;
  if (Array.isArray(x)) return x.length === 0;
  return isPlainObject(x) && Object.keys(x).every((k) => (x as Record<string, unknown>)[k] === undefined);
}

/**
 * Serializes a JSON value with the canonical rules above.
 * Object properties whose value is `undefined` are left out (like `JSON.stringify`).
 * @throws NotJsonError for NaN/±Infinity, functions, class instances, cycles or undefined array items.
 */
export function stringifyCanonical(value: unknown): string {
  const out: string[] = [];
  const active = new Set<object>();
  const write = (v: unknown, indent: string, path: (string | number)[]): void => {
    const p = primitive(v, path);
    if (p !== undefined) {
      out.push(p);
      return;
    }
    const obj = v as object;
    if (active.has(obj))
      throw new NotJsonError(formatJsonPath(path), 'a cycle (an object that contains itself)');
    let entries: Array<[string | number, unknown]>;
    let open: string;
    let close: string;
    if (Array.isArray(obj)) {
      entries = obj.map((x, i) => [i, x]);
      [open, close] = ['[', ']'];
      for (const [i, x] of entries) {
        if (x === undefined)
          throw new NotJsonError(formatJsonPath([...path, i]), 'undefined cannot be written as JSON');
      }
    } else if (isPlainObject(obj)) {
      const keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
      keys.sort(compareKeys);
      entries = keys.map((k) => [k, obj[k]]);
      [open, close] = ['{', '}'];
    } else {
      throw new NotJsonError(
        formatJsonPath(path),
        `a ${obj.constructor?.name ?? 'non-plain'} object cannot be written as JSON`,
      );
    }
    if (entries.length === 0) {
      out.push(open + close);
      return;
    }
    const label = (k: string | number): string => (typeof k === 'string' ? `${JSON.stringify(k)}: ` : '');
    const flat = entries.every(([, x]) => isLeaf(x));
    if (flat) {
      const items = entries.map(
        ([k, x]) => label(k) + (primitive(x, [...path, k]) ?? (Array.isArray(x) ? '[]' : '{}')),
      );
      out.push(open === '{' ? `{ ${items.join(', ')} }` : `[${items.join(', ')}]`);
      return;
    }
    active.add(obj);
    const inner = indent + '  ';
    out.push(open, '\n');
    entries.forEach(([k, x], idx) => {
      out.push(inner, label(k));
      write(x, inner, [...path, k]);
      out.push(idx < entries.length - 1 ? ',\n' : '\n');
    });
    out.push(indent, close);
    active.delete(obj);
  };
  write(value, '', []);
  out.push('\n');
  return out.join('');
}
