/**
 * Early stopping as a pure tracker over the validation-metric history: says whether to stop and
 * which epoch's weights to restore. Invariant: a function of (history, options) only — the trainer
 * keeps the weights of `bestEpoch` (e.g. a copy whenever `improvedNow` is true).
 * Semantics follow the usual Keras/PyTorch-Lightning callback: an epoch improves when the metric
 * beats the best so far by more than `minDelta`; stop after `patience` epochs without improvement.
 */

export interface EarlyStoppingOptions {
  /** Epochs without improvement before stopping (integer ≥ 1). */
  patience: number;
  /** Smallest change that counts as an improvement (≥ 0). */
  minDelta?: number;
  /** 'min' for losses, 'max' for accuracies. */
  mode?: 'min' | 'max';
  /** Whether to go back to the best epoch's weights when stopping. */
  restoreBest?: boolean;
}

export interface EarlyStoppingDecision {
  stop: boolean;
  /** Epoch index (into history) with the best metric, or −1 when there is no finite value yet. */
  bestEpoch: number;
  bestValue: number;
  /** Epochs since the best one. */
  epochsWithoutImprovement: number;
  /** True when the last epoch in history is the new best (save its weights now). */
  improvedNow: boolean;
  /** Epoch whose weights to load when stopping (bestEpoch if restoreBest, else null). */
  restoreEpoch: number | null;
  /** Human-readable reason when stop is true. */
  reason: string | null;
}

/**
 * Replays the history (one metric value per completed epoch) and decides.
 * NaN/∞ metrics never improve; a non-finite latest metric stops at once (training diverged).
 * @throws RangeError for patience < 1 or minDelta < 0.
 */
export function earlyStopping(history: readonly number[], opts: EarlyStoppingOptions): EarlyStoppingDecision {
  const { patience, minDelta = 0, mode = 'min', restoreBest = true } = opts;
  if (!Number.isInteger(patience) || patience < 1)
    throw new RangeError(`earlyStopping: patience must be an integer ≥ 1, got ${patience}`);
  if (!(minDelta >= 0)) throw new RangeError(`earlyStopping: minDelta must be ≥ 0, got ${minDelta}`);
  const sign = mode === 'max' ? -1 : 1;
  let best = Infinity;
  let bestEpoch = -1;
  history.forEach((raw, epoch) => {
    const m = sign * raw;
    if (Number.isFinite(m) && (bestEpoch < 0 || m < best - minDelta)) {
      best = m;
      bestEpoch = epoch;
    }
  });
  const last = history.length - 1;
  const since = bestEpoch < 0 ? history.length : last - bestEpoch;
  const diverged = history.length > 0 && !Number.isFinite(history[last]);
  const stop = diverged || since >= patience;
  const reason = !stop
    ? null
    : diverged
      ? `metric became ${history[last]} at epoch ${last}; training diverged`
      : `no improvement larger than ${minDelta} for ${since} epochs (patience ${patience})`;
  return {
    stop,
    bestEpoch,
    bestValue: bestEpoch < 0 ? NaN : sign * best,
    epochsWithoutImprovement: since,
    improvedNow: bestEpoch === last && last >= 0,
    restoreEpoch: stop && restoreBest && bestEpoch >= 0 ? bestEpoch : null,
    reason,
  };
}
