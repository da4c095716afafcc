/**
 * Run history (framework-free): folds the trainer's event stream of each run into the series the
 * training dashboard draws and the run-comparison table lists.
 *
 * Invariants:
 * - A `RunRecord` is appended to in place (events arrive 10–100×/s; copying grows quadratically)
 *   and `version` increases on every change, so a view can redraw when the version moved.
 * - Every per-epoch series (`series[key]`, `gradNorms[tensor]`) has exactly `epochs.length`
 *   entries; a value an epoch did not report is NaN (a chart gap), never a shifted point.
 * - Events of other runs and events after a terminal one change nothing.
 * - Weight histograms are kept for at most MAX_HISTOGRAM_SNAPSHOTS epochs: when full, every second
 *   snapshot is dropped (the first and the newest are always kept), so long runs stay bounded.
 */
import type { BackendChoice, RunEvent } from '../../engine/session/protocol';
import type { TensorStats } from '../../engine/session/events';
import type { Run } from '../../engine/project/types';
import { isTerminal, type RunStatus } from '../lib/run-progress';
import { predictionsOf, type PredictionSet } from './predictions';

/** What the user chose for a run (shown in history and the comparison table). */
export interface RunSettings {
  epochs: number;
  batchSize: number;
  seed: number;
  backend: BackendChoice;
}

export interface HistogramSnapshot {
  epoch: number;
  /** Weights' histogram per tensor, and the gradient's (`grad`) when the epoch event carried one. */
  layers: {
    name: string;
    min: number;
    max: number;
    counts: number[];
    grad?: { min: number; max: number; counts: number[] };
  }[];
}

export interface RunRecord {
  /** Local id (stable before the trainer assigned a runId). */
  id: string;
  label: string;
  runId: string | null;
  settings: RunSettings;
  /** Dataset display name, when known. */
  dataset: string | null;
  status: RunStatus;
  backend: string | null;
  /** Why the trainer chose this backend (real runs), e.g. 'WebGPU unavailable: no adapter'. */
  backendReason: string | null;
  /** CPU threads computing the matrix products (null: not reported). */
  threads: number | null;
  message: string | null;
  epochsPlanned: number;
  batchesPerEpoch: number;
  /** Progress in [0, 1] (batches done / all batches). */
  fraction: number;
  /** Epoch numbers (1-based) of the finished epochs, in order. */
  epochs: number[];
  /** Per-epoch series: 'train.loss', 'validation.loss', 'train.accuracy', …, and 'lr'. */
  series: Record<string, number[]>;
  /** Per-epoch gradient L2 norm per parameter tensor ('dense1.weight'), plus 'global'. */
  gradNorms: Record<string, number[]>;
  /** Per-epoch weight L2 norm per parameter tensor. */
  weightNorms: Record<string, number[]>;
  histograms: HistogramSnapshot[];
  /** Batch losses as (epoch + batch/batchesPerEpoch − 1, loss), for the fine-grained loss line. */
  batchX: number[];
  batchLoss: number[];
  /** Final metrics of a finished run. */
  final: { train: Record<string, number>; validation: Record<string, number> | null } | null;
  /** Predictions of one split sent with the terminal event (optional on the wire), else null. */
  predictions: PredictionSet | null;
  version: number;
}

export const MAX_HISTOGRAM_SNAPSHOTS = 64;
/** Batch points kept per run; beyond, every second one is dropped (as for histograms). */
export const MAX_BATCH_POINTS = 4000;

export function newRunRecord(
  id: string,
  label: string,
  settings: RunSettings,
  dataset: string | null = null,
): RunRecord {
  return {
    id,
    label,
    runId: null,
    settings: { ...settings },
    dataset,
    status: 'starting',
    backend: null,
    backendReason: null,
    threads: null,
    message: null,
    epochsPlanned: settings.epochs,
    batchesPerEpoch: 0,
    fraction: 0,
    epochs: [],
    series: {},
    gradNorms: {},
    weightNorms: {},
    histograms: [],
    batchX: [],
    batchLoss: [],
    final: null,
    predictions: null,
    version: 0,
  };
}

/** Extra fields of real-training epoch events (engine/session/events.ts SessionEpoch); optional on the wire. */
interface EpochExtras {
  gradientNorm?: { global: number; perTensor: Record<string, number> };
  layers?: TensorStats[];
}

/** Append `value` to series `key`, first padding it with NaN so it lines up with `epochs`. */
function push(target: Record<string, number[]>, key: string, value: number, index: number): void {
  const s = (target[key] ??= []);
  while (s.length < index) s.push(NaN);
  s[index] = value;
}

