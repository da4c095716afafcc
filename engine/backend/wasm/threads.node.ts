/**
 * Node adapter: helper threads for the WebAssembly GEMM (wasm/gemm.ts) with worker_threads, a
 * shared WebAssembly memory and a SharedArrayBuffer control block (Atomics.wait/notify; blocking
 * waits are allowed on Node's main thread). Each helper instantiates the same generated module on
 * the shared memory and, per product, computes the column-panel range it is handed.
 *
 * The control protocol is thread-protocol.ts, shared with the browser adapter (threads.web.ts).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { gemmModuleBytes, setGemmThreads, type WasmMemory } from './gemm';
import type { GemmPool, GemmThreadProvider } from './pool';
import { callerThreads, controlBytes, HELPER_LOOP_SOURCE, stopHelpers } from './thread-protocol';

export type { GemmPool } from './pool';

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
${HELPER_LOOP_SOURCE}
const { bytes, memory, ctrl, index } = workerData;
helperLoop(bytes, memory, ctrl, index);
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
  const ctrl = new SharedArrayBuffer(controlBytes(helpers));
  const bytes = gemmModuleBytes(true);
  const workers: Worker[] = [];
  for (let i = 0; i < helpers; i++) {
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { bytes, memory, ctrl, index: i } });
    w.unref(); // never keeps the process alive
    workers.push(w);
  }
  const pool = callerThreads(memory, ctrl, helpers);
  setGemmThreads(pool);
  return {
    threads: helpers + 1,
    async close() {
      setGemmThreads(null);
      stopHelpers(ctrl);
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
