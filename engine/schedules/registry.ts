/**
 * Schedule registry for the editor palette: name → metadata (hyperparameters with defaults and
 * ranges, LaTeX formula, one-line explanation) and a builder from numeric hyperparameters to a
 * `ScheduleSpec`. Invariant: names are stable identifiers saved in project files.
 */
import { resolveHyper, type HyperSpec, type MethodInfo } from '../optim/hyper';
import { validateSchedule, type ScheduleSpec } from './schedules';

const LR: HyperSpec = {
  name: 'lr',
  label: 'α₀',
  default: 0.01,
  min: 0,
  max: 10,
  scale: 'log',
  description: 'initial learning rate',
};
const MIN_LR: HyperSpec = {
  name: 'minLr',
  label: 'α_min',
  default: 0,
  min: 0,
  max: 10,
  scale: 'log',
  description: 'lowest learning rate',
};
const DURATION: HyperSpec = {
  name: 'duration',
  label: 'T',
  default: 100,
  min: 1,
  max: 1e7,
  scale: 'log',
  integer: true,
  description: 'length of the schedule in epochs (or steps)',
};

interface ScheduleEntry extends MethodInfo {
  build(h: Record<string, number>): ScheduleSpec;
}

const ENTRIES: ScheduleEntry[] = [
  {
    name: 'constant',
    label: 'Constant',
    formula: '\\alpha_t = \\alpha_0',
    summary: 'The same learning rate throughout.',
    hyper: [LR],
    build: (h) => ({ kind: 'constant', lr: h.lr }),
  },
  {
    name: 'linear',
    label: 'Linear decay',
    formula: '\\alpha_t = \\alpha_0 + (\\alpha_f - \\alpha_0)\\min(t/T, 1)',
    summary: 'Decreases linearly from α₀ to α_f over T epochs, then stays at α_f.',
    hyper: [
      LR,
      { ...MIN_LR, name: 'finalLr', label: 'α_f', default: 0.001, description: 'final learning rate' },
      DURATION,
    ],
    build: (h) => ({ kind: 'linear', lr: h.lr, finalLr: h.finalLr, duration: h.duration }),
  },
  {
    name: 'step',
    label: 'Step decay',
    formula: '\\alpha_t = \\alpha_0 \\gamma^{\\lfloor t/k \\rfloor}',
    summary: 'Multiplies the rate by γ every k epochs (γ = 0.5: halve on a fixed schedule).',
    hyper: [
      LR,
      {
        name: 'gamma',
        label: 'γ',
        default: 0.5,
        min: 1e-6,
        max: 1,
        scale: 'linear',
        description: 'factor applied every k epochs',
      },
      {
        name: 'every',
        label: 'k',
        default: 10,
        min: 1,
        max: 1e6,
        scale: 'log',
        integer: true,
        description: 'epochs between reductions',
      },
    ],
    build: (h) => ({ kind: 'step', lr: h.lr, gamma: h.gamma, every: h.every }),
  },
  {
    name: 'plateau',
    label: 'Reduce on plateau',
    formula:
      '\\alpha \\leftarrow \\max(\\gamma\\alpha, \\alpha_{min}) \\text{ after } p \\text{ epochs without improvement}',
    summary: 'Halves the rate when the validation loss stops improving for p epochs.',
    hyper: [
      LR,
      {
        name: 'factor',
        label: 'γ',
        default: 0.5,
        min: 1e-6,
        max: 0.999,
        scale: 'linear',
        description: 'factor applied at each plateau',
      },
      {
        name: 'patience',
        label: 'p',
        default: 5,
        min: 1,
        max: 1000,
        scale: 'linear',
        integer: true,
        description: 'epochs without improvement before reducing',
      },
      { ...MIN_LR, default: 1e-6 },
      {
        name: 'minDelta',
        label: 'Δ',
        default: 0,
        min: 0,
        max: 1e6,
        scale: 'log',
        description: 'smallest change that counts as an improvement',
      },
      {
        name: 'cooldown',
        label: 'c',
        default: 0,
        min: 0,
        max: 1000,
        scale: 'linear',
        integer: true,
        description: 'epochs to wait after a reduction',
      },
    ],
    build: (h) => ({
      kind: 'plateau',
      lr: h.lr,
      factor: h.factor,
      patience: h.patience,
      minLr: h.minLr,
      minDelta: h.minDelta,
      cooldown: h.cooldown,
    }),
  },
  {
    name: 'exponential',
    label: 'Exponential decay',
    formula: '\\alpha_t = \\alpha_0 \\gamma^t',
    summary: 'Multiplies the rate by γ every epoch.',
    hyper: [
      LR,
      {
        name: 'gamma',
        label: 'γ',
        default: 0.95,
        min: 1e-6,
        max: 1,
        scale: 'linear',
        description: 'factor per epoch',
      },
    ],
    build: (h) => ({ kind: 'exponential', lr: h.lr, gamma: h.gamma }),
  },
  {
    name: 'cosine',
    label: 'Cosine annealing',
    formula: '\\alpha_t = \\alpha_{min} + \\tfrac12(\\alpha_0 - \\alpha_{min})(1 + \\cos(\\pi \\min(t,T)/T))',
    summary: 'Smoothly decreases the rate along half a cosine over T epochs.',
    hyper: [LR, MIN_LR, DURATION],
    build: (h) => ({ kind: 'cosine', lr: h.lr, minLr: h.minLr, duration: h.duration }),
  },
  {
    name: 'onecycle',
    label: '1-cycle',
    formula:
      '\\alpha: \\tfrac{\\alpha_{max}}{d} \\nearrow \\alpha_{max} \\text{ (first } p\\,T) \\searrow \\tfrac{\\alpha_{max}}{d\\,d_f} \\text{ (cosine)}',
    summary: 'Raises the rate to a maximum, then anneals far below the start (Smith, 2018).',
    hyper: [
      { ...LR, name: 'maxLr', label: 'α_max', default: 0.1 },
      DURATION,
      {
        name: 'pctStart',
        label: 'p',
        default: 0.3,
        min: 0.01,
        max: 0.99,
        scale: 'linear',
        description: 'fraction of T spent increasing',
      },
      {
        name: 'divFactor',
        label: 'd',
        default: 25,
        min: 1,
        max: 1e4,
        scale: 'log',
        description: 'α_max / initial rate',
      },
      {
        name: 'finalDivFactor',
        label: 'd_f',
        default: 1e4,
        min: 1,
        max: 1e8,
        scale: 'log',
        description: 'initial rate / final rate',
      },
    ],
    build: (h) => ({
      kind: 'onecycle',
      maxLr: h.maxLr,
      duration: h.duration,
      pctStart: h.pctStart,
      divFactor: h.divFactor,
      finalDivFactor: h.finalDivFactor,
    }),
  },
  {
    name: 'sgdr',
    label: 'SGDR (warm restarts)',
    formula:
      '\\alpha_t = \\alpha_{min} + \\tfrac12(\\alpha_0 - \\alpha_{min})(1 + \\cos(\\pi T_{cur}/T_i)),\\; T_i = T_0 T_{mult}^i',
    summary:
      'Cosine annealing that restarts at α₀, each cycle T_mult times longer (Loshchilov & Hutter, 2017).',
    hyper: [
      LR,
      MIN_LR,
      {
        name: 't0',
        label: 'T₀',
        default: 10,
        min: 1,
        max: 1e6,
        scale: 'log',
        integer: true,
        description: 'length of the first cycle',
      },
      {
        name: 'tMult',
        label: 'T_mult',
        default: 2,
        min: 1,
        max: 10,
        scale: 'linear',
        description: 'growth of each cycle',
      },
    ],
    build: (h) => ({ kind: 'sgdr', lr: h.lr, minLr: h.minLr, t0: h.t0, tMult: h.tMult }),
  },
];

