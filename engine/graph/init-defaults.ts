/**
 * Which initializer a layer's weight or bias uses: the wired Initializer node, or — when the port is
 * unwired — a default suited to the activation that follows the layer:
 * - ReLU family (ReLU, Leaky ReLU, PReLU, ELU, GELU, SiLU, softplus): He normal (He et al. 2015; lecture
 *   "He Initialization").
 * - SELU and LeCun's scaled tanh: LeCun normal (lecture "Initialization of Y. LeCun"; SELU's
 *   self-normalisation assumes it, Klambauer et al. 2017).
 * - anything else (sigmoid, tanh, softmax, identity, no activation, ...): Glorot uniform (lecture "Glorot
 *   Initialization"; the Keras default for Dense).
 * - biases: zeros (all three lectures' recipes set b = 0).
 *
 * Invariant: pure; looks only at the layer's own outgoing edges (through Dropout), O(degree).
 */
import type { InitSpec } from '../init/initializers';
import { edgesInto, type GraphIndex } from './graph-index';
import { getNodeType, defaultParams } from './registry';

const HE = new Set(['relu', 'leaky_relu', 'prelu', 'elu', 'gelu', 'silu', 'softplus']);
const LECUN = new Set(['selu', 'lecun_tanh']);

export interface ResolvedInit {
  /** Initializer node type, e.g. 'Initializer.he_normal'. */
  readonly type: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** The wired Initializer node, or null when the default applies. */
  readonly nodeId: string | null;
  /** Why this initializer (for the inspector), e.g. "default for ReLU". */
  readonly reason: string;
}

/** Key of the first activation after `layerId` (looking through Dropout), or null. */
export function followingActivation(index: GraphIndex, layerId: string): string | null {
  const id = findActivationNode(index, layerId);
  return id === null ? null : index.defs.get(id)!.key;
}

/** The default weight-initializer key for a layer followed by activation `act` (null = none). */
export function defaultWeightInitKey(act: string | null): string {
  if (act !== null && HE.has(act)) return 'he_normal';
  if (act !== null && LECUN.has(act)) return 'lecun_normal';
  return 'glorot_uniform';
}

/**
 * The initializer used for `port` ('weightInit' or 'biasInit') of layer `layerId`.
 * @throws Error when the layer has no such port.
 */
export function resolveInitializer(index: GraphIndex, layerId: string, port: string): ResolvedInit {
  const def = index.defs.get(layerId);
  if (!def || !def.inputs.some((p) => p.name === port && p.type === 'initializer'))
    throw new Error(`resolveInitializer: node '${layerId}' has no initializer port '${port}'`);
  const wired = edgesInto(index, layerId, port);
  if (wired.length > 0) {
    const src = index.nodes.get(wired[0].source)!;
    const sdef = index.defs.get(src.id)!;
    return {
      type: src.type,
      params: { ...defaultParams(src.type), ...src.params },
      nodeId: src.id,
      reason: `wired (${sdef.label})`,
    };
  }
  if (port === 'biasInit')
    return { type: 'Initializer.zeros', params: {}, nodeId: null, reason: 'default for biases' };
  const actId = findActivationNode(index, layerId);
  const actDef = actId === null ? undefined : index.defs.get(actId);
  const type = `Initializer.${defaultWeightInitKey(actDef?.key ?? null)}`;
  const actLabel = actDef ? actDef.label : 'no activation';
  return { type, params: defaultParams(type), nodeId: null, reason: `default for ${actLabel}` };
}

/** Id of the first activation node after `layerId` (looking through Dropout), or null. */
function findActivationNode(index: GraphIndex, layerId: string): string | null {
  let id = layerId;
  for (let guard = 0; guard < index.nodes.size; guard++) {
    let next: string | null = null;
    for (const e of index.outEdges.get(id) ?? []) {
      const def = index.defs.get(e.target);
      if (def?.family === 'activation') return e.target;
      if (def?.type === 'Dropout') next = e.target;
    }
    if (next === null) return null;
    id = next;
  }
  return null;
}

/**
 * The engine/init InitSpec of a resolved initializer (for building a layer: engine/nn LayerConfig's
 * weightInit/biasInit). Params are taken as they are; checkParams has validated them.
 */
export function initSpecOf(resolved: ResolvedInit): InitSpec {
  const key = getNodeType(resolved.type)?.key ?? resolved.type.replace(/^Initializer\./, '');
  return { ...resolved.params, kind: key } as InitSpec;
}
