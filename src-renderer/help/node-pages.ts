/**
 * Help pages of the node types, generated from the node registry (engine/graph) so that no type can
 * be missing: purpose, formula (the registry's own LaTeX; a help formula for the data and layer nodes,
 * whose registry entries have none), parameters with kind/range/default/unit, ports with their types,
 * the lecture section the node comes from, tips, and which inspector plot applies.
 *
 * Framework-free (no DOM, no Svelte): the in-app Help window and scripts/gen-node-docs.ts (which writes
 * docs/nodes.md) both read it.
 *
 * Invariants: one page per registry type, in palette order; a page's formula is the registry formula
 * whenever the registry has one; every page has a purpose, a lecture reference and at least one tip.
 */
import {
  defaultWeightInitKey,
  getNodeType,
  nodeTypes,
  PALETTE_GROUPS,
  type NodeTypeDef,
  type PaletteGroupId,
  type ParamSpec,
  type PortSpec,
} from '../../engine/graph';
import { ACTIVATIONS } from '../../engine/nn';
import { rangeHint } from '../editor/param-input';
import { EXTRA_TIPS, LAYER_FORMULAS, LECTURE_SECTIONS } from './node-notes';

/** Which small inspector plot a node page shows (src-renderer/lib/plots.ts), or none. */
export type NodePlotKind = 'activation' | 'initializer' | 'schedule' | null;

export interface ParamRow {
  readonly name: string;
  readonly label: string;
  /** 'number', 'integer (or auto)', 'on/off', 'choice', 'text', 'JSON'. */
  readonly type: string;
  /** Allowed range or choices as text ('' when unrestricted). */
  readonly range: string;
  readonly default: string;
  readonly unit: string;
  readonly description: string;
}

export interface PortRow {
  readonly direction: 'input' | 'output';
  readonly name: string;
  readonly label: string;
  readonly type: PortSpec['type'];
  /** 'required', 'optional', 'several edges', ... */
  readonly notes: string;
  readonly description: string;
}

export interface NodeHelpPage {
  /** Page id: 'node:<type>'. */
  readonly id: string;
  readonly type: string;
  readonly title: string;
  readonly group: PaletteGroupId;
  readonly groupLabel: string;
  readonly purpose: string;
  /** LaTeX, or '' when the node has no formula. */
  readonly formula: string;
  /** Where the formula comes from: the registry entry, or the help notes (data and layer nodes). */
  readonly formulaSource: 'registry' | 'help' | 'none';
  readonly params: readonly ParamRow[];
  readonly ports: readonly PortRow[];
  /** Lecture section(s) the node comes from, or a literature reference when the lecture lacks it. */
  readonly lecture: string;
  readonly tips: readonly string[];
  readonly plot: NodePlotKind;
  /** Search words: label, type, key, keywords. */
  readonly keywords: readonly string[];
}

/** Page id of a node type's help page. */
export const nodePageId = (type: string): string => `node:${type}`;

const KIND_TEXT: Record<ParamSpec['kind'], string> = {
  number: 'number',
  integer: 'integer',
  boolean: 'on/off',
  enum: 'choice',
  string: 'text',
  json: 'JSON',
};

const PORT_TYPE_TEXT: Record<PortSpec['type'], string> = {
  tensor: 'tensor [batch, n]',
  target: 'targets',
  initializer: 'initializer',
  optimizer: 'optimizer',
  schedule: 'learning-rate schedule',
};

/** A port type as a user reads it, e.g. 'tensor [batch, n]'. */
export const portTypeText = (t: PortSpec['type']): string => PORT_TYPE_TEXT[t];

function valueText(v: unknown): string {
  if (v === null) return 'none';
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  if (typeof v === 'string') return v === '' ? '(empty)' : v;
  if (typeof v === 'number') return String(v);
  return JSON.stringify(v);
}

function paramRow(p: ParamSpec): ParamRow {
  const type = KIND_TEXT[p.kind] + (p.allowAuto ? ' or auto' : '') + (p.nullable ? ' or none' : '');
  const range = p.kind === 'enum' ? (p.options ?? []).map((o) => o.value).join(' | ') : rangeHint(p);
  return {
    name: p.name,
    label: p.label,
    type,
    range,
    default: valueText(p.default),
    unit: p.unit ?? '',
    description: p.description ?? '',
  };
}

function portRows(def: NodeTypeDef): PortRow[] {
  const row = (direction: PortRow['direction'], p: PortSpec): PortRow => ({
    direction,
    name: p.name,
    label: p.label,
    type: p.type,
    notes:
      direction === 'output'
        ? 'any number of edges'
        : [p.optional ? 'optional' : 'required', p.multiple ? 'several edges' : 'one edge'].join(', '),
    description: p.description ?? '',
  });
  return [...def.inputs.map((p) => row('input', p)), ...def.outputs.map((p) => row('output', p))];
}

