/**
 * Multi-threaded WebAssembly GEMM (engine/backend/wasm/threads.node.ts): helpers on a shared memory give
 * bit-identical results to one thread (the column panels are partitioned, never the sums), for all layouts.
 */
import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import {
  gemmModuleBytes,
  gemmWasm,
  THREAD_MIN_FLOPS,
  type WasmMemory,
} from '../../../engine/backend/wasm/gemm';
import { startGemmThreads } from '../../../engine/backend/wasm/threads.node';
import {
  callerThreads,
  controlBytes,
  HELPER_LOOP_SOURCE,
  stopHelpers,
} from '../../../engine/backend/wasm/thread-protocol';
import { Rng } from '../../../engine/random/rng';

describe('GEMM helper threads', () => {
  it('2 and 3 threads give bit-identical products to 1 thread, then close cleanly', async () => {
    const rng = new Rng(5);
    const shapes: [number, number, number][] = [
      [128, 136, 160], // 17 panels: uneven split
      [66, 250, 130],
    ];
    const cases = shapes.flatMap(([m, n, k]) =>
      [
        [false, false],
        [true, false],
        [false, true],
      ].map(([tA, tB]) => ({
        m,
        n,
        k,
        tA,
        tB,
        a: Float32Array.from({ length: m * k }, () => rng.uniform(-1, 1)),
        b: Float32Array.from({ length: k * n }, () => rng.uniform(-1, 1)),
      })),
    );
    for (const c of cases) expect(c.m * c.n * c.k).toBeGreaterThanOrEqual(THREAD_MIN_FLOPS);
    const one = cases.map((c) => {
      const o = new Float32Array(c.m * c.n);
      gemmWasm(c.a, c.b, o, c.m, c.n, c.k, c.tA, c.tB);
      return o;
    });
    for (const helpers of [1, 2]) {
      const pool = startGemmThreads(helpers);
      try {
        expect(pool.threads).toBe(helpers + 1);
        cases.forEach((c, i) => {
          const o = new Float32Array(c.m * c.n).fill(NaN);
          gemmWasm(c.a, c.b, o, c.m, c.n, c.k, c.tA, c.tB);
          expect(Buffer.from(o.buffer).equals(Buffer.from(one[i].buffer))).toBe(true);
        });
      } finally {
        await pool.close();
      }
    }
    // Back on one thread after close.
    const c = cases[0];
    const o = new Float32Array(c.m * c.n);
    gemmWasm(c.a, c.b, o, c.m, c.n, c.k, c.tA, c.tB);
    expect(Buffer.from(o.buffer).equals(Buffer.from(one[0].buffer))).toBe(true);
  });

  it('rejects a non-positive helper count', () => {
    expect(() => startGemmThreads(0)).toThrow(/positive integer/);
  });

  it('a helper whose product traps makes the caller throw instead of waiting forever', async () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });
    const ctrl = new SharedArrayBuffer(controlBytes(1));
    const source = `const { workerData } = require('node:worker_threads');
${HELPER_LOOP_SOURCE}
helperLoop(workerData.bytes, workerData.memory, workerData.ctrl, 0);`;
    const w = new Worker(source, { eval: true, workerData: { bytes: gemmModuleBytes(true), memory, ctrl } });
    try {
      const t = callerThreads(memory as unknown as WasmMemory, ctrl, 1);
      // Operands far past the 1-page memory: the helper's gemm traps (out of bounds).
      t.start([1 << 30, 1 << 30, 1 << 30, 8, 16, 4], [[8, 16]]);
      expect(() => t.wait()).toThrow(/helper thread failed/);
    } finally {
      stopHelpers(ctrl);
      await w.terminate();
    }
  });
});
