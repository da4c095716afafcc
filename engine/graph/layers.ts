/**
 * Bridge from graph nodes to engine/nn's layer shape functions: turns a node's params into the nn
 * LayerConfig, and asks nn for output widths (`outputWidth`) and parameter declarations (`layerParams`),
 * so the graph never restates a layer's shape or parameter rules.
 *
 * Graph-only rules kept here: Input and Dataset widths, element-wise activations keep the width, an Add or
 * Concat with a single input passes it through (validation warns about it), unknown widths (null)
 * propagate silently, and a bad param gives width null without a second message (checkParams reports it).
 *
 * Invariant: no allocation beyond small result objects.
 */
import type { InitSpec } from '../init/initializers';
import {
  LayerConfigError,
  layerParams,
  outputWidth as nnOutputWidth,
  type LayerConfig,
} from '../nn/layers/specs';
import { nodeName } from './names';
import { param } from './registry';
import type { GraphNode, NodeTypeDef } from './types';

export interface WidthResult {
  readonly width: number | null;
  /** A user-facing sentence when the input widths do not fit this node. */
  readonly error?: string;
}

/** Resolved initializers for a layer's weight and bias ports (see init-defaults). */
export interface LayerInits {
  readonly weightInit?: InitSpec;
  readonly biasInit?: InitSpec;
}

/**
 * The engine/nn LayerConfig of a node, or null for nodes that are not nn layers (Input, Dataset,
 * element-wise activations, components). Returns null for a Dense whose 'auto' units are unresolved.
 */
export function toLayerConfig(
  node: GraphNode,
  def: NodeTypeDef,
  autoUnits: number | null,
  inits: LayerInits = {},
): LayerConfig | null {
  const p = (name: string) => param(node, def, name);
  switch (def.type) {
    case 'Dense': {
      const u = p('units');
      const units = u === 'auto' ? autoUnits : u;
      if (units === null) return null;
      return { type: 'dense', units: units as number, bias: p('bias') !== false, ...inits };
    }
    case 'Maxout':
      return {
        type: 'maxout',
        units: p('units') as number,
        pieces: p('pieces') as number,
        bias: p('bias') !== false,
        ...inits,
      };
    case 'RBF':
      return {
        type: 'rbf',
        centres: p('centres') as number,
        includeConstant: p('includeConstant') !== false,
        trainCentres: p('trainCentres') !== false,
        trainWidths: p('trainWidths') !== false,
        initialWidth: p('initialWidth') as number,
      };
    case 'Dropout':
      return { type: 'dropout', rate: p('rate') as number };
    case 'BatchNorm':
      return {
        type: 'batchnorm',
        momentum: p('momentum') as number,
        eps: p('eps') as number,
        affine: p('affine') !== false,
      };
    case 'Add':
      return { type: 'add' };
    case 'Concat':
      return { type: 'concat' };
    case 'Activation.prelu':
      return { type: 'prelu', initialAlpha: p('alpha') as number, shared: p('shared') === true };
    default:
      return null;
  }
}

/** Layers whose output width follows from their config alone (inputs only need to be valid). */
const WIDTH_FROM_CONFIG = new Set(['dense', 'maxout', 'rbf']);

/**
 * Output width of a tensor-producing node from its input widths (one per incoming tensor edge, in edge
 * order). `autoUnits` is the resolved width of a Dense whose units are 'auto' (null when unresolved).
 */
export function outputWidth(
  node: GraphNode,
  def: NodeTypeDef,
  inputWidths: readonly (number | null)[],
  autoUnits: number | null,
): WidthResult {
  if (def.type === 'Input') {
    const w = param(node, def, 'width');
    return { width: typeof w === 'number' && Number.isInteger(w) && w >= 1 ? w : null };
  }
  const config = toLayerConfig(node, def, autoUnits);
  if (config === null) return { width: def.family === 'activation' ? (inputWidths[0] ?? null) : null };

  const known = inputWidths.filter((w): w is number => w !== null);
  let widths: readonly number[] = inputWidths as readonly number[];
  if (known.length < inputWidths.length || inputWidths.length === 0) {
    // Some input is unknown or missing: widths that depend on the inputs stay unknown; layers sized by
    // their own config still report their width (a placeholder input lets nn check the config).
    if (WIDTH_FROM_CONFIG.has(config.type)) widths = [1];
    else if (config.type === 'add' && known.length >= 2) widths = known;
    else return { width: config.type === 'add' && known.length === 1 ? known[0] : null };
  } else if ((config.type === 'add' || config.type === 'concat') && widths.length === 1) {
    return { width: widths[0] };
  }
  try {
    return { width: nnOutputWidth(config, widths, nodeName(node, def)) };
  } catch (e) {
    if (!(e instanceof LayerConfigError)) throw e;
    // A bad param is reported once by checkParams; only input-shape errors are reported from here.
    return e.param === null ? { width: null, error: `${e.message}.` } : { width: null };
  }
}

export interface ParamCount {
  readonly trainable: number;
  readonly nonTrainable: number;
}

/**
 * Number of scalars a node adds to the model, from engine/nn's parameter declarations: trainable, and not
 * (frozen groups, BatchNorm running statistics). 0 when a width is unknown or the config is invalid.
 */
export function paramCount(
  node: GraphNode,
  def: NodeTypeDef,
  inWidth: number | null,
  autoUnits: number | null,
): ParamCount {
  const none = { trainable: 0, nonTrainable: 0 };
  const config = toLayerConfig(node, def, autoUnits);
  if (config === null || inWidth === null || config.type === 'add' || config.type === 'concat') return none;
  try {
    let trainable = 0;
    let nonTrainable = 0;
    for (const d of layerParams(config, [inWidth], node.id)) {
      const n = d.shape.reduce((a, b) => a * b, 1);
      if (d.trainable) trainable += n;
      else nonTrainable += n;
    }
    return { trainable, nonTrainable };
  } catch (e) {
    if (e instanceof LayerConfigError) return none;
    throw e;
  }
}
