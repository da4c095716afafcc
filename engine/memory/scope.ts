/**
 * Scope-based freeing: `tidy(fn)` disposes every tensor created while `fn` runs, except the
 * tensors `fn` returns (they move to the enclosing scope) and tensors marked with `keep()`.
 *
 * Invariants: the scope stack is balanced (try/finally), so nothing carries over between two
 * runs; `fn` must be synchronous (a tidy around an `await` would free tensors still in use, so
 * a returned Promise is an error). Tensors created outside any tidy are never freed
 * automatically: dispose() them, or create them inside a tidy.
 */
import { Tensor } from '../tensor/tensor';

const stack: Tensor[][] = [];
const spare: Tensor[][] = []; // recycled scope arrays (no allocation per step)

/** @internal Registers a newly created tensor with the innermost scope. */
export function track(t: Tensor): void {
  if (stack.length > 0) stack[stack.length - 1].push(t);
}

/** Marks a tensor (and its forward-mode tangent) so that no scope disposes it; returns it. */
export function keep<T extends Tensor>(t: T): T {
  t.kept = true;
  if (t.tangent) keep(t.tangent);
  return t;
}

/** Walks any returned structure (tensor, array, plain object) and marks its tensors as returned. */
function collect(x: unknown, out: Tensor[], depth = 0): void {
  if (depth > 32 || x === null || typeof x !== 'object') return;
  if (x instanceof Tensor) {
    if (!x.returned) {
      x.returned = true;
      out.push(x);
    }
    if (x.tangent) collect(x.tangent, out, depth + 1);
    return;
  }
  if (Array.isArray(x)) {
    for (const v of x) collect(v, out, depth + 1);
    return;
  }
  if (Object.getPrototypeOf(x) === Object.prototype)
    for (const v of Object.values(x)) collect(v, out, depth + 1);
}

const marked: Tensor[] = []; // scratch list of tensors flagged `returned` during one tidy exit

/**
 * Runs `fn` in a new scope and frees its intermediates (see module header).
 * @returns what fn returns; tensors inside it (also nested in arrays/plain objects) survive.
 * @throws Error when fn returns a Promise.
 */
export function tidy<T>(fn: () => T): T {
  const scope = spare.pop() ?? [];
  stack.push(scope);
  let result: T | undefined;
  let ok = false;
  try {
    result = fn();
    ok = true;
  } finally {
    stack.pop();
    const parent = stack.length > 0 ? stack[stack.length - 1] : null;
    const base = marked.length; // tidy may nest inside dispose() callbacks: use a stack discipline
    if (ok) collect(result, marked);
    for (let i = 0; i < scope.length; i++) {
      const t = scope[i];
      if (t.returned) {
        if (parent) parent.push(t);
      } else if (!t.kept) t.dispose();
    }
    for (let i = base; i < marked.length; i++) marked[i].returned = false;
    marked.length = base;
    scope.length = 0;
    spare.push(scope);
  }
  if (result instanceof Promise) {
    throw new Error(
      'tidy: the callback returned a Promise; tidy only supports synchronous code (await outside it)',
    );
  }
  return result as T;
}

/** Depth of the scope stack (0 outside any tidy); for tests and assertions. */
export function scopeDepth(): number {
  return stack.length;
}
