/**
 * Plain JSON values as they appear in a project file, and guards over them.
 *
 * Invariant: a `JsonValue` is exactly what `JSON.parse` can return — finite numbers only
 * (no NaN/±Infinity, no undefined, no functions, no class instances).
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** The deepest nesting the loader accepts (objects and arrays both count one level). */
export const MAX_JSON_DEPTH = 128;

/** True for a plain object (prototype Object.prototype or null): not an array, not a class instance. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Nesting depth of a value: 0 for a primitive, 1 for `[]` or `{}`, and so on.
 * Iterative, so it is safe on adversarial input; stops counting once `limit` is exceeded.
 * @returns the depth, or `limit + 1` when it is deeper than `limit`.
 */
export function jsonDepth(value: unknown, limit: number = MAX_JSON_DEPTH): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    const depth = d + 1;
    if (depth > max) max = depth;
    if (max > limit) return limit + 1;
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const c of children) if (typeof c === 'object' && c !== null) stack.push([c, depth]);
  }
  return max;
}

/** A deep copy of a JSON value (own enumerable keys only; `__proto__` keys are kept as data). */
export function cloneJson<T extends JsonValue>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => cloneJson(v)) as T;
  const out: JsonObject = {};
  for (const k of Object.keys(value)) {
    // defineProperty, not assignment: assigning `__proto__` would change the prototype instead.
    Object.defineProperty(out, k, {
      value: cloneJson(value[k]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out as T;
}
