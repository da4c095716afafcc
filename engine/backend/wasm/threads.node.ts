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
import { Worker } from 'node:worker_threads';
import { gemmModuleBytes, setGemmThreads, type GemmThreads, type WasmMemory } from './gemm';

const SEQ = 0;
const DONE = 1;
const ARGS = 2;
const RANGES = 8;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { bytes, memory, ctrl, index, RANGES, ARGS } = workerData;
const c = new Int32Array(ctrl);
const { gemm } = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
let seen = 0;
for (;;) {
  Atomics.wait(c, 0, seen);
  seen = Atomics.load(c, 0);
  if (seen < 0) break;
  const j0 = c[RANGES + 2 * index], j1 = c[RANGES + 2 * index + 1];
  if (j1 > j0) gemm(c[ARGS], c[ARGS + 1], c[ARGS + 2], c[ARGS + 3], c[ARGS + 4], c[ARGS + 5], j0, j1);
  Atomics.add(c, 1, 1);
  Atomics.notify(c, 1);
}
`;

/** A running helper pool; `close()` stops the threads and returns the GEMM to one thread. */
export interface GemmPool {
  readonly threads: number;
  close(): Promise<void>;
}

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
      workerData: { bytes, memory, ctrl, index: i, RANGES, ARGS },
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
