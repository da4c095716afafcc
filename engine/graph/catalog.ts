/**
 * Adapters from the engine's component registries (activations, initializers, losses, optimizers,
 * schedules) to one normalised catalogue the node registry is built from. The graph never keeps its own
 * copy of a component list when the component's registry exists: this file is the only place that knows
 * each registry's shape.
 *
 * Sources (all live): initializers from engine/init INITIALIZERS; activations from engine/nn ACTIVATIONS;
 * losses from engine/losses LOSSES (+ PENALTIES as loss-node params); optimizers from engine/optim
 * optimizerInfos(); schedules from engine/schedules scheduleInfos() (+ WARMUP_HYPER).
 *
 * One graph-level choice: the base learning rate α₀ lives on the optimizer node (`lr`), so a schedule
 * node has no `lr` param; the trainer passes the optimizer's `lr` to makeSchedule. Keys are part of saved
 * node types ('Loss.<name>', 'Schedule.<name>', ...), so they must stay stable in the source registries.
 *
 * Invariants: every entry has a unique key within its family; every param has a default inside its range.
 */
import { INITIALIZERS } from '../init';
import { LOSSES, PENALTIES } from '../losses/registry';
import { ACTIVATIONS } from '../nn/activations/scalar';
import type { HyperSpec } from '../optim/hyper';
import { optimizerInfos } from '../optim/registry';
import { WARMUP_HYPER, scheduleInfos } from '../schedules/registry';
import type { ParamSpec } from './types';

export interface CatalogEntry {
  readonly key: string;
  readonly label: string;
  readonly description: string;
  readonly formula?: string;
  readonly keywords?: readonly string[];
  readonly params: readonly ParamSpec[];
  /** Optimizers: second-order (full-batch) method. */
  readonly secondOrder?: boolean;
  /** Activations: one learnable parameter per feature (PReLU's α). */
  readonly learnablePerFeature?: boolean;
  /** Losses: what the prediction must be, and the task the loss is for. */
  readonly lossInput?: 'values' | 'probabilities' | 'logits';
  readonly lossTask?: 'regression' | 'binary' | 'multiclass';
}

const num = (name: string, label: string, def: number, extra: Partial<ParamSpec> = {}): ParamSpec => ({
  name,
  label,
  kind: 'number',
  default: def,
  ...extra,
});
const bool = (name: string, label: string, def: boolean, description?: string): ParamSpec => ({
  name,
  label,
  kind: 'boolean',
  default: def,
  ...(description ? { description } : {}),
});
const choice = (name: string, label: string, def: string, values: readonly string[]): ParamSpec => ({
  name,
  label,
  kind: 'enum',
  default: def,
  options: values.map((v) => ({ value: v, label: v })),
});

const humanize = (name: string): string =>
  name
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/^./, (c) => c.toUpperCase());

/**
 * Convert a registry's `{name, default, options?}` param record to a ParamSpec: the kind follows the
 * default's JS type (string with options → enum).
 */
export function paramFromRegistry(raw: {
  name: string;
  default: number | string | boolean;
  options?: readonly string[];
  min?: number;
  max?: number;
  label?: string;
  description?: string;
}): ParamSpec {
  const label = raw.label ?? humanize(raw.name);
  const extra: Partial<ParamSpec> = {};
  if (raw.min !== undefined) Object.assign(extra, { min: raw.min });
  if (raw.max !== undefined) Object.assign(extra, { max: raw.max });
  if (raw.description !== undefined) Object.assign(extra, { description: raw.description });
  if (typeof raw.default === 'boolean') return { ...bool(raw.name, label, raw.default), ...extra };
  if (typeof raw.default === 'number') return num(raw.name, label, raw.default, extra);
  if (raw.options) return { ...choice(raw.name, label, raw.default, raw.options), ...extra };
  return { name: raw.name, label, kind: 'string', default: raw.default, ...extra };
}