/** Pad every series of `target` to length n with NaN (a key missing this epoch). */
function padAll(target: Record<string, number[]>, n: number): void {
  for (const s of Object.values(target)) while (s.length < n) s.push(NaN);
}

/** Drop every second element of `a` except the first and the last. */
export function thinHalf<T>(a: readonly T[]): T[] {
  if (a.length <= 2) return [...a];
  const out = a.filter((_, i) => i % 2 === 0);
  if (out[out.length - 1] !== a[a.length - 1]) out.push(a[a.length - 1]);
  return out;
}

/**
 * Apply one event to a run record (in place). Returns true when the record changed.
 * Events of another run (by runId) are ignored; the record must have `runId` set by the caller
 * once the host accepted the run (`record.runId = id`).
 */
export function applyEvent(r: RunRecord, event: RunEvent): boolean {
  if (!('runId' in event) || r.runId === null || event.runId !== r.runId) return false;
  if (isTerminal(r.status)) return false;
  switch (event.type) {
    case 'started':
      r.status = 'running';
      r.backend = event.backend;
      r.backendReason = event.selection?.reason ?? null;
      r.threads = event.threads ?? null;
      r.epochsPlanned = event.epochs;
      r.batchesPerEpoch = event.batchesPerEpoch;
      break;
    case 'batch': {
      const bpe = event.batchesPerEpoch || 1;
      r.batchesPerEpoch = event.batchesPerEpoch;
      const total = (r.epochsPlanned || event.epoch) * bpe;
      r.fraction = Math.max(r.fraction, Math.min(1, ((event.epoch - 1) * bpe + event.batch) / total));
      if (r.status === 'starting') r.status = 'running';
      r.batchX.push(event.epoch - 1 + event.batch / bpe);
      r.batchLoss.push(event.loss);
      if (r.batchX.length > MAX_BATCH_POINTS) {
        r.batchX = thinHalf(r.batchX);
        r.batchLoss = thinHalf(r.batchLoss);
      }
      break;
    }
    case 'epoch': {
      const i = r.epochs.length;
      r.epochs.push(event.epoch);
      r.epochsPlanned = event.epochs;
      r.fraction = Math.max(r.fraction, event.epochs > 0 ? Math.min(1, event.epoch / event.epochs) : 0);
      for (const [k, v] of Object.entries(event.train)) push(r.series, `train.${k}`, v, i);
      if (event.validation)
        for (const [k, v] of Object.entries(event.validation)) push(r.series, `validation.${k}`, v, i);
      push(r.series, 'lr', event.learningRate, i);
      const extra = event as typeof event & EpochExtras;
      if (extra.gradientNorm) {
        push(r.gradNorms, 'global', extra.gradientNorm.global, i);
        for (const [k, v] of Object.entries(extra.gradientNorm.perTensor)) push(r.gradNorms, k, v, i);
      }
      if (extra.layers && extra.layers.length > 0) {
        for (const l of extra.layers) {
          push(r.weightNorms, l.name, l.weightNorm, i);
          if (!extra.gradientNorm && l.trainable) push(r.gradNorms, l.name, l.gradNorm, i);
        }
        r.histograms.push({
          epoch: event.epoch,
          layers: extra.layers.map((l) => ({
            name: l.name,
            min: l.histogram.min,
            max: l.histogram.max,
            counts: [...l.histogram.counts],
            ...(l.gradHistogram
              ? {
                  grad: {
                    min: l.gradHistogram.min,
                    max: l.gradHistogram.max,
                    counts: [...l.gradHistogram.counts],
                  },
                }
              : {}),
          })),
        });
        if (r.histograms.length > MAX_HISTOGRAM_SNAPSHOTS) r.histograms = thinHalf(r.histograms);
      }
      padAll(r.series, i + 1);
      padAll(r.gradNorms, i + 1);
      padAll(r.weightNorms, i + 1);
      break;
    }
    case 'paused':
      r.status = 'paused';
      break;
    case 'resumed':
      r.status = 'running';
      break;
    case 'finished':
      r.status = 'finished';
      r.fraction = 1;
      r.final = {
        train: { ...event.metrics.train },
        validation: event.metrics.validation ? { ...event.metrics.validation } : null,
      };
      r.predictions = predictionsOf(event);
      break;
    case 'stopped':
      r.status = 'stopped';
      r.predictions = predictionsOf(event);
      break;
    case 'failed':
      r.status = 'failed';
      r.message = `${event.message} (${event.code})`;
      break;
    case 'crashed':
      r.status = 'crashed';
      r.message = `Trainer crashed (${event.exit}): ${event.message}`;
      break;
    default:
      event satisfies never;
      return false;
  }
  r.version++;
  return true;
}

