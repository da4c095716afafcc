/**
 * Typed events of a training session (engine/session/run.ts), in the order a run emits them:
 * `started` → (`batch`* `epoch`)* → exactly one of `finished`, `stopped`, `failed`.
 * Plain structured-cloneable data, so a trainer can forward them across a process boundary as they are.
 *
 * Units: times in milliseconds; norms are L2 norms; metric names follow engine/metrics ('loss',
 * 'accuracy', 'auc', 'rmse', 'mae', 'r2'); regression rmse/mae are in the units of the data file.
 */

import type { BackendDecision } from './device';

/** Weight and gradient statistics of one parameter tensor at the end of an epoch. */
export interface TensorStats {
  /** Store name, `<nodeId>.<local name>` (e.g. 'dense1.weight'). */
  name: string;
  nodeId: string;
  trainable: boolean;
  weightNorm: number;
  /** L2 norm of the gradient of the epoch's last step (after clipping); 0 for frozen tensors. */
  gradNorm: number;
  /** Histogram of the values: `bins` equal-width bins from min to max. */
  histogram: { min: number; max: number; counts: number[] };
  /**
   * Histogram of the gradient of the epoch's last step (after clipping; on WebGPU read back into the
   * CPU twin), same scheme: `bins` equal-width bins from the gradient's min to max. Frozen tensors:
   * all-zero counts with min = max = 0. Absent in events of older trainers and in saved runs.
   */
  gradHistogram?: { min: number; max: number; counts: number[] };
}

export interface SessionStarted {
  type: 'started';
  /** The backend the run trains on and why (with the 'auto' measurement when one was made). */
  backend: BackendDecision;
  /** Epoch the run starts at (1, or the checkpoint's epoch + 1 when continuing). */
  startEpoch: number;
  epochs: number;
  batchesPerEpoch: number;
  batchSize: number;
  /** Threads computing the CPU matrix products (1 without helper threads; engine/backend/wasm/pool.ts). */
  threads: number;
  paramCount: number;
  task: 'regression' | 'binary' | 'multiclass';
  rows: { train: number; validation: number; test: number };
}

/** One optimisation step finished (throttled to at most 20 per second, plus each epoch's last). */
export interface SessionBatch {
  type: 'batch';
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
  /** Mean loss of this batch (training mode, penalties included). */
  loss: number;
}

export interface SessionEpoch {
  type: 'epoch';
  epoch: number;
  epochs: number;
  /** 'loss' is the mean batch loss; other metrics are evaluated on the training split in eval mode. */
  train: Record<string, number>;
  validation: Record<string, number> | null;
  learningRate: number;
  /** Global L2 norm of the last step's gradient, and per tensor. */
  gradientNorm: { global: number; perTensor: Record<string, number> };
  layers: TensorStats[];
  /** Wall time of this epoch, and since the run started. */
  wallMs: number;
  elapsedMs: number;
}

export interface SessionFinished {
  type: 'finished';
  /** 'early-stopped' when the early-stopping rule ended the run. */
  status: 'completed' | 'early-stopped';
  epochs: number;
  reason: string | null;
  metrics: {
    train: Record<string, number>;
    validation: Record<string, number> | null;
    test: Record<string, number> | null;
  };
}

export interface SessionStopped {
  type: 'stopped';
  /** Last completed epoch. */
  epoch: number;
  /** Which weights were kept. */
  kept: 'best' | 'last';
}

export interface SessionFailed {
  type: 'failed';
  /** 'backend': the compute backend is unavailable or failed (device lost, out of memory, shader error). */
  code: 'bad-project' | 'bad-data' | 'backend' | 'numeric' | 'internal';
  message: string;
  /** Where a numeric failure happened (1-based). */
  epoch?: number;
  batch?: number;
}

export type SessionEvent =
  SessionStarted | SessionBatch | SessionEpoch | SessionFinished | SessionStopped | SessionFailed;
