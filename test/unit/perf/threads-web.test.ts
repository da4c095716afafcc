/**
 * The browser thread adapter (engine/backend/wasm/threads.web.ts) offers helpers only where they can
 * run: a cross-origin isolated scope with Worker, Blob, URL and at least 2 cores. (That the helpers
 * compute, and give the same bits as one thread, is shown in Chromium: test/e2e/threads.spec.ts.)
 */
import { describe, expect, it } from 'vitest';
import { webGemmThreadProvider, type WebThreadScope } from '../../../engine/backend/wasm/threads.web';

/** A scope whose workers answer 'ready' (or 'failed: …') as soon as they get their first message. */
function scope(over: Partial<WebThreadScope>, answer = 'ready'): WebThreadScope & { spawned: number } {
  const s = {
    spawned: 0,
    crossOriginIsolated: true,
    navigator: { hardwareConcurrency: 4 },
    Blob: class {
      constructor(readonly parts: string[]) {}
    },
    URL: { createObjectURL: () => 'blob:x', revokeObjectURL: () => undefined },
    Worker: class {
      onmessage: ((e: { data: unknown }) => void) | null = null;
      onerror: ((e: unknown) => void) | null = null;
      constructor() {
        s.spawned++;
      }
      postMessage() {
        queueMicrotask(() => this.onmessage?.({ data: answer }));
      }
    },
    ...over,
  };
  return s as WebThreadScope & { spawned: number };
}

describe('webGemmThreadProvider', () => {
  it('is null without cross-origin isolation, Worker, or a second core', () => {
    expect(webGemmThreadProvider(scope({ crossOriginIsolated: false }))).toBeNull();
    expect(webGemmThreadProvider(scope({ Worker: undefined }))).toBeNull();
    expect(webGemmThreadProvider(scope({ navigator: { hardwareConcurrency: 1 } }))).toBeNull();
  });

  it('spawns cores − 1 helpers (at most 3) on first use and reports 1 core until all are ready', async () => {
    const s = scope({ navigator: { hardwareConcurrency: 8 } });
    const p = webGemmThreadProvider(s)!;
    expect(s.spawned).toBe(0); // nothing until a run asks (the handshake-only trainer starts none)
    expect(p.cores).toBe(1);
    const ready = p.ready;
    expect(s.spawned).toBe(3);
    expect(p.ready).toBe(ready); // spawned once
    expect(await ready).toBe(3);
    expect(s.spawned).toBe(3);
    expect(p.cores).toBe(4);
  });

  it('offers no threads when a helper failed to start (it would never answer)', async () => {
    const p = webGemmThreadProvider(scope({}, 'failed: CompileError'))!;
    expect(await p.ready).toBe(0);
    expect(p.cores).toBe(1);
    expect(() => p.start(1)).toThrow(/no ready GEMM helper/);
  });
});
