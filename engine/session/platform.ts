/**
 * The few host globals the session plumbing uses, typed locally: engine code compiles without
 * DOM or Node type libraries, but timers, microtasks and structuredClone exist in every
 * runtime Netloom targets (Node ≥ 20, Electron, browsers, workers).
 */

interface SessionGlobals {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
  queueMicrotask(fn: () => void): void;
  structuredClone<T>(value: T): T;
}

const g = globalThis as unknown as SessionGlobals;

/** Calls `fn` after `ms` milliseconds; returns a handle for `clearTimer`. */
export const setTimer = (fn: () => void, ms: number): unknown => g.setTimeout(fn, ms);
export const clearTimer = (timer: unknown): void => g.clearTimeout(timer);
/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise<void>((resolve) => g.setTimeout(resolve, ms));
export const queueMicrotask = (fn: () => void): void => g.queueMicrotask(fn);
/** Deep copy with the structured-clone algorithm (what postMessage does). */
export const structuredClone = <T>(value: T): T => g.structuredClone(value);
