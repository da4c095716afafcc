/**
 * Learning-rate schedules as pure functions of the step or epoch counter t (0-based) — and, for
 * reduce-on-plateau, of the validation-metric history (lecture "Adaptive learning rate":
 * linear decay α₀ → α_f, halve on a fixed schedule, halve when the validation error stops
 * improving, 1-cycle, SGDR; plus constant, exponential, cosine and a linear warm-up in front of any).
 * Invariants: no state, no mutation; the same (spec, t, history) always gives the same rate, so a
 * resumed run and the curve drawn in the editor agree with training. Whether t counts steps or
 * epochs is the caller's choice (the trainer decides; the editor labels the axis).
 */

export type ScheduleSpec =
  | { kind: 'constant'; lr: number }
  /** α₀ + (α_f − α₀)·min(t/T, 1). */
  | { kind: 'linear'; lr: number; finalLr: number; duration: number }
  /** α₀·γ^⌊t/k⌋ ('halve on a fixed schedule' with γ = 0.5). */
  | { kind: 'step'; lr: number; gamma: number; every: number }
  /** α₀·γᵗ. */
  | { kind: 'exponential'; lr: number; gamma: number }
  /** α_min + ½(α₀ − α_min)(1 + cos(π·min(t, T)/T)) (Loshchilov & Hutter 2017, one cycle). */
  | { kind: 'cosine'; lr: number; minLr: number; duration: number }
  /**
   * Reduce on plateau: multiply by `factor` once the metric has gone `patience` consecutive epochs
   * without improving on the best by more than `minDelta`; never below `minLr`; after a
   * reduction, ignore `cooldown` epochs. NaN metrics count as no improvement.
   */
  | {
      kind: 'plateau';
      lr: number;
      factor: number;
      patience: number;
      minLr: number;
      minDelta: number;
      cooldown?: number;
      mode?: 'min' | 'max';
    }
  /**
   * 1-cycle (Smith & Topin 2018): cosine rise from maxLr/divFactor to maxLr over the first
   * pctStart·T, then cosine fall to maxLr/(divFactor·finalDivFactor) at t = T.
   */
  | {
      kind: 'onecycle';
      maxLr: number;
      duration: number;
      pctStart: number;
      divFactor: number;
      finalDivFactor: number;
    }
  /** SGDR (Loshchilov & Hutter 2017): cosine from lr to minLr over T_i = T₀·T_mult^i, then restart. */
  | { kind: 'sgdr'; lr: number; minLr: number; t0: number; tMult: number }
  /** Linear warm-up from startFactor·α(0) to α(0) over `warmup` counts, then `then` shifted by `warmup`. */
  | { kind: 'warmup'; warmup: number; startFactor: number; then: ScheduleSpec };

const cosBetween = (start: number, end: number, p: number) =>
  end + 0.5 * (start - end) * (1 + Math.cos(Math.PI * p));

function need(cond: boolean, kind: string, msg: string): void {
  if (!cond) throw new RangeError(`schedule '${kind}': ${msg}`);
}

/**
 * Validates a schedule spec.
 * @throws RangeError naming the schedule and field (negative rates, non-positive durations, γ ∉ (0, 1], …).
 */
export function validateSchedule(s: ScheduleSpec): void {
  const pos = (v: number) => Number.isFinite(v) && v > 0;
  const nonneg = (v: number) => Number.isFinite(v) && v >= 0;
  switch (s.kind) {
    case 'constant':
      return need(nonneg(s.lr), s.kind, `lr must be ≥ 0, got ${s.lr}`);
    case 'linear':
      need(nonneg(s.lr) && nonneg(s.finalLr), s.kind, 'lr and finalLr must be ≥ 0');
      return need(pos(s.duration), s.kind, `duration must be > 0, got ${s.duration}`);
    case 'step':
      need(nonneg(s.lr), s.kind, 'lr must be ≥ 0');
      need(pos(s.gamma) && s.gamma <= 1, s.kind, `gamma must be in (0, 1], got ${s.gamma}`);
      return need(
        Number.isInteger(s.every) && s.every > 0,
        s.kind,
        `every must be a positive integer, got ${s.every}`,
      );
    case 'exponential':
      need(nonneg(s.lr), s.kind, 'lr must be ≥ 0');
      return need(pos(s.gamma) && s.gamma <= 1, s.kind, `gamma must be in (0, 1], got ${s.gamma}`);
    case 'cosine':
      need(nonneg(s.lr) && nonneg(s.minLr) && s.minLr <= s.lr, s.kind, 'need 0 ≤ minLr ≤ lr');
      return need(pos(s.duration), s.kind, `duration must be > 0, got ${s.duration}`);
    case 'plateau':
      need(nonneg(s.lr) && nonneg(s.minLr), s.kind, 'lr and minLr must be ≥ 0');
      need(pos(s.factor) && s.factor < 1, s.kind, `factor must be in (0, 1), got ${s.factor}`);
      need(
        Number.isInteger(s.patience) && s.patience >= 1,
        s.kind,
        `patience must be an integer ≥ 1, got ${s.patience}`,
      );
      need(nonneg(s.minDelta), s.kind, `minDelta must be ≥ 0, got ${s.minDelta}`);
      return need(
        s.cooldown === undefined || (Number.isInteger(s.cooldown) && s.cooldown >= 0),
        s.kind,
        'cooldown must be an integer ≥ 0',
      );
    case 'onecycle':
      need(pos(s.maxLr), s.kind, `maxLr must be > 0, got ${s.maxLr}`);
      need(pos(s.duration), s.kind, `duration must be > 0, got ${s.duration}`);
      need(s.pctStart > 0 && s.pctStart < 1, s.kind, `pctStart must be in (0, 1), got ${s.pctStart}`);
      return need(
        s.divFactor >= 1 && s.finalDivFactor >= 1,
        s.kind,
        'divFactor and finalDivFactor must be ≥ 1',
      );
    case 'sgdr':
      need(nonneg(s.lr) && nonneg(s.minLr) && s.minLr <= s.lr, s.kind, 'need 0 ≤ minLr ≤ lr');
      need(pos(s.t0), s.kind, `t0 must be > 0, got ${s.t0}`);
      return need(Number.isFinite(s.tMult) && s.tMult >= 1, s.kind, `tMult must be ≥ 1, got ${s.tMult}`);
    case 'warmup':
      need(
        Number.isInteger(s.warmup) && s.warmup >= 0,
        s.kind,
        `warmup must be an integer ≥ 0, got ${s.warmup}`,
      );
      need(
        s.startFactor >= 0 && s.startFactor <= 1,
        s.kind,
        `startFactor must be in [0, 1], got ${s.startFactor}`,
      );
      return validateSchedule(s.then);
    default:
      throw new RangeError(`unknown schedule kind '${(s as { kind: string }).kind}'`);
  }
}

