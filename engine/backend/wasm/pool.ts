/**
 * Platform-neutral handle on the GEMM helper threads: a platform adapter (threads.node.ts in the Node
 * trainer and the CLI) registers a provider; training sessions ask for threads through
 * `acquireGemmThreads` and release them when the run ends. Engine code never touches worker_threads.
 *
 * Automatic thread count (`autoGemmThreads`): 2 threads when the machine has at least 2 cores and the
 * largest matrix product of a training step has at least THREAD_MIN_FLOPS multiply-adds (the same
 * threshold at which gemm.ts splits a product; measured in docs/performance.md), else 1.
 *
 * Invariants: at most one pool is running per process (acquisitions while one runs share it,
 * reference-counted; the last release closes it); results are bit-identical for any thread count
 * (gemm.ts partitions the column panels of C, never a sum).
 */
import { THREAD_MIN_FLOPS } from './gemm';

/** A running helper pool; `close()` stops the threads and returns the GEMM to one thread. */
export interface GemmPool {
  /** Threads computing a product, the caller's included. */
  readonly threads: number;
  close(): Promise<void>;
}

/** What a platform offers: its core count, an optional preferred thread count, and a pool factory. */
export interface GemmThreadProvider {
  /** Logical cores available to this process. */
  readonly cores: number;
  /** Thread count to use when a session asks for none (e.g. from NETLOOM_THREADS); undefined = automatic. */
  readonly preferred?: number;
  /**
   * Settles when the provider's threads can be used (the browser adapter starts its helpers on the
   * first read; until they run, `cores` reports 1). Absent: usable at once.
   */
  readonly ready?: Promise<unknown>;
  /** Starts `helpers` extra threads and installs them into the GEMM. @throws when it cannot. */
  start(helpers: number): GemmPool;
}

let provider: GemmThreadProvider | null = null;
let active: { pool: GemmPool; users: number } | null = null;

/** Registers (or with null removes) the platform's thread provider. */
export function setGemmThreadProvider(p: GemmThreadProvider | null): void {
  provider = p;
}

/** The registered provider, or null (browser Web Worker, tests that registered none). */
export function gemmThreadProvider(): GemmThreadProvider | null {
  return provider;
}

/** Threads computing large products right now (1 when no pool is running). */
export function gemmThreadsInUse(): number {
  return active ? active.pool.threads : 1;
}

/**
 * Thread count for a run: `requested` when given (clamped to [1, cores]), else the provider's
 * preferred count, else 2 when cores ≥ 2 and `largestFlops` ≥ THREAD_MIN_FLOPS, else 1.
 * @param largestFlops m·n·k of the largest matrix product in one training step.
 * @throws RangeError when `requested` is not a positive integer.
 */
export function autoGemmThreads(largestFlops: number, cores: number, requested?: number): number {
  if (requested !== undefined) {
    if (!(Number.isInteger(requested) && requested >= 1))
      throw new RangeError(
        `threads must be a positive integer (1 disables helper threads), got ${requested}`,
      );
    return Math.max(1, Math.min(requested, cores));
  }
  return cores >= 2 && largestFlops >= THREAD_MIN_FLOPS ? 2 : 1;
}

/**
 * Makes `threads` threads compute large products until the returned release is called. With no
 * provider, threads ≤ 1, or a pool already running (shared, whatever its size), nothing is started.
 * @returns the thread count in effect and a release function (idempotent; closes the pool after the
 *   last user).
 */
export function acquireGemmThreads(threads: number): { threads: number; release: () => Promise<void> } {
  if (!active) {
    if (!provider || threads <= 1) return { threads: 1, release: async () => {} };
    active = { pool: provider.start(threads - 1), users: 0 };
  }
  const a = active;
  a.users++;
  let done = false;
  return {
    threads: a.pool.threads,
    release: async () => {
      if (done) return;
      done = true;
      if (--a.users > 0) return;
      if (active === a) active = null;
      await a.pool.close();
    },
  };
}
