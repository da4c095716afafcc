/**
 * Run progress reducer (framework-free).
 *
 * Role: fold the host's stream of RunEvents for ONE run into the state the Training tab shows
 * (status, epoch/batch counters, fraction done, latest loss, per-epoch loss history).
 * Invariants: pure (returns a new object or the same one when nothing changed); events of
 * other runs are ignored; once a terminal event arrived, later events change nothing;
 * `fraction` is in [0, 1] and never decreases while running.
 */
import type { RunEvent } from '../../engine/session/protocol';

export type RunStatus =
  'idle' | 'starting' | 'running' | 'paused' | 'finished' | 'stopped' | 'failed' | 'crashed';

export interface RunProgress {
  readonly runId: string | null;
  readonly status: RunStatus;
  readonly backend: string | null;
  /** 1-based epoch of the latest batch/epoch event; 0 before the first. */
  readonly epoch: number;
  readonly epochs: number;
  /** 1-based batch within `epoch`; 0 before the first. */
  readonly batch: number;
  readonly batchesPerEpoch: number;
  /** Batches done / total batches, in [0, 1]. */
  readonly fraction: number;
  /** Loss of the latest batch; null before the first. */
  readonly lastLoss: number | null;
  /** Mean training loss of each finished epoch, in order (from `epoch` events' train.loss). */
  readonly epochLosses: readonly number[];
  /** Human-readable reason for failed/crashed runs, else null. */
  readonly message: string | null;
}

export const IDLE_PROGRESS: RunProgress = {
  runId: null,
  status: 'idle',
  backend: null,
  epoch: 0,
  epochs: 0,
  batch: 0,
  batchesPerEpoch: 0,
  fraction: 0,
  lastLoss: null,
  epochLosses: [],
  message: null,
};

/** State right after asking the host to start a run (runId not known yet). */
export function startingProgress(): RunProgress {
  return { ...IDLE_PROGRESS, status: 'starting' };
}

/** True for statuses after which no further events are expected. */
export function isTerminal(status: RunStatus): boolean {
  return status === 'finished' || status === 'stopped' || status === 'failed' || status === 'crashed';
}

/** Fraction of all batches done after batch `batch` of epoch `epoch` (both 1-based). */
export function batchFraction(epoch: number, batch: number, batchesPerEpoch: number, epochs: number): number {
  const total = epochs * batchesPerEpoch;
  if (!(total > 0)) return 0;
  const done = (epoch - 1) * batchesPerEpoch + batch;
  return Math.min(1, Math.max(0, done / total));
}

/**
 * Apply one event to the progress of run `runId`. Events whose runId differs are ignored
 * (the host broadcasts all runs); events without runId (hello, protocol-error) are ignored.
 */
export function applyRunEvent(p: RunProgress, runId: string, event: RunEvent): RunProgress {
  if (!('runId' in event) || event.runId !== runId) return p;
  if (isTerminal(p.status)) return p;
  const base: RunProgress = p.runId === runId ? p : { ...p, runId };
  switch (event.type) {
    case 'started':
      return {
        ...base,
        status: 'running',
        backend: event.backend,
        epochs: event.epochs,
        batchesPerEpoch: event.batchesPerEpoch,
      };
    case 'batch': {
      const epochs = base.epochs || event.epoch;
      const fraction = batchFraction(event.epoch, event.batch, event.batchesPerEpoch, epochs);
      return {
        ...base,
        status: base.status === 'paused' ? 'paused' : 'running',
        epoch: event.epoch,
        batch: event.batch,
        batchesPerEpoch: event.batchesPerEpoch,
        epochs,
        lastLoss: event.loss,
        fraction: Math.max(base.fraction, fraction),
      };
    }
    case 'epoch': {
      const loss = event.train.loss;
      return {
        ...base,
        epoch: event.epoch,
        epochs: event.epochs,
        fraction: Math.max(base.fraction, event.epochs > 0 ? Math.min(1, event.epoch / event.epochs) : 0),
        epochLosses: typeof loss === 'number' ? [...base.epochLosses, loss] : base.epochLosses,
      };
    }
    case 'paused':
      return { ...base, status: 'paused' };
    case 'resumed':
      return { ...base, status: 'running' };
    case 'finished':
      return { ...base, status: 'finished', fraction: 1 };
    case 'stopped':
      return { ...base, status: 'stopped' };
    case 'failed':
      return { ...base, status: 'failed', message: `${event.message} (${event.code})` };
    case 'crashed':
      return { ...base, status: 'crashed', message: `Trainer crashed (${event.exit}): ${event.message}` };
    default:
      event satisfies never;
      return base;
  }
}

/** One-line summary for the status text next to the progress bar. */
export function describeProgress(p: RunProgress): string {
  switch (p.status) {
    case 'idle':
      return 'No run yet.';
    case 'starting':
      return 'Starting trainer…';
    case 'running':
    case 'paused': {
      const where =
        p.epoch > 0
          ? `Epoch ${p.epoch}/${p.epochs} · batch ${p.batch}/${p.batchesPerEpoch}`
          : 'Waiting for first batch…';
      return p.status === 'paused' ? `Paused · ${where}` : where;
    }
    case 'finished':
      return `Finished ${p.epochs} epoch${p.epochs === 1 ? '' : 's'}.`;
    case 'stopped':
      return `Stopped after epoch ${p.epoch}.`;
    case 'failed':
    case 'crashed':
      return p.message ?? 'The run ended with an error.';
    default:
      p.status satisfies never;
      return '';
  }
}