/** The task's headline metric present in a run: 'accuracy' (classification) or 'r2' (regression), else null. */
export function headlineMetric(r: RunRecord): 'accuracy' | 'r2' | null {
  if ('train.accuracy' in r.series || 'validation.accuracy' in r.series) return 'accuracy';
  if ('train.r2' in r.series || 'validation.r2' in r.series) return 'r2';
  return null;
}

/** Last finite value of a series, or null. */
export function lastFinite(s: readonly number[] | undefined): number | null {
  if (!s) return null;
  for (let i = s.length - 1; i >= 0; i--) if (Number.isFinite(s[i])) return s[i];
  return null;
}

/** Index of the smallest finite value of a series, or -1. */
export function argminFinite(s: readonly number[] | undefined): number {
  let best = -1;
  if (!s) return best;
  for (let i = 0; i < s.length; i++) if (Number.isFinite(s[i]) && (best < 0 || s[i] < s[best])) best = i;
  return best;
}

/** One row of the comparison table. */
export interface ComparisonRow {
  run: string;
  status: RunStatus;
  dataset: string;
  epochs: number;
  batchSize: number;
  seed: number;
  backend: string;
  trainLoss: number | null;
  validationLoss: number | null;
  /** Epoch (1-based) with the lowest validation loss, or null. */
  bestEpoch: number | null;
  metric: string | null;
  trainMetric: number | null;
  validationMetric: number | null;
}

export function comparisonRow(r: RunRecord): ComparisonRow {
  const m = headlineMetric(r);
  const best = argminFinite(r.series['validation.loss']);
  return {
    run: r.label,
    status: r.status,
    dataset: r.dataset ?? '',
    epochs: r.epochs.length,
    batchSize: r.settings.batchSize,
    seed: r.settings.seed,
    backend: r.backend ?? r.settings.backend,
    trainLoss: lastFinite(r.series['train.loss']),
    validationLoss: lastFinite(r.series['validation.loss']),
    bestEpoch: best >= 0 ? r.epochs[best] : null,
    metric: m,
    trainMetric: m ? lastFinite(r.series[`train.${m}`]) : null,
    validationMetric: m ? lastFinite(r.series[`validation.${m}`]) : null,
  };
}

/** Saved statuses as the dashboard names them ('running' in a file: the app stopped mid-run). */
const SAVED_STATUS: Record<Run['status'], RunStatus> = {
  running: 'stopped',
  completed: 'finished',
  'early-stopped': 'finished',
  stopped: 'stopped',
  failed: 'failed',
};

/**
 * A run saved in the project as a dashboard record, so that an opened project shows its own
 * history (curves, final metrics, comparison row). Per-epoch histograms and batch losses are not
 * saved in projects; those views stay empty for such a run.
 */
export function recordFromSavedRun(run: Run, id: string, label: string): RunRecord {
  const t = run.settings;
  const backend: BackendChoice = t.backend === 'cpu' || t.backend === 'webgpu' ? t.backend : 'auto';
  const r = newRunRecord(id, run.name ?? label, {
    epochs: t.epochs,
    batchSize: t.batchSize,
    seed: t.seed,
    backend,
  });
  r.runId = run.id;
  r.status = SAVED_STATUS[run.status];
  r.epochsPlanned = t.epochs;
  run.history.forEach((e, i) => {
    r.epochs.push(e.epoch);
    for (const [k, v] of Object.entries(e.train)) push(r.series, `train.${k}`, v, i);
    if (e.validation)
      for (const [k, v] of Object.entries(e.validation)) push(r.series, `validation.${k}`, v, i);
    push(r.series, 'lr', e.learningRate, i);
    if (e.gradientNorm) {
      push(r.gradNorms, 'global', e.gradientNorm.global, i);
      for (const [k, v] of Object.entries(e.gradientNorm.perTensor)) push(r.gradNorms, k, v, i);
    }
    padAll(r.series, i + 1);
    padAll(r.gradNorms, i + 1);
  });
  r.fraction = t.epochs > 0 ? Math.min(1, r.epochs.length / t.epochs) : 1;
  if (r.status === 'finished') r.fraction = 1;
  r.final = run.final
    ? { train: { ...run.final.train }, validation: run.final.validation ? { ...run.final.validation } : null }
    : null;
  r.version = 1;
  return r;
}