function plotKind(def: NodeTypeDef): NodePlotKind {
  if (def.family === 'activation') return def.key === 'softmax' ? null : 'activation';
  if (def.family === 'initializer')
    return ['zeros', 'ones', 'constant'].includes(def.key) ? null : 'initializer';
  if (def.family === 'schedule') return 'schedule';
  return null;
}

/** 'lecture: A; Paper 2016' → 'A; Paper 2016' (the activation registry's own source line). */
const activationSource = (key: string): string | undefined =>
  ACTIVATIONS.find((a) => a.name === key)?.source.replace(/^lecture:\s*/, '');

function lectureOf(def: NodeTypeDef): string {
  if (def.family === 'activation') {
    const s = activationSource(def.key);
    if (s) return s;
  }
  return LECTURE_SECTIONS[def.type] ?? LECTURE_SECTIONS[`${def.family}:*`] ?? '';
}

const label = (type: string): string => getNodeType(type)?.label ?? type;

/** Tips derived from registry facts (default initializers, loss input, second order, output range). */
function generatedTips(def: NodeTypeDef): string[] {
  const tips: string[] = [];
  if (def.family === 'activation' && def.key !== 'softmax' && def.key !== 'identity') {
    const init = label(`Initializer.${defaultWeightInitKey(def.key)}`);
    tips.push(
      `A Dense or Maxout layer followed by ${def.label} whose Weight init port is unwired starts from ${init}.`,
    );
  }
  if (def.family === 'initializer') {
    const users = ACTIVATIONS.filter((a) => defaultWeightInitKey(a.name) === def.key).map((a) => a.label);
    if (def.key === 'zeros') tips.push('The default for every unwired Bias init port.');
    else if (users.length)
      tips.push(`Netloom's default weight initializer for layers followed by: ${users.join(', ')}.`);
    if (def.params.some((p) => p.name === 'mode'))
      tips.push(
        'fan_in = inputs of the layer it feeds, fan_out = its units; mode picks which one sets the variance.',
      );
  }
  if (def.family === 'loss' && def.loss) {
    const want = {
      values: 'raw output values (no output activation, i.e. identity)',
      probabilities: 'probabilities (put the matching sigmoid or softmax in front)',
      logits: 'raw scores (logits): do not put a sigmoid or softmax in front, the loss applies it',
    }[def.loss.input];
    tips.push(`For ${def.loss.task} tasks. The Prediction port expects ${want}.`);
    tips.push('L1/L2 add a weight penalty to the loss; 0 turns them off.');
  }
  if (def.family === 'optimizer') {
    if (def.secondOrder)
      tips.push(
        'Second-order: uses the whole training set per step (set batch size to full); meant for small networks.',
      );
    else tips.push('Wire a Schedule node into its Learning-rate schedule port to vary α during training.');
  }
  if (def.family === 'schedule')
    tips.push(
      "The base rate α₀ is the optimizer's learning rate; the plot uses α₀ = 0.01 over 60 epochs, the inspector your own.",
    );
  return tips;
}

function buildPage(def: NodeTypeDef): NodeHelpPage {
  const helpFormula = LAYER_FORMULAS[def.type];
  const formula = def.formula ?? helpFormula ?? '';
  const tips = [...(EXTRA_TIPS[def.type] ?? []), ...generatedTips(def)];
  return {
    id: nodePageId(def.type),
    type: def.type,
    title: def.label,
    group: def.group,
    groupLabel: PALETTE_GROUPS.find((g) => g.id === def.group)?.label ?? def.group,
    purpose: def.description,
    formula,
    formulaSource: def.formula !== undefined ? 'registry' : helpFormula ? 'help' : 'none',
    params: def.params.map(paramRow),
    ports: portRows(def),
    lecture: lectureOf(def),
    tips,
    plot: plotKind(def),
    keywords: [def.label, def.type, def.key, ...(def.keywords ?? [])],
  };
}

let pages: readonly NodeHelpPage[] | null = null;

/** Every node type's help page, in palette order (group, then registry order). */
export function nodeHelpPages(): readonly NodeHelpPage[] {
  if (!pages) {
    const all = [...nodeTypes().values()];
    pages = PALETTE_GROUPS.flatMap((g) => all.filter((d) => d.group === g.id).map(buildPage));
  }
  return pages;
}

/** The help page of node type `type`, or undefined for a type the registry does not know. */
export function nodeHelpPage(type: string): NodeHelpPage | undefined {
  return nodeHelpPages().find((p) => p.type === type);
}
