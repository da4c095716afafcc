/**
 * The node-type registry: one definition per node type (ports with types, params with kind/default/range,
 * palette group, label, description). The editor's palette and inspector are built from it, and every
 * graph function (connection check, shape inference, validation, summary) reads port and param facts
 * from here only.
 *
 * Type names: fixed names for data and layer nodes ('Dataset', 'Input', 'Dense', 'RBF', 'Maxout',
 * 'Dropout', 'BatchNorm', 'Add', 'Concat'); component nodes are '<Family>.<key>' with the key from the
 * component's registry ('Activation.relu', 'Initializer.he_normal', 'Loss.cross_entropy',
 * 'Optimizer.adam', 'Schedule.cosine'). Nodes of one family share their ports, so the editor can switch
 * a node's kind (e.g. ReLU → ELU) without touching its edges.
 *
 * Invariants: type names are unique; the registry is built once and frozen; defaults satisfy their ranges.
 */
import type { Placement } from '../rbf/rbf';
import type { WidthOptions } from '../rbf/widths';
import { LAYER_LIMITS } from '../nn/layers/specs';
import {
  activationCatalog,
  initializerCatalog,
  lossCatalog,
  optimizerCatalog,
  scheduleCatalog,
  type CatalogEntry,
} from './catalog';
import type { GraphNode, NodeFamily, NodeTypeDef, PaletteGroupId, ParamSpec, PortSpec } from './types';

const tensorIn: PortSpec = { name: 'in', label: 'Input', type: 'tensor' };
const tensorOut: PortSpec = { name: 'out', label: 'Output', type: 'tensor' };
const weightInit: PortSpec = {
  name: 'weightInit',
  label: 'Weight init',
  type: 'initializer',
  optional: true,
  description: 'Unwired: He for the ReLU family, LeCun for SELU, Glorot otherwise (see docs/graph.md).',
};
const biasInit: PortSpec = {
  name: 'biasInit',
  label: 'Bias init',
  type: 'initializer',
  optional: true,
  description: 'Unwired: zeros.',
};

/** Palette groups in display order. */
export const PALETTE_GROUPS: readonly { id: PaletteGroupId; label: string }[] = [
  { id: 'data', label: 'Data' },
  { id: 'layers', label: 'Layers' },
  { id: 'activations', label: 'Activations' },
  { id: 'initializers', label: 'Initializers' },
  { id: 'losses', label: 'Losses' },
  { id: 'optimizers', label: 'Optimizers' },
  { id: 'schedules', label: 'Schedules' },
];

// Values are engine/rbf's Placement and WidthOptions.method (typed, so a rename there fails to compile).
const RBF_PLACEMENTS: readonly { value: Placement; label: string }[] = [
  { value: 'kmeans++', label: 'K-means++' },
  { value: 'sample', label: 'Random training samples' },
  { value: 'uniform', label: 'Uniform in the data range' },
  { value: 'gng', label: 'Growing neural gas' },
];
const RBF_WIDTHS: readonly { value: NonNullable<WidthOptions['method']>; label: string }[] = [
  { value: 'nearest', label: 'From nearest-centre distances' },
  { value: 'global', label: 'One global width' },
];

// Size limits come from engine/nn (the layer builder enforces the same ones).
const UNITS_REASON =
  'a layer this wide needs gigabytes of weights and trains very slowly. Use fewer units (tabular data rarely needs more than a few hundred), or stack several smaller layers';
const units = (def: number | 'auto', allowAuto: boolean): ParamSpec => ({
  name: 'units',
  label: 'Units',
  kind: 'integer',
  default: def,
  min: 1,
  max: LAYER_LIMITS.maxUnits,
  maxReason: UNITS_REASON,
  allowAuto,
  description: allowAuto
    ? "Output width. 'auto' (last layer only) = number of classes, or 1 for binary BCE, or number of regression targets."
    : 'Output width.',
});
const useBias: ParamSpec = {
  name: 'bias',
  label: 'Bias',
  kind: 'boolean',
  default: true,
  description: 'Add a bias vector b.',
};

