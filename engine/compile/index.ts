/**
 * Graph → model: turns a validated Netloom graph into an engine model — a ParamStore holding every
 * parameter (named `<nodeId>.<local name>`, e.g. `dense1.weight`) and a forward function that runs the
 * layers in topological order in train or eval mode.
 *
 * Invariants:
 * - deterministic from the seed: parameters are declared and initialised in topological order, each
 *   layer from its own fork of `new Rng(seed)`, so the same graph and seed give the same bits;
 * - only nodes on the path to the loss's prediction input are built (unused nodes add no parameters);
 * - the parameter counts equal `modelSummary` (both come from engine/nn's `layerParams`);
 * - BatchNorm running statistics are frozen store entries, written in place in training mode.
 */
import { ParamStore, sigmoid, type Tensor } from '../index';
import { edgesInto } from '../graph/graph-index';
import { param } from '../graph/registry';
import {
  getNodeType,
  hasErrors,
  indexGraph,
  inferShapes,
  initSpecOf,
  resolveInitializer,
  toLayerConfig,
  validateGraph,
  type DatasetInfo,
  type Graph,
  type GraphIndex,
  type LayerInits,
  type NodeTypeDef,
  type Problem,
} from '../graph';
import {
  activation,
  addLayer,
  addLayerParams,
  batchNorm,
  concatLayer,
  dense,
  dropout,
  layerParams,
  maxout,
  prelu,
  rbf,
  softmax,
  type ActivationName,
  type ActivationParams,
  type LayerConfig,
} from '../nn';
import { Rng } from '../random/rng';
import type { Backend } from '../backend/types';

/** Thrown when a graph cannot be compiled; `problems` are the validation errors (node ids included). */
export class CompileError extends Error {
  constructor(
    message: string,
    readonly problems: readonly Problem[] = [],
  ) {
    super(message);
    this.name = 'CompileError';
  }
}

/** One built layer (a node that owns parameters or needs its config at run time). */
export interface CompiledLayer {
  nodeId: string;
  type: string;
  config: LayerConfig | null;
  /** Store names keyed by local name ('weight', 'bias', 'centres', …). */
  params: Record<string, string>;
  inputWidth: number;
  outputWidth: number;
}

/** What the loss node asks for. */
export interface LossSpec {
  nodeId: string;
  /** engine/losses name: 'mse', 'bce_logits', 'cross_entropy', … */
  name: string;
  input: 'values' | 'probabilities' | 'logits';
  params: Record<string, unknown>;
  l1: number;
  l2: number;
}

/** What the optimizer node (and its schedule) ask for. */
export interface OptimizerSpec {
  nodeId: string;
  name: string;
  secondOrder: boolean;
  /** Base learning rate α₀ (first-order optimizers; 0 for second-order ones). */
  lr: number;
  /** Optimizer hyperparameters (without lr, clipNorm, clipValue). */
  hyper: Record<string, number>;
  clipNorm: number;
  clipValue: number;
  schedule: { nodeId: string; name: string; params: Record<string, number> } | null;
}

export interface ForwardOptions {
  /** Training mode: dropout active, BatchNorm uses and updates batch statistics. */
  training: boolean;
  /** Dropout masks come from here (required in training mode when the model has Dropout). */
  rng?: Rng;
}

export interface CompiledModel {
  store: ParamStore;
  layers: CompiledLayer[];
  loss: LossSpec;
  optimizer: OptimizerSpec;
  dataset: DatasetInfo;
  /** Width of the network output (the loss's prediction input). */
  outputWidth: number;
  /** Store names of the weights the L1/L2 penalties apply to (Dense and Maxout weights). */
  penalised: string[];
  /**
   * Network output (what the loss's prediction port receives) for features x [B, featureWidth].
   * @param p parameter tensors (store.tensors() or autodiff's alias tree of them).
   */
  forward(x: Tensor, opts: ForwardOptions, p?: Readonly<Record<string, Tensor>>): Tensor;
  /** Outputs of every built node (for RBF centre placement and debugging). */
  forwardAll(x: Tensor, opts: ForwardOptions, p?: Readonly<Record<string, Tensor>>): Map<string, Tensor>;
  /** Output as probabilities (classification) or values (regression), whatever form the loss takes. */
  toProbabilities(out: Tensor): Tensor;
}

export interface CompileOptions {
  dataset: DatasetInfo;
  seed: number;
  batchSize?: number;
  dtype?: 'float32' | 'float64';
  /**
   * Backend of the parameter store (default: the CPU). On a device backend (WebGPU) parameters are
   * initialised on the host and uploaded once; BatchNorm (host-side running statistics) is CPU only.
   */
  backend?: Backend;
}

