/**
 * Data for the inspector's small plots (framework-free; chart.js draws them):
 * an activation and its derivative over [−5, 5] (engine/nn), an initializer's distribution for a
 * layer's fan-in/fan-out (engine/init samples, as a histogram density), and a schedule's learning-rate
 * curve over the planned epochs (engine/schedules).
 *
 * Invariants: every function returns null instead of throwing when a plot does not apply or the
 * params are invalid (the inspector already shows the param error).
 */
import { evaluateActivation, type ActivationName, type ActivationParams } from '../../engine/nn';
import { initialize, type InitSpec } from '../../engine/init';
import { makeSchedule, sampleSchedule, scheduleInfos } from '../../engine/schedules';
import { Rng } from '../../engine/random/rng';

export interface Series {
  readonly label: string;
  readonly points: readonly { x: number; y: number }[];
}

export interface PlotData {
  readonly title: string;
  readonly xLabel: string;
  readonly series: readonly Series[];
}

/** ρ(x) and ρ′(x) at 201 points over [−5, 5]; null for softmax (a row function) or bad params. */
export function activationPlot(key: string, params: Record<string, unknown>): PlotData | null {
  if (key === 'softmax') return null;
  try {
    const value: { x: number; y: number }[] = [];
    const deriv: { x: number; y: number }[] = [];
    for (let i = 0; i <= 200; i++) {
      const x = (i - 100) / 20;
      const r = evaluateActivation(key as ActivationName, x, params as ActivationParams);
      value.push({ x, y: r.value });
      deriv.push({ x, y: r.derivative });
    }
    return {
      title: 'ρ(x) and ρ′(x)',
      xLabel: 'x',
      series: [
        { label: 'ρ(x)', points: value },
        { label: 'ρ′(x)', points: deriv },
      ],
    };
  } catch {
    return null;
  }
}

/**
 * Density (histogram of 20,000 seeded draws, 40 bins) of initializer `key` for a weight of shape
 * [fanIn, fanOut]. Null for constant initializers (zeros, ones, constant) or bad params.
 */
export function initializerPlot(
  key: string,
  params: Record<string, unknown>,
  fanIn: number,
  fanOut: number,
): PlotData | null {
  if (key === 'zeros' || key === 'ones' || key === 'constant') return null;
  try {
    const spec = { kind: key, ...params } as InitSpec;
    const n = 20_000;
    const draws = initialize(spec, [n], new Rng(1), new Float64Array(n), { fanIn, fanOut });
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of draws) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (!(hi > lo)) return null;
    const bins = 40;
    const w = (hi - lo) / bins;
    const counts = new Array<number>(bins).fill(0);
    for (const v of draws) counts[Math.min(bins - 1, Math.floor((v - lo) / w))]++;
    const points = counts.map((c, i) => ({ x: lo + (i + 0.5) * w, y: c / (n * w) }));
    return {
      title: `Distribution for fan-in ${fanIn}, fan-out ${fanOut}`,
      xLabel: 'weight',
      series: [{ label: 'density', points }],
    };
  } catch {
    return null;
  }
}

/** The learning rate at each epoch 0 … epochs − 1 for schedule `key` with base rate `lr`. */
export function schedulePlot(
  key: string,
  params: Record<string, unknown>,
  lr: number,
  epochs: number,
): PlotData | null {
  try {
    // The optimizer's rate is α₀ only for schedules that take one (1-cycle names its own α_max).
    const takesLr = scheduleInfos()
      .find((s) => s.name === key)
      ?.hyper.some((h) => h.name === 'lr');
    const hyper: Record<string, number> = takesLr ? { lr } : {};
    for (const [k, v] of Object.entries(params)) if (typeof v === 'number') hyper[k] = v;
    const spec = makeSchedule(key, hyper);
    const rates = sampleSchedule(spec, Math.max(2, epochs));
    return {
      title: takesLr
        ? `Learning rate over ${epochs} epochs (α₀ = ${lr})`
        : `Learning rate over ${epochs} epochs`,
      xLabel: 'epoch',
      series: [{ label: 'α(t)', points: Array.from(rates, (y, x) => ({ x, y })) }],
    };
  } catch {
    return null;
  }
}