function fixed(
  type: string,
  family: NodeFamily,
  group: PaletteGroupId,
  label: string,
  description: string,
  inputs: readonly PortSpec[],
  outputs: readonly PortSpec[],
  params: readonly ParamSpec[],
  keywords: readonly string[] = [],
): NodeTypeDef {
  return {
    type,
    version: 1,
    family,
    key: type,
    group,
    label,
    description,
    inputs,
    outputs,
    params,
    keywords,
  };
}

const DATA_AND_LAYERS: readonly NodeTypeDef[] = [
  fixed(
    'Dataset',
    'dataset',
    'data',
    'Dataset',
    'A CSV file with its import settings; gives the encoded features and the targets.',
    [],
    [
      { name: 'features', label: 'Features', type: 'tensor' },
      { name: 'targets', label: 'Targets', type: 'target' },
    ],
    [
      {
        name: 'file',
        label: 'File',
        kind: 'string',
        default: '',
        description: 'Path relative to the project.',
      },
      { name: 'settings', label: 'Import settings', kind: 'json', default: null, nullable: true },
    ],
    ['csv', 'data', 'table'],
  ),
  fixed(
    'Input',
    'input',
    'data',
    'Input',
    'A feature vector of declared width; replaces Dataset in exported and prediction-only graphs.',
    [],
    [tensorOut],
    [{ name: 'width', label: 'Width', kind: 'integer', default: 4, min: 1 }],
    ['features', 'placeholder'],
  ),
  fixed(
    'Dense',
    'layer',
    'layers',
    'Dense',
    'Fully connected layer y = xW + b, W ∈ ℝ^{in×units}.',
    [tensorIn, weightInit, biasInit],
    [tensorOut],
    [units(16, true), useBias],
    ['linear', 'fully connected', 'fc'],
  ),
  fixed(
    'RBF',
    'layer',
    'layers',
    'RBF',
    'Radial basis units φᵢ(x) = exp(−‖x − μᵢ‖²/2σᵢ²), with a leading constant 1 (lecture: RBF nets).',
    [tensorIn],
    [tensorOut],
    [
      {
        name: 'centres',
        label: 'Centres N',
        kind: 'integer',
        default: 10,
        min: 1,
        max: LAYER_LIMITS.maxCentres,
        maxReason:
          'placing the centres and every forward pass take time proportional to rows × centres. Use fewer centres (an RBF net needs far fewer centres than training rows)',
      },
      {
        name: 'includeConstant',
        label: 'Constant 1',
        kind: 'boolean',
        default: true,
        description: 'Prepend the constant 1 of the lecture’s φ(x), so the next layer has an intercept.',
      },
      {
        name: 'placement',
        label: 'Centre placement',
        kind: 'enum',
        default: 'kmeans++',
        options: RBF_PLACEMENTS,
        description:
          'How centres are placed from the training data before training (lecture: vector quantization).',
      },
      {
        name: 'widths',
        label: 'Widths σ',
        kind: 'enum',
        default: 'nearest',
        options: RBF_WIDTHS,
      },
      {
        name: 'initialWidth',
        label: 'Initial σ',
        kind: 'number',
        default: 1,
        min: 0,
        minExclusive: true,
        description: 'Width before placement sets them (used when centres are not placed from data).',
      },
      { name: 'trainCentres', label: 'Train centres', kind: 'boolean', default: true },
      { name: 'trainWidths', label: 'Train widths', kind: 'boolean', default: true },
    ],
    ['radial', 'gaussian', 'kernel'],
  ),
  fixed(
    'Maxout',
    'layer',
    'layers',
    'Maxout',
    'A Dense of units·k outputs, then the maximum over each group of k pieces.',
    [tensorIn, weightInit, biasInit],
    [tensorOut],
    [
      units(8, false),
      {
        name: 'pieces',
        label: 'Pieces k',
        kind: 'integer',
        default: 2,
        min: 2,
        max: LAYER_LIMITS.maxPieces,
        maxReason:
          'each piece multiplies the weights of the layer; 2 to 5 pieces are usual (Goodfellow et al. 2013)',
      },
      useBias,
    ],
  ),
  fixed(
    'Dropout',
    'layer',
    'layers',
    'Dropout',
    'Zeroes each unit with probability p while training (inverted scaling); identity in evaluation.',
    [tensorIn],
    [tensorOut],
    [{ name: 'rate', label: 'Rate p', kind: 'number', default: 0.5, min: 0, max: 1, maxExclusive: true }],
    ['regularization'],
  ),
  fixed(
    'BatchNorm',
    'layer',
    'layers',
    'BatchNorm',
    'Normalises each feature over the batch, then scales by γ and shifts by β; running statistics for evaluation.',
    [tensorIn],
    [tensorOut],
    [
      {
        name: 'momentum',
        label: 'Momentum',
        kind: 'number',
        default: 0.1,
        min: 0,
        max: 1,
        description: 'Running statistics r ← (1 − m)·r + m·batch (PyTorch convention).',
      },
      { name: 'eps', label: 'ε', kind: 'number', default: 1e-5, min: 0, minExclusive: true },
      { name: 'affine', label: 'Learn γ and β', kind: 'boolean', default: true },
    ],
    ['normalization', 'batch norm'],
  ),
  fixed(
    'Add',
    'layer',
    'layers',
    'Add',
    'Element-wise sum of its inputs (skip connection); all inputs must have the same width.',
    [{ ...tensorIn, label: 'Inputs', multiple: true }],
    [tensorOut],
    [],
    ['skip', 'residual', 'sum'],
  ),
  fixed(
    'Concat',
    'layer',
    'layers',
    'Concat',
    'Joins its inputs side by side along the features, in the order the edges were made.',
    [{ ...tensorIn, label: 'Inputs', multiple: true }],
    [tensorOut],
    [],
    ['concatenate', 'merge', 'join'],
  ),
];

