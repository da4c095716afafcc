/**
 * The trainer's GEMM helper threads (engine/backend/wasm/pool.ts) inside runSession: the automatic
 * choice, determinism (the same weights run to run, and — because gemm.ts partitions the output's
 * column panels and never a sum — the same bits with one or two threads), and a pool that is closed
 * when the run ends, also for the CLI process.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { THREAD_MIN_FLOPS } from '../../../engine/backend/wasm/gemm';
import {
  acquireGemmThreads,
  autoGemmThreads,
  gemmThreadsInUse,
  setGemmThreadProvider,
} from '../../../engine/backend/wasm/pool';
import { nodeGemmThreadProvider } from '../../../engine/backend/wasm/threads.node';
import { graphProjectHooks } from '../../../engine/graph';
import { loadProject, type Project } from '../../../engine/project';
import { runSession } from '../../../engine/session/run';

/** Digits with a 512-unit hidden layer: its products (64 × 64 × 512 = 2²¹) reach THREAD_MIN_FLOPS. */
function wideDigits(): Project {
  const p = loadProject(readFileSync('examples/digits.netloom.json', 'utf8'), { hooks: graphProjectHooks });
  p.graph.nodes = p.graph.nodes.map((n) => (n.id === 'hidden' ? { ...n, params: { units: 512 } } : n));
  return p;
}
const digits = new Uint8Array(readFileSync('examples/digits.csv'));

afterEach(() => setGemmThreadProvider(null));

describe('automatic thread count', () => {
  it('uses 2 threads only with ≥ 2 cores and a product of ≥ THREAD_MIN_FLOPS; honours a request', () => {
    expect(autoGemmThreads(THREAD_MIN_FLOPS, 2)).toBe(2);
    expect(autoGemmThreads(THREAD_MIN_FLOPS, 16)).toBe(2);
    expect(autoGemmThreads(THREAD_MIN_FLOPS - 1, 16)).toBe(1);
    expect(autoGemmThreads(THREAD_MIN_FLOPS * 100, 1)).toBe(1);
    expect(autoGemmThreads(10, 4, 3)).toBe(3);
    expect(autoGemmThreads(10, 2, 8)).toBe(2); // clamped to the cores
    expect(autoGemmThreads(1e9, 8, 1)).toBe(1); // 1 disables
    expect(() => autoGemmThreads(1, 2, 0)).toThrow(/positive integer/);
    expect(() => autoGemmThreads(1, 2, 1.5)).toThrow(/positive integer/);
  });

  it('shares one pool between overlapping users and closes it after the last', async () => {
    setGemmThreadProvider(nodeGemmThreadProvider());
    const a = acquireGemmThreads(2);
    const b = acquireGemmThreads(2);
    expect(gemmThreadsInUse()).toBe(2);
    await a.release();
    await a.release(); // idempotent
    expect(gemmThreadsInUse()).toBe(2);
    await b.release();
    expect(gemmThreadsInUse()).toBe(1);
    expect(acquireGemmThreads(1).threads).toBe(1);
  });
});

describe('runSession on helper threads', () => {
  it('gives the same weights run to run with 2 threads, equal bit for bit to 1 thread, then closes', async () => {
    setGemmThreadProvider({ ...nodeGemmThreadProvider(), cores: 2 });
    const weights = async (threads: number | undefined) => {
      const r = await runSession({
        project: wideDigits(),
        data: digits,
        epochs: 1,
        ...(threads ? { threads } : {}),
      });
      expect(r.status).toBe('completed');
      expect(gemmThreadsInUse()).toBe(1); // the pool is closed before runSession returns
      return { threads: r.threads, params: Float32Array.from(r.model!.store.params) };
    };
    const auto = await weights(undefined);
    const again = await weights(2);
    const one = await weights(1);
    expect(auto.threads).toBe(2); // automatic: 2 cores and a 2²¹ product
    expect(again.threads).toBe(2);
    expect(one.threads).toBe(1);
    const bits = (x: Float32Array) => Buffer.from(x.buffer);
    expect(bits(again.params).equals(bits(auto.params))).toBe(true);
    expect(bits(one.params).equals(bits(auto.params))).toBe(true);
  });

  it('stays on one thread for small layers and without a provider', async () => {
    const small = loadProject(readFileSync('examples/digits.netloom.json', 'utf8'), {
      hooks: graphProjectHooks,
    });
    expect((await runSession({ project: small, data: digits, epochs: 1 })).threads).toBe(1);
    setGemmThreadProvider({ ...nodeGemmThreadProvider(), cores: 2 });
    expect((await runSession({ project: small, data: digits, epochs: 1 })).threads).toBe(1);
  });

  it('reports a bad thread count as a failed run', async () => {
    setGemmThreadProvider(nodeGemmThreadProvider());
    const r = await runSession({ project: wideDigits(), data: digits, epochs: 1, threads: 0 });
    expect(r.status).toBe('failed');
    expect(r.terminal.type === 'failed' && r.terminal.message).toMatch(/Threads: .*positive integer/);
  });
});

describe('netloom train --threads', () => {
  it('trains on 2 threads and the process exits by itself', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netloom-threads-'));
    try {
      copyFileSync('examples/digits.csv', join(dir, 'digits.csv'));
      copyFileSync('examples/digits.netloom.json', join(dir, 'digits.netloom.json'));
      const r = spawnSync(
        process.execPath,
        [
          'bin/netloom.mjs',
          'train',
          join(dir, 'digits.netloom.json'),
          '--epochs',
          '1',
          '--threads',
          '2',
          '--json',
        ],
        { encoding: 'utf8', timeout: 120_000, env: { ...process.env, NETLOOM_WEBGPU: '0' } },
      );
      // A pool left running would keep the process alive until the spawn timeout kills it (status null).
      expect(r.signal).toBeNull();
      expect(r.status).toBe(0);
      const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { status: string; threads: number };
      expect(out.status).toBe('completed');
      expect(out.threads).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