const num = (v: unknown, fallback: number): number =>
  typeof v === 'number' && Number.isFinite(v) ? v : fallback;

/** All params of a component node as a record with registry defaults filled in. */
function resolvedParams(node: Graph['nodes'][number], def: NodeTypeDef): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of def.params) out[s.name] = param(node, def, s.name);
  return out;
}

/** Ids of the nodes whose output the loss's prediction depends on, in topological order. */
function neededNodes(index: GraphIndex, outputId: string): string[] {
  const need = new Set<string>();
  const stack = [outputId];
  while (stack.length) {
    const id = stack.pop()!;
    if (need.has(id)) continue;
    need.add(id);
    for (const edges of index.inEdges.get(id)?.values() ?? [])
      for (const e of edges) {
        const t = index.defs.get(e.source)?.family;
        // Follow tensor edges only: initializer/schedule/optimizer nodes are not computed.
        if (t === 'dataset' || t === 'input' || t === 'layer' || t === 'activation') stack.push(e.source);
      }
  }
  return index.order.filter((id) => need.has(id));
}

/**
 * Compiles a graph for training on a dataset.
 * @param graph the project graph (must pass `validateGraph` with no errors).
 * @param opts dataset facts (`datasetInfoOf`), seed (uint32) for initialisation, batch size (for checks).
 * @returns the model; `store` is built (parameters initialised).
 * @throws CompileError listing the validation errors when the graph is not trainable.
 */