const zeroIsOff = (name: string, label: string, description: string): ParamSpec => ({
  name,
  label,
  kind: 'number',
  default: 0,
  min: 0,
  description,
});
/** Gradient clipping settings shared by every optimizer node. */
const OPTIMIZER_CLIPPING: readonly ParamSpec[] = [
  zeroIsOff(
    'clipNorm',
    'Clip global norm',
    'Rescale the gradient when its global norm exceeds this; 0 = off.',
  ),
  zeroIsOff('clipValue', 'Clip value', 'Clamp each gradient element to [−c, c]; 0 = off.'),
];

function fromCatalog(
  family: NodeFamily,
  prefix: string,
  group: PaletteGroupId,
  entries: readonly CatalogEntry[],
  inputs: readonly PortSpec[],
  outputs: readonly PortSpec[],
  extraParams: readonly ParamSpec[] = [],
): NodeTypeDef[] {
  return entries.map((e) => ({
    type: `${prefix}.${e.key}`,
    version: 1,
    family,
    key: e.key,
    group,
    label: e.label,
    description: e.description,
    ...(e.formula !== undefined ? { formula: e.formula } : {}),
    keywords: e.keywords ?? [],
    inputs,
    outputs,
    params: [...e.params, ...extraParams],
    ...(e.secondOrder !== undefined ? { secondOrder: e.secondOrder } : {}),
    ...(e.lossInput && e.lossTask ? { loss: { input: e.lossInput, task: e.lossTask } } : {}),
  }));
}

