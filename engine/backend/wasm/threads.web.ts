/**
 * Browser adapter: GEMM helper threads as nested Web Workers of the trainer's Web Worker, on a
 * shared WebAssembly memory (protocol: thread-protocol.ts, the same as the Node adapter's).
 *
 * Needs cross-origin isolation (the page served with `Cross-Origin-Opener-Policy: same-origin` and
 * `Cross-Origin-Embedder-Policy: require-corp`; the app's servers send both — docs/performance.md):
 * without it SharedArrayBuffer does not exist and the trainer stays on one thread (same results).
 *
 * Why helpers are started ahead of time: a browser may not start a nested worker while its parent
 * thread is blocked, and the caller blocks (Atomics.wait) while helpers compute. So the provider
 * spawns its helpers when a run that could use them asks (`ready`; one trainer per run:
 * engine/session/supervisor.ts) and offers them once all reported ready (runSession waits up to 2 s); a pool closing parks them on the control block; they end with the
 * trainer's worker. Runs with small layers, and the handshake-only trainer, start none.
 */
import { gemmModuleBytes, setGemmThreads, type WasmMemory } from './gemm';
import type { GemmPool, GemmThreadProvider } from './pool';
import { callerThreads, controlBytes, HELPER_LOOP_SOURCE } from './thread-protocol';

/** What this adapter uses of a worker's global scope (no DOM types in engine/). */
export interface WebThreadScope {
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
  Worker?: new (url: string) => {
    postMessage(m: unknown): void;
    onmessage: ((e: { data: unknown }) => void) | null;
    onerror: ((e: unknown) => void) | null;
  };
  Blob?: new (parts: string[], opts: { type: string }) => object;
  URL?: { createObjectURL(b: object): string; revokeObjectURL(u: string): void };
}

const HELPER_SOURCE = `
${HELPER_LOOP_SOURCE}
self.onmessage = (e) => {
  const { bytes, memory, ctrl, index } = e.data;
  self.onmessage = null;
  try {
    helperLoop(bytes, memory, ctrl, index, () => self.postMessage('ready'));
  } catch (err) {
    self.postMessage('failed: ' + err);
  }
};
`;

/** Most helpers spawned (the GEMM gains little beyond 2–4 threads at the sizes Netloom trains). */
const MAX_HELPERS = 3;

/**
 * A provider for pool.ts backed by nested Web Workers, or null when this scope cannot run them
 * (not cross-origin isolated, no SharedArrayBuffer, no Worker, fewer than 2 cores, no WebAssembly
 * SIMD). Helpers (cores − 1, at most 3) start on the first read of `ready` (runSession reads it
 * only for a run that could use threads), which resolves with how many started.
 * @param preferred thread count used when a run asks for none (undefined: automatic).
 */
export function webGemmThreadProvider(
  scope: WebThreadScope,
  preferred?: number,
): (GemmThreadProvider & { ready: Promise<number> }) | null {
  const cores = scope.navigator?.hardwareConcurrency ?? 1;
  const W = scope.Worker;
  const B = scope.Blob;
  const U = scope.URL;
  if (scope.crossOriginIsolated !== true || typeof SharedArrayBuffer !== 'function') return null;
  if (!W || !B || !U || cores < 2) return null;
  const WA = (globalThis as unknown as { WebAssembly?: { Memory: new (d: object) => WasmMemory } })
    .WebAssembly;
  let bytes: Uint8Array;
  let memory: WasmMemory;
  try {
    bytes = gemmModuleBytes(true);
    memory = new WA!.Memory({ initial: 1, maximum: 16384, shared: true });
  } catch {
    return null;
  }
  const helpers = Math.min(cores - 1, MAX_HELPERS);
  const ctrl = new SharedArrayBuffer(controlBytes(helpers));
  let readyCount = 0;
  let ready: Promise<number> | null = null;
  /** Spawns the helpers on first use (a run that could use them), not when the trainer boots. */
  const spawn = (): Promise<number> => {
    if (ready) return ready;
    const url = U.createObjectURL(new B([HELPER_SOURCE], { type: 'text/javascript' }));
    const started: Promise<boolean>[] = [];
    for (let i = 0; i < helpers; i++) {
      const w = new W(url);
      started.push(
        new Promise<boolean>((res) => {
          w.onmessage = (e) => {
            if (e.data === 'ready') readyCount++;
            res(e.data === 'ready');
          };
          w.onerror = () => res(false);
        }),
      );
      w.postMessage({ bytes, memory, ctrl, index: i });
    }
    ready = Promise.all(started).then((ok) => {
      U.revokeObjectURL(url);
      return ok.filter(Boolean).length;
    });
    return ready;
  };
  let inUse = false;
  return {
    get cores() {
      // Only running helpers can be used: until all report ready, one thread.
      return readyCount === helpers ? Math.min(cores, helpers + 1) : 1;
    },
    ...(preferred !== undefined ? { preferred } : {}),
    get ready() {
      return spawn();
    },
    start(want: number): GemmPool {
      // Every helper wakes for every product (the caller counts them all); helpers past `n` get
      // empty ranges. A helper that failed to start would never answer: then none is used.
      const n = readyCount === helpers ? Math.min(want, helpers) : 0;
      if (inUse || n < 1) throw new Error('no ready GEMM helper threads');
      inUse = true;
      setGemmThreads(callerThreads(memory, ctrl, helpers, n));
      return {
        threads: n + 1,
        close: async () => {
          setGemmThreads(null);
          inUse = false;
        },
      };
    },
  };
}