export function compileGraph(graph: Graph, opts: CompileOptions): CompiledModel {
  const ctx = { dataset: opts.dataset, ...(opts.batchSize ? { batchSize: opts.batchSize } : {}) };
  const validation = validateGraph(graph, ctx);
  if (hasErrors(validation.problems)) {
    const errors = validation.problems.filter((p) => p.severity === 'error');
    throw new CompileError(
      `The model cannot be trained: ${errors.map((p) => (p.nodeId ? `[${p.nodeId}] ` : '') + p.message).join(' ')}`,
      errors,
    );
  }
  const index = indexGraph(graph);
  const shapes = inferShapes(graph, ctx, index);
  const lossId = index.order.find((id) => index.defs.get(id)?.family === 'loss');
  if (!lossId) throw new CompileError('The model has no loss node.');
  const lossNode = index.nodes.get(lossId)!;
  const lossDef = index.defs.get(lossId)!;
  const predEdge = edgesInto(index, lossId, 'prediction')[0];
  const optEdge = edgesInto(index, lossId, 'optimizer')[0];
  if (!predEdge || !optEdge)
    throw new CompileError(`Loss '${lossId}': connect its prediction and optimizer.`);

  const lp = resolvedParams(lossNode, lossDef);
  const loss: LossSpec = {
    nodeId: lossId,
    name: lossDef.key,
    input: lossDef.loss?.input ?? 'values',
    params: lp,
    l1: num(lp.l1, 0),
    l2: num(lp.l2, 0),
  };

  const optNode = index.nodes.get(optEdge.source)!;
  const optDef = index.defs.get(optNode.id)!;
  const op = resolvedParams(optNode, optDef);
  const hyper: Record<string, number> = {};
  for (const [k, v] of Object.entries(op))
    if (k !== 'lr' && k !== 'clipNorm' && k !== 'clipValue' && typeof v === 'number') hyper[k] = v;
  const schedEdge = edgesInto(index, optNode.id, 'lr')[0];
  let schedule: OptimizerSpec['schedule'] = null;
  if (schedEdge) {
    const sNode = index.nodes.get(schedEdge.source)!;
    const sDef = index.defs.get(sNode.id)!;
    const sp: Record<string, number> = {};
    for (const [k, v] of Object.entries(resolvedParams(sNode, sDef))) if (typeof v === 'number') sp[k] = v;
    schedule = { nodeId: sNode.id, name: sDef.key, params: sp };
  }
  const optimizer: OptimizerSpec = {
    nodeId: optNode.id,
    name: optDef.key,
    secondOrder: optDef.secondOrder === true,
    lr: num(op.lr, 0),
    hyper,
    clipNorm: num(op.clipNorm, 0),
    clipValue: num(op.clipValue, 0),
    schedule,
  };

  const widthOf = (id: string, port = 'out'): number => {
    const s = shapes.outputShapes.get(id)?.get(port);
    const w = s?.[1];
    if (typeof w !== 'number') throw new CompileError(`Node '${id}': its output width is unknown.`);
    return w;
  };
  const inputsOf = (id: string): string[] => (index.inEdges.get(id)?.get('in') ?? []).map((e) => e.source);
  const outPortOf = (id: string): string => (index.defs.get(id)?.family === 'dataset' ? 'features' : 'out');

  const order = neededNodes(index, predEdge.source);
  const store = new ParamStore({
    dtype: opts.dtype ?? 'float32',
    ...(opts.backend ? { backend: opts.backend } : {}),
  });
  const root = new Rng(opts.seed >>> 0);
  const layers = new Map<string, CompiledLayer>();
  const penalised: string[] = [];
  for (const id of order) {
    const node = index.nodes.get(id)!;
    const def = index.defs.get(id)!;
    const layerRng = root.fork();
    if (def.family !== 'layer' && def.type !== 'Activation.prelu') continue;
    const inits: LayerInits = def.inputs.some((p) => p.name === 'weightInit')
      ? {
          weightInit: initSpecOf(resolveInitializer(index, id, 'weightInit')),
          biasInit: initSpecOf(resolveInitializer(index, id, 'biasInit')),
        }
      : {};
    const config = toLayerConfig(node, def, shapes.autoUnits.get(id) ?? null, inits);
    const inWidths = inputsOf(id).map((s) => widthOf(s, outPortOf(s)));
    const names = config ? addLayerParams(store, id, layerParams(config, inWidths, id), layerRng) : {};
    if (config && (config.type === 'dense' || config.type === 'maxout')) penalised.push(names.weight);
    layers.set(id, {
      nodeId: id,
      type: def.type,
      config,
      params: names,
      inputWidth: inWidths[0] ?? 0,
      outputWidth: widthOf(id),
    });
  }
  store.build();

  const bnState = (l: CompiledLayer) => {
    const arr = store.params;
    const view = (name: string) => {
      const e = store.spec(name);
      return arr.subarray(e.offset, e.offset + e.size);
    };
    return { mean: view(l.params.running_mean), var: view(l.params.running_var) };
  };

  const forwardAll = (
    x: Tensor,
    fo: ForwardOptions,
    p: Readonly<Record<string, Tensor>> = store.tensors(),
  ): Map<string, Tensor> => {
    const values = new Map<string, Tensor>();
    for (const id of order) {
      const def = getNodeType(index.nodes.get(id)!.type)!;
      if (def.family === 'dataset' || def.family === 'input') {
        values.set(id, x);
        continue;
      }
      const ins = inputsOf(id).map((s) => values.get(s)!);
      const l = layers.get(id);
      const P = (local: string) => p[l!.params[local]];
      const Pn = (local: string) => (l!.params[local] ? p[l!.params[local]] : null);
      let y: Tensor;
      if (def.family === 'activation') {
        if (def.type === 'Activation.prelu') y = prelu(ins[0], P('alpha'));
        else {
          const ap: ActivationParams = {};
          for (const [k, v] of Object.entries(resolvedParams(index.nodes.get(id)!, def)))
            if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') ap[k] = v;
          y = activation(def.key as ActivationName, ins[0], ap);
        }
      } else {
        const c = l!.config!;
        switch (c.type) {
          case 'dense':
            y = dense(ins[0], P('weight'), Pn('bias'));
            break;
          case 'maxout':
            y = maxout(ins[0], P('weight'), Pn('bias'), c.units, c.pieces);
            break;
          case 'rbf':
            y = rbf(ins[0], P('centres'), P('widths'), c.includeConstant !== false);
            break;
          case 'dropout':
            if (fo.training && c.rate > 0 && !fo.rng)
              throw new RangeError(`Dropout '${id}': training mode needs an Rng for the masks`);
            y = dropout(ins[0], c.rate, fo.rng ?? root, fo.training);
            break;
          case 'batchnorm':
            y = batchNorm(ins[0], Pn('gamma'), Pn('beta'), bnState(l!), {
              training: fo.training,
              momentum: c.momentum,
              eps: c.eps,
            });
            break;
          case 'add':
            y = ins.length === 1 ? ins[0] : addLayer(ins);
            break;
          case 'concat':
            y = ins.length === 1 ? ins[0] : concatLayer(ins);
            break;
          case 'prelu':
            y = prelu(ins[0], P('alpha'));
            break;
        }
      }
      values.set(id, y);
    }
    return values;
  };

  const outputId = predEdge.source;
  return {
    store,
    layers: [...layers.values()],
    loss,
    optimizer,
    dataset: opts.dataset,
    outputWidth: widthOf(outputId, outPortOf(outputId)),
    penalised,
    forwardAll,
    forward: (x, fo, p) => forwardAll(x, fo, p).get(outputId)!,
    toProbabilities(out) {
      if (loss.input !== 'logits') return out;
      return loss.name === 'bce_logits' ? sigmoid(out) : softmax(out);
    },
  };
}