function buildRegistry(): ReadonlyMap<string, NodeTypeDef> {
  const defs: NodeTypeDef[] = [
    ...DATA_AND_LAYERS,
    ...fromCatalog('activation', 'Activation', 'activations', activationCatalog(), [tensorIn], [tensorOut]),
    ...fromCatalog(
      'initializer',
      'Initializer',
      'initializers',
      initializerCatalog(),
      [],
      [{ name: 'init', label: 'Initializer', type: 'initializer' }],
    ),
    ...fromCatalog(
      'loss',
      'Loss',
      'losses',
      lossCatalog(),
      [
        { name: 'prediction', label: 'Prediction', type: 'tensor' },
        { name: 'target', label: 'Target', type: 'target' },
        { name: 'optimizer', label: 'Optimizer', type: 'optimizer' },
      ],
      [],
    ),
    ...fromCatalog(
      'optimizer',
      'Optimizer',
      'optimizers',
      optimizerCatalog(),
      [
        {
          name: 'lr',
          label: 'Learning-rate schedule',
          type: 'schedule',
          optional: true,
          description: 'Unwired: the constant learning rate α.',
        },
      ],
      [{ name: 'optimizer', label: 'Optimizer', type: 'optimizer' }],
      OPTIMIZER_CLIPPING,
    ),
    ...fromCatalog(
      'schedule',
      'Schedule',
      'schedules',
      scheduleCatalog(),
      [],
      [{ name: 'schedule', label: 'Schedule', type: 'schedule' }],
    ),
  ];
  const map = new Map<string, NodeTypeDef>();
  for (const d of defs) {
    if (map.has(d.type)) throw new Error(`node registry: duplicate node type '${d.type}'`);
    const names = new Set(d.params.map((p) => p.name));
    if (names.size !== d.params.length) throw new Error(`node registry: '${d.type}' declares a param twice`);
    map.set(d.type, Object.freeze(d));
  }
  return map;
}

let registry: ReadonlyMap<string, NodeTypeDef> | null = null;

/** Every node type, keyed by type name (built on first use). */
export function nodeTypes(): ReadonlyMap<string, NodeTypeDef> {
  registry ??= buildRegistry();
  return registry;
}

/** The definition of `type`, or undefined when the registry has no such type. */
export function getNodeType(type: string): NodeTypeDef | undefined {
  return nodeTypes().get(type);
}

const SWAPPABLE: ReadonlySet<NodeFamily> = new Set([
  'activation',
  'initializer',
  'loss',
  'optimizer',
  'schedule',
]);

/**
 * Types a node of `type` can switch to in place (same family, same ports: for "change kind" menus).
 * Empty for data and layer nodes, whose ports differ, and for unknown types.
 */
export function sameFamilyTypes(type: string): NodeTypeDef[] {
  const def = getNodeType(type);
  if (!def || !SWAPPABLE.has(def.family)) return [];
  return [...nodeTypes().values()].filter((d) => d.family === def.family && d.group === def.group);
}

/** One palette entry (what the renderer needs to list and search node types). */
export interface PaletteEntry {
  readonly type: string;
  readonly label: string;
  readonly group: PaletteGroupId;
  readonly description: string;
  readonly keywords: readonly string[];
}

/** All node types as palette entries, in PALETTE_GROUPS order, then registry order. */
export function paletteEntries(): PaletteEntry[] {
  const all = [...nodeTypes().values()];
  const out: PaletteEntry[] = [];
  for (const g of PALETTE_GROUPS)
    for (const d of all)
      if (d.group === g.id)
        out.push({
          type: d.type,
          label: d.label,
          group: d.group,
          description: d.description,
          keywords: d.keywords ?? [],
        });
  return out;
}

/** The default value of every param of `type`. @throws Error when the type is unknown. */
export function defaultParams(type: string): Record<string, unknown> {
  const def = getNodeType(type);
  if (!def) throw new Error(`Unknown node type '${type}': it is not in the node registry.`);
  const params: Record<string, unknown> = {};
  for (const p of def.params) params[p.name] = p.default;
  return params;
}

/**
 * A new node of `type` with default params.
 * @throws Error when the type is unknown.
 */
export function createNode(type: string, id: string, position = { x: 0, y: 0 }): GraphNode {
  const def = getNodeType(type);
  if (!def) throw new Error(`Unknown node type '${type}': it is not in the node registry.`);
  return { id, type, version: def.version, position: { ...position }, params: defaultParams(type) };
}

/** A param's value on a node, falling back to the type's default. */
export function paramValue(node: GraphNode, spec: ParamSpec): unknown {
  const params = node.params ?? {}; // tolerate a node without params from a hand-edited file
  return Object.prototype.hasOwnProperty.call(params, spec.name) ? params[spec.name] : spec.default;
}

/** Shorthand: the named param of a node (default when absent); undefined when the type lacks it. */
export function param(node: GraphNode, def: NodeTypeDef, name: string): unknown {
  const spec = def.params.find((p) => p.name === name);
  return spec ? paramValue(node, spec) : undefined;
}