/** Hyperparameters of the warm-up that can precede any schedule. */
export const WARMUP_HYPER: HyperSpec[] = [
  {
    name: 'warmup',
    label: 'W',
    default: 0,
    min: 0,
    max: 1e6,
    scale: 'linear',
    integer: true,
    description: 'warm-up length (0 = none)',
  },
  {
    name: 'startFactor',
    label: 's',
    default: 0.1,
    min: 0,
    max: 1,
    scale: 'linear',
    description: 'warm-up starts at s·α₀',
  },
];

/** Metadata of every schedule in palette order. */
export function scheduleInfos(): MethodInfo[] {
  return ENTRIES.map(({ build: _b, ...info }) => info);
}

/**
 * Builds a validated spec from a schedule name and numeric hyperparameters (defaults filled in);
 * `warmup` > 0 wraps it in a linear warm-up.
 * @throws RangeError for an unknown name or invalid values (naming the schedule and field).
 */
export function makeSchedule(name: string, hyper: Record<string, number> = {}): ScheduleSpec {
  const e = ENTRIES.find((x) => x.name === name);
  if (!e) throw new RangeError(`unknown schedule '${name}'; known: ${ENTRIES.map((x) => x.name).join(', ')}`);
  const { warmup, startFactor, ...rest } = hyper;
  const h = resolveHyper(`schedule '${name}'`, e.hyper, rest);
  let spec = e.build(h);
  const w = resolveHyper(`schedule '${name}'`, WARMUP_HYPER, { warmup, startFactor });
  if (w.warmup > 0) spec = { kind: 'warmup', warmup: w.warmup, startFactor: w.startFactor, then: spec };
  validateSchedule(spec);
  return spec;
}
