/**
 * Node adapter: helper threads for the WebAssembly GEMM (wasm/gemm.ts) with worker_threads, a
 * shared WebAssembly memory and a SharedArrayBuffer control block (Atomics.wait/notify; blocking
 * waits are allowed on Node's main thread). Each helper instantiates the same generated module on
 * the shared memory and, per product, computes the column-panel range it is handed.
 *
 * Browser plan: the same protocol works in a Web Worker that runs the training loop (Atomics.wait
 * is not allowed on a page's main thread) with helpers as nested Workers, given cross-origin
 * isolation (COOP/COEP headers) for SharedArrayBuffer; Electron's renderer can set those headers.
 *
 * Control block (Int32Array): [0] job sequence number, [1] helpers finished, [2..7] gemm arguments,
 * then per helper its [j0, j1). A helper wakes on a new sequence number, runs, increments [1].
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { gemmModuleBytes, setGemmThreads, type GemmThreads, type WasmMemory } from './gemm';
import type { GemmPool, GemmThreadProvider } from './pool';

export type { GemmPool } from './pool';

const SEQ = 0;
const DONE = 1;
const ARGS = 2;
const RANGES = 8;
/**
 * Polls of the control block before a futex wait (200 000 polls ≈ 0.2–1 ms): a helper spins this long
 * after each product for the next one, the caller while the helpers finish their ranges. Without the
 * spin every product paid a futex wake-up (0.2–0.5 ms on the loaded 2-core machine), so two threads
 * were slower than one at every size; with it they gain from ≈ 2²¹ multiply-adds (docs/performance.md).
 * The cost: a helper burns up to this long of CPU after the last product of a step.
 */
const HELPER_SPIN = 200_000;
const CALLER_SPIN = 200_000;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { bytes, memory, ctrl, index, RANGES, ARGS, SPIN } = workerData;
const c = new Int32Array(ctrl);
const { gemm } = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
let seen = 0;
for (;;) {
  // Spin briefly before sleeping: the next product of the same step usually follows within
  // microseconds, and a futex wake-up costs far more than that on a busy machine.
  for (let s = 0; s < SPIN && Atomics.load(c, 0) === seen; s++);
  Atomics.wait(c, 0, seen);
  seen = Atomics.load(c, 0);
  if (seen < 0) break;
  const j0 = c[RANGES + 2 * index], j1 = c[RANGES + 2 * index + 1];
  if (j1 > j0) gemm(c[ARGS], c[ARGS + 1], c[ARGS + 2], c[ARGS + 3], c[ARGS + 4], c[ARGS + 5], j0, j1);
  Atomics.add(c, 1, 1);
  Atomics.notify(c, 1);
}
`;

/**
 * Starts `helpers` threads (default: one fewer than the cores, at least 1) and installs them.
 * @throws Error when WebAssembly SIMD or shared memory is unavailable.
 */
export function startGemmThreads(helpers: number): GemmPool {
  if (!(Number.isInteger(helpers) && helpers >= 1))
    throw new RangeError(`startGemmThreads: helpers must be a positive integer, got ${helpers}`);
  // Node 20's bundled types have no WebAssembly namespace without DOM; a narrow local view suffices.
  const WA = (globalThis as unknown as { WebAssembly: { Memory: new (d: object) => WasmMemory } })
    .WebAssembly;
  const memory = new WA.Memory({ initial: 1, maximum: 16384, shared: true });
  const ctrl = new SharedArrayBuffer(4 * (RANGES + 2 * helpers));
  const c = new Int32Array(ctrl);
  const bytes = gemmModuleBytes(true);
  const workers: Worker[] = [];
  for (let i = 0; i < helpers; i++) {
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { bytes, memory, ctrl, index: i, RANGES, ARGS, SPIN: HELPER_SPIN },
    });
    w.unref(); // never keeps the process alive
    workers.push(w);
  }
  let expected = 0;
  const pool: GemmThreads = {
    memory,
    threads: helpers,
    start(args, ranges) {
      for (let a = 0; a < 6; a++) c[ARGS + a] = args[a];
      for (let i = 0; i < helpers; i++) {
        const r = ranges[i];
        c[RANGES + 2 * i] = r ? r[0] : 0;
        c[RANGES + 2 * i + 1] = r ? r[1] : 0;
      }
      expected = helpers;
      Atomics.store(c, DONE, 0);
      Atomics.add(c, SEQ, 1);
      Atomics.notify(c, SEQ);
    },
    wait() {
      // The helpers finish about when the caller does: spin before sleeping (see HELPER_SPIN).
      for (let s = 0; s < CALLER_SPIN; s++) if (Atomics.load(c, DONE) >= expected) return;
      for (;;) {
        const d = Atomics.load(c, DONE);
        if (d >= expected) return;
        Atomics.wait(c, DONE, d);
      }
    },
  };
  setGemmThreads(pool);
  return {
    threads: helpers + 1,
    async close() {
      setGemmThreads(null);
      Atomics.store(c, SEQ, -1);
      Atomics.notify(c, SEQ);
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/**
 * The Node provider for pool.ts: this process's cores (os.availableParallelism) and
 * `startGemmThreads`. @param preferred thread count used when a run asks for none (undefined: automatic).
 * @throws RangeError when `preferred` is given and is not a positive integer.
 */
export function nodeGemmThreadProvider(preferred?: number): GemmThreadProvider {
  if (preferred !== undefined && !(Number.isInteger(preferred) && preferred >= 1))
    throw new RangeError(`threads must be a positive integer (1 disables helper threads), got ${preferred}`);
  return {
    cores: availableParallelism(),
    ...(preferred !== undefined ? { preferred } : {}),
    start: startGemmThreads,
  };
}
