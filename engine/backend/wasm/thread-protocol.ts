/**
 * The control protocol between the thread that runs training (the caller) and the GEMM helper
 * threads, shared by the Node adapter (threads.node.ts: worker_threads) and the browser adapter
 * (threads.web.ts: nested Web Workers). Platform-neutral: only SharedArrayBuffer and Atomics.
 *
 * Control block (Int32Array on a SharedArrayBuffer): [0] job sequence number (mod 2³⁰; −1 = stop), [1]
 * helpers finished, [2..7] gemm arguments, [8] a helper failed, then per helper its column range [j0, j1). A helper wakes
 * on a new sequence number, runs `gemm` on its range of the shared WebAssembly memory, increments
 * [1] and notifies. Each element of C is computed by exactly one thread in a fixed order, so results
 * are bit-identical for any thread count (gemm.ts).
 */
import type { GemmThreads, WasmMemory } from './gemm';

export const SEQ = 0;
export const DONE = 1;
export const ARGS = 2;
/** Set to 1 by a helper whose product threw (a trap); the caller then throws instead of waiting forever. */
export const FAILED = 8;
export const RANGES = 9;

/**
 * Polls of the control block before a futex wait (200 000 polls ≈ 0.2–1 ms): a helper spins this long
 * after each product for the next one, the caller while the helpers finish their ranges. Without the
 * spin every product paid a futex wake-up (0.2–0.5 ms on the loaded 2-core machine), so two threads
 * were slower than one at every size; with it they gain from ≈ 2²¹ multiply-adds (docs/performance.md).
 * The cost: a helper burns up to this long of CPU after the last product of a step.
 */
export const HELPER_SPIN = 200_000;
const CALLER_SPIN = 200_000;

/** Bytes of the control block for `helpers` helper threads. */
export function controlBytes(helpers: number): number {
  return 4 * (RANGES + 2 * helpers);
}

/**
 * JavaScript source of `helperLoop(bytes, memory, ctrl, index)`: instantiates the GEMM module on the
 * shared memory and serves jobs until the sequence number turns negative. `onReady` (optional) is
 * called once the module is instantiated. Embedded as text because both platforms start helpers
 * from source (worker_threads `eval`, a blob: Worker): no extra bundle entry is needed.
 */
export const HELPER_LOOP_SOURCE = `
function helperLoop(bytes, memory, ctrl, index, onReady) {
  const c = new Int32Array(ctrl);
  const { gemm } = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
  if (onReady) onReady();
  let seen = 0;
  for (;;) {
    // Spin briefly before sleeping: the next product of the same step usually follows within
    // microseconds, and a futex wake-up costs far more than that on a busy machine.
    for (let s = 0; s < ${HELPER_SPIN} && Atomics.load(c, ${SEQ}) === seen; s++);
    Atomics.wait(c, ${SEQ}, seen);
    seen = Atomics.load(c, ${SEQ});
    if (seen < 0) break;
    const r = ${RANGES} + 2 * index, a = ${ARGS};
    const j0 = c[r], j1 = c[r + 1];
    try {
      if (j1 > j0) gemm(c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4], c[a + 5], j0, j1);
    } catch {
      Atomics.store(c, ${FAILED}, 1);
    }
    Atomics.add(c, ${DONE}, 1);
    Atomics.notify(c, ${DONE});
  }
}
`;

/**
 * The caller's side of the protocol: hands ranges 1… of a product to the helpers and waits for all
 * `helpers` of them (blocking: allowed on Node's main thread and in Web Workers, not on a page's
 * main thread). Products are split among `use` helpers (≤ helpers); the others get empty ranges.
 * @param ctrl control block of at least controlBytes(helpers) bytes, shared with the helpers.
 */
export function callerThreads(
  memory: WasmMemory,
  ctrl: SharedArrayBuffer,
  helpers: number,
  use: number = helpers,
): GemmThreads {
  const c = new Int32Array(ctrl);
  let expected = 0;
  return {
    memory,
    threads: Math.min(use, helpers),
    start(args, ranges) {
      for (let a = 0; a < 6; a++) c[ARGS + a] = args[a];
      for (let i = 0; i < helpers; i++) {
        const r = ranges[i];
        c[RANGES + 2 * i] = r ? r[0] : 0;
        c[RANGES + 2 * i + 1] = r ? r[1] : 0;
      }
      expected = helpers;
      Atomics.store(c, DONE, 0);
      // Only the caller writes SEQ; it stays in [0, 2³⁰) so that it never turns negative (= stop).
      Atomics.store(c, SEQ, (Atomics.load(c, SEQ) + 1) & 0x3fffffff);
      Atomics.notify(c, SEQ);
    },
    wait() {
      // The helpers finish about when the caller does: spin before sleeping (see HELPER_SPIN).
      let s = 0;
      while (s < CALLER_SPIN && Atomics.load(c, DONE) < expected) s++;
      for (;;) {
        const d = Atomics.load(c, DONE);
        if (d >= expected) break;
        Atomics.wait(c, DONE, d);
      }
      if (Atomics.load(c, FAILED) !== 0)
        throw new Error(
          'a CPU helper thread failed computing a matrix product; restart the run with CPU threads = 1',
        );
    },
  };
}

/** Tells every helper on `ctrl` to leave its loop. */
export function stopHelpers(ctrl: SharedArrayBuffer): void {
  const c = new Int32Array(ctrl);
  Atomics.store(c, SEQ, -1);
  Atomics.notify(c, SEQ);
}
