/**
 * Timing helpers of the training dashboard (framework-free): the run clock (elapsed time that
 * does not count pauses), the ETA, duration formatting and a trailing-edge throttle for redraws.
 *
 * Invariants: all functions take the current time as an argument or an injected clock, so they
 * are deterministic under test; elapsed time never decreases.
 */

/** Elapsed running time of a run, excluding pauses. Times in milliseconds. */
export class RunClock {
  #startedAt: number | null = null;
  #accumulated = 0;
  #runningSince: number | null = null;

  start(now: number): void {
    this.#startedAt = now;
    this.#accumulated = 0;
    this.#runningSince = now;
  }

  pause(now: number): void {
    if (this.#runningSince === null) return;
    this.#accumulated += Math.max(0, now - this.#runningSince);
    this.#runningSince = null;
  }

  resume(now: number): void {
    if (this.#startedAt === null || this.#runningSince !== null) return;
    this.#runningSince = now;
  }

  /** Stops counting for good (finished/stopped/failed). */
  end(now: number): void {
    this.pause(now);
  }

  elapsed(now: number): number {
    if (this.#startedAt === null) return 0;
    return this.#accumulated + (this.#runningSince === null ? 0 : Math.max(0, now - this.#runningSince));
  }
}

/**
 * Remaining time, assuming the rate so far continues: elapsed · (1 − f) / f.
 * @param elapsedMs running time so far (ms)
 * @param fraction share of the work done, in [0, 1]
 * @returns ms remaining, or null when nothing is done yet (no rate to extrapolate).
 */
export function estimateRemaining(elapsedMs: number, fraction: number): number | null {
  if (!(fraction > 0) || !Number.isFinite(elapsedMs)) return null;
  if (fraction >= 1) return 0;
  return (elapsedMs * (1 - fraction)) / fraction;
}

/** A duration as 'm:ss' (or 'h:mm:ss' from one hour); '—' for null. Rounded down to seconds. */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '—';
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export interface TimerLike {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

/**
 * Trailing-edge throttle: `request()` may be called on every event; `flush` runs at most once per
 * `intervalMs` (default 100 ms → ≤ 10 redraws/s), and always after the last request.
 */
export class Throttle {
  #last = -Infinity;
  #handle: unknown = null;

  constructor(
    private readonly flush: () => void,
    private readonly intervalMs = 100,
    private readonly timers: TimerLike = {
      setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
      clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof globalThis.setTimeout>),
      now: () => performance.now(),
    },
  ) {}

  request(): void {
    if (this.#handle !== null) return;
    const wait = Math.max(0, this.#last + this.intervalMs - this.timers.now());
    this.#handle = this.timers.setTimeout(() => {
      this.#handle = null;
      this.#last = this.timers.now();
      this.flush();
    }, wait);
  }

  cancel(): void {
    if (this.#handle !== null) this.timers.clearTimeout(this.#handle);
    this.#handle = null;
  }
}
