/**
 * Test helper: the typed-array constructions (`new Float32Array(…)` etc. through the globals) made
 * while `fn` runs, as 'Name(firstArg)' strings in order. Views made by subarray() are not seen.
 */
export function typedArraysConstructed(fn: () => void): string[] {
  const names = ['Float32Array', 'Float64Array', 'Int32Array', 'Uint8Array'] as const;
  const g = globalThis as unknown as Record<string, unknown>;
  const orig = names.map((n) => g[n]);
  const created: string[] = [];
  names.forEach((name, i) => {
    g[name] = new Proxy(orig[i] as new (...a: unknown[]) => object, {
      construct(target, args) {
        created.push(`${name}(${String(args[0])})`);
        return Reflect.construct(target, args);
      },
    });
  });
  try {
    fn();
  } finally {
    names.forEach((name, i) => (g[name] = orig[i]));
  }
  return created;
}