/**
 * Learning rate at counter t.
 * @param t step or epoch index, integer ≥ 0 (non-integers are allowed for drawing smooth curves).
 * @param history for 'plateau': the validation metric of each completed epoch (the rate returned
 *   is the one to use after them); ignored by the other kinds.
 * @throws RangeError for an invalid spec or t < 0.
 */
export function learningRate(spec: ScheduleSpec, t: number, history: readonly number[] = []): number {
  if (!(t >= 0)) throw new RangeError(`learningRate: t must be ≥ 0, got ${t}`);
  validateSchedule(spec);
  return rateAt(spec, t, history);
}

function rateAt(s: ScheduleSpec, t: number, history: readonly number[]): number {
  switch (s.kind) {
    case 'constant':
      return s.lr;
    case 'linear':
      return s.lr + (s.finalLr - s.lr) * Math.min(t / s.duration, 1);
    case 'step':
      return s.lr * Math.pow(s.gamma, Math.floor(t / s.every));
    case 'exponential':
      return s.lr * Math.pow(s.gamma, t);
    case 'cosine':
      return cosBetween(s.lr, s.minLr, Math.min(t, s.duration) / s.duration);
    case 'plateau':
      return plateauRate(s, history);
    case 'onecycle': {
      const initial = s.maxLr / s.divFactor;
      const final = initial / s.finalDivFactor;
      const up = s.pctStart * s.duration;
      if (t <= up) return cosBetween(initial, s.maxLr, t / up);
      return cosBetween(s.maxLr, final, Math.min(t - up, s.duration - up) / (s.duration - up));
    }
    case 'sgdr': {
      let ti = s.t0;
      let tc = t;
      // Subtract whole cycles; cycles grow geometrically, so this loop is short unless tMult = 1.
      if (s.tMult === 1) tc = t - Math.floor(t / ti) * ti;
      else
        while (tc >= ti) {
          tc -= ti;
          ti *= s.tMult;
        }
      return cosBetween(s.lr, s.minLr, tc / ti);
    }
    case 'warmup': {
      if (t < s.warmup) {
        const target = rateAt(s.then, 0, history);
        return target * (s.startFactor + ((1 - s.startFactor) * t) / s.warmup);
      }
      return rateAt(s.then, t - s.warmup, history);
    }
  }
}

/** Internal trace of reduce-on-plateau over a metric history (exported for tests and the UI). */
export function plateauTrace(
  s: Extract<ScheduleSpec, { kind: 'plateau' }>,
  history: readonly number[],
): { lr: number; reductions: number[] } {
  const sign = s.mode === 'max' ? -1 : 1;
  let best = Infinity;
  let wait = 0;
  let cool = 0;
  let lr = s.lr;
  const reductions: number[] = [];
  history.forEach((raw, epoch) => {
    const m = sign * raw;
    if (Number.isFinite(m) && m < best - s.minDelta) {
      best = m;
      wait = 0;
    } else {
      wait++;
    }
    if (cool > 0) {
      cool--;
      wait = 0;
      return;
    }
    if (wait >= s.patience) {
      const next = Math.max(lr * s.factor, s.minLr);
      if (next < lr) reductions.push(epoch);
      lr = next;
      wait = 0;
      cool = s.cooldown ?? 0;
    }
  });
  return { lr, reductions };
}

function plateauRate(s: Extract<ScheduleSpec, { kind: 'plateau' }>, history: readonly number[]): number {
  return plateauTrace(s, history).lr;
}

/**
 * Samples a schedule for drawing: rates at t = 0, 1, …, count − 1.
 * @param history for 'plateau', the metric history; the rate at t uses its first t entries.
 */
export function sampleSchedule(
  spec: ScheduleSpec,
  count: number,
  history: readonly number[] = [],
): Float64Array {
  validateSchedule(spec);
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`sampleSchedule: count must be an integer ≥ 0, got ${count}`);
  const out = new Float64Array(count);
  for (let t = 0; t < count; t++) out[t] = rateAt(spec, t, history.slice(0, t));
  return out;
}