/** Initializers, live from engine/init. Params that fix a distribution's spread are kept ≥ 0. */
export function initializerCatalog(): CatalogEntry[] {
  return INITIALIZERS.map((info) => ({
    key: info.kind,
    label: info.label,
    description: info.explain,
    formula: info.formula,
    keywords: ['init', 'initialization'],
    params: info.params.map((p) => paramFromRegistry(p.name === 'std' ? { ...p, min: 0 } : p)),
  }));
}

/** Activations, live from engine/nn (params with kind/default/range/options as declared there). */
export function activationCatalog(): CatalogEntry[] {
  return ACTIVATIONS.map((a) => ({
    key: a.name,
    label: a.label,
    description: a.explain,
    formula: a.formula,
    learnablePerFeature: a.learnable,
    params: a.params.map((p) => ({
      name: p.name,
      label: p.label,
      kind: p.kind,
      default: p.default,
      description: p.description,
      ...(p.min !== undefined ? { min: p.min } : {}),
      ...(p.max !== undefined ? { max: p.max } : {}),
      ...(p.options ? { options: p.options.map((o) => ({ value: o, label: o })) } : {}),
    })),
  }));
}

/** Losses, live from engine/losses; every loss node also carries the L1/L2 weight penalties. */
export function lossCatalog(): CatalogEntry[] {
  const penalties = PENALTIES.map((p): ParamSpec => ({
    name: p.name,
    label: p.label,
    kind: 'number',
    default: p.default,
    min: 0,
    description: `${p.description}; 0 = off`,
  }));
  return LOSSES.map((l) => ({
    key: l.name,
    label: l.label,
    description: l.explain,
    formula: l.formula,
    lossInput: l.input,
    lossTask: l.task,
    keywords: [l.task, l.input],
    params: [
      ...l.params.map((p): ParamSpec =>
        p.default === null
          ? {
              name: p.name,
              label: p.label,
              kind: 'json',
              default: null,
              nullable: true,
              description: p.description,
            }
          : {
              name: p.name,
              label: p.label,
              kind: 'number',
              default: p.default,
              description: p.description,
              ...(p.min !== undefined ? { min: p.min } : {}),
              ...(p.minExclusive ? { minExclusive: true } : {}),
            },
      ),
      ...penalties,
    ],
  }));
}

/** A numeric hyperparameter of engine/optim or engine/schedules as a ParamSpec. */
function fromHyper(h: HyperSpec): ParamSpec {
  return {
    name: h.name,
    label: h.label,
    kind: h.integer ? 'integer' : 'number',
    default: h.default,
    min: h.min,
    max: h.max,
    scale: h.scale,
    description: h.description,
  };
}

/** Optimizers, live from engine/optim; first-order ones get the base learning-rate param `lr` first. */
export function optimizerCatalog(): CatalogEntry[] {
  return optimizerInfos().map((o) => ({
    key: o.name,
    label: o.label,
    description: o.summary,
    formula: o.formula,
    secondOrder: o.secondOrder,
    keywords: o.secondOrder ? ['second order', 'full batch'] : [],
    params: [
      ...(o.secondOrder
        ? []
        : [
            num('lr', 'Learning rate α', o.defaultLr ?? 1e-2, {
              min: 0,
              minExclusive: true,
              max: 10,
              scale: 'log',
              description: 'Base learning rate; a wired schedule varies it from here.',
            }),
          ]),
      ...o.hyper.map(fromHyper),
    ],
  }));
}

/**
 * Schedules, live from engine/schedules, without their `lr` (α₀ comes from the optimizer node) and with
 * the warm-up params that can precede any of them.
 */
export function scheduleCatalog(): CatalogEntry[] {
  return scheduleInfos().map((sc) => ({
    key: sc.name,
    label: sc.label,
    description: sc.summary,
    formula: sc.formula,
    params: [...sc.hyper.filter((h) => h.name !== 'lr'), ...WARMUP_HYPER].map(fromHyper),
  }));
}
