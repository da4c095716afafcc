/**
 * Run tracker (framework-free): follows ONE run through the host's broadcast event stream.
 *
 * Role: hold the run id and the progress, buffering events that arrive before the host told us
 * the run id (the trainer may emit `started`/`batch` before `startRun` resolves) and replaying
 * the matching ones once it is known. Invariants: events of other runs never change progress;
 * after `fail`, only a new `begin` restarts tracking; `onChange` fires only on real changes.
 */
import type { RunEvent } from '../../engine/session/protocol';
import { applyRunEvent, IDLE_PROGRESS, startingProgress, type RunProgress } from './run-progress';

export class RunTracker {
  #progress: RunProgress = IDLE_PROGRESS;
  #runId: string | null = null;
  #pending: RunEvent[] = [];

  /** @param onChange called with the new progress after every change. */
  constructor(private readonly onChange: (progress: RunProgress) => void) {}

  get progress(): RunProgress {
    return this.#progress;
  }

  get runId(): string | null {
    return this.#runId;
  }

  /** A start was requested; the run id is not known yet. */
  begin(): void {
    this.#runId = null;
    this.#pending = [];
    this.#set(startingProgress());
  }

  /** The host accepted the run as `runId`: replay the buffered events of that run. */
  accept(runId: string): void {
    this.#runId = runId;
    let p: RunProgress = { ...this.#progress, runId };
    for (const e of this.#pending) p = applyRunEvent(p, runId, e);
    this.#pending = [];
    this.#set(p);
  }

  /** Starting or controlling the run failed on the host side (no event will explain it). */
  fail(message: string): void {
    this.#pending = [];
    this.#set({ ...this.#progress, status: 'failed', message });
  }

  /** Feed every event the host broadcasts. */
  handle(event: RunEvent): void {
    if (this.#runId === null) {
      // Only buffer while a start is pending; stray events while idle are not ours.
      if (this.#progress.status === 'starting') this.#pending.push(event);
      return;
    }
    this.#set(applyRunEvent(this.#progress, this.#runId, event));
  }

  #set(p: RunProgress): void {
    if (p === this.#progress) return;
    this.#progress = p;
    this.onChange(p);
  }
}
