/**
 * The exportable model: a trained project (graph snapshot of a run, checkpoint weights, fitted
 * preprocessing recipe, class labels) turned into one plain description that every exporter reads —
 * the compiled model (engine/compile, reused for reference predictions) plus an execution plan: the
 * nodes on the path to the loss's prediction, in topological order, each with its inputs and what it
 * computes.
 *
 * Invariants: weights are the checkpoint's float32 values, loaded by name into the compiled store
 * (so shapes are checked there); the plan contains only nodes that compute tensors (Dataset/Input,
 * layers, activations); nothing here depends on Node, the DOM or Electron.
 */
import { compileGraph, type CompiledLayer, type CompiledModel } from '../compile';
import type { DataRecipe } from '../data/prepare';
import { edgesInto } from '../graph/graph-index';
import { param } from '../graph/registry';
import { getNodeType, indexGraph, type Graph } from '../graph';
import type { ActivationName, ActivationParams } from '../nn';
import type { Project, Run } from '../project/types';
import { datasetInfoOfRecipe } from '../session/dataset';
import { loadWeights } from '../session/run';

/** Thrown when a model cannot be exported in a format; the message says what and what to do. */
export class ExportError extends Error {
  constructor(
    message: string,
    /** Node id at fault, when one is. */
    readonly nodeId: string | null = null,
  ) {
    super(message);
    this.name = 'ExportError';
  }
}

/** One computing node of the plan. */
export type PlanStep =
  | { id: string; kind: 'input' }
  | { id: string; kind: 'activation'; name: ActivationName; params: ActivationParams; inputs: string[] }
  | { id: string; kind: 'layer'; layer: CompiledLayer; inputs: string[] };

export interface ExportModel {
  /** The graph the weights belong to (the run's snapshot). */
  graph: Graph;
  compiled: CompiledModel;
  plan: PlanStep[];
  /** Node id whose output is the network output (the loss's prediction input). */
  outputId: string;
  recipe: DataRecipe;
  task: DataRecipe['task'];
  /** Classification: original label strings in class order (class k = classes[k]); [] for regression. */
  classes: string[];
  /** Netloom version written into the files. */
  appVersion: string;
  /** Project name (for doc strings). */
  name: string;
  /** Checkpoint epoch the weights come from. */
  epoch: number;
  /** Training settings of the run (for the PyTorch script's training loop). */
  training: { epochs: number; batchSize: number; seed: number };
}

/** Numeric/string/boolean params of a node with registry defaults filled in. */
export function nodeParams(graph: Graph, id: string): ActivationParams {
  const node = graph.nodes.find((n) => n.id === id);
  const def = node ? getNodeType(node.type) : undefined;
  const out: ActivationParams = {};
  if (!node || !def) return out;
  for (const s of def.params) {
    const v = param(node, def, s.name);
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') out[s.name] = v;
  }
  return out;
}

/**
 * Execution plan of a compiled graph: the nodes the output depends on, topologically ordered.
 * @throws ExportError when the graph has no loss/prediction edge.
 */
export function planOf(graph: Graph, compiled: CompiledModel): { plan: PlanStep[]; outputId: string } {
  const index = indexGraph(graph);
  const pred = edgesInto(index, compiled.loss.nodeId, 'prediction')[0];
  if (!pred)
    throw new ExportError(`Loss '${compiled.loss.nodeId}' has no prediction input.`, compiled.loss.nodeId);
  const need = new Set<string>();
  const stack = [pred.source];
  while (stack.length) {
    const id = stack.pop()!;
    if (need.has(id)) continue;
    need.add(id);
    for (const edges of index.inEdges.get(id)?.values() ?? [])
      for (const e of edges) {
        const f = index.defs.get(e.source)?.family;
        if (f === 'dataset' || f === 'input' || f === 'layer' || f === 'activation') stack.push(e.source);
      }
  }
  const layers = new Map(compiled.layers.map((l) => [l.nodeId, l]));
  const plan: PlanStep[] = [];
  for (const id of index.order) {
    if (!need.has(id)) continue;
    const def = index.defs.get(id)!;
    const inputs = (index.inEdges.get(id)?.get('in') ?? []).map((e) => e.source);
    if (def.family === 'dataset' || def.family === 'input') plan.push({ id, kind: 'input' });
    else if (layers.has(id)) plan.push({ id, kind: 'layer', layer: layers.get(id)!, inputs });
    else if (def.family === 'activation')
      plan.push({
        id,
        kind: 'activation',
        name: def.key as ActivationName,
        params: nodeParams(graph, id),
        inputs,
      });
    else if (def.family === 'layer') {
      // Parameter-free layers that compile keeps a config for are in `layers`; anything else is unknown.
      throw new ExportError(`Node '${id}' (${def.type}) cannot be exported: it was not compiled.`, id);
    }
  }
  return { plan, outputId: pred.source };
}

/** The latest run of a project that has a checkpoint (its weights), or null. */
export function latestTrainedRun(project: Project): Run | null {
  for (let i = project.runs.length - 1; i >= 0; i--) if (project.runs[i].checkpoint) return project.runs[i];
  return null;
}

/**
 * The exportable model of a trained project.
 * @param project a loaded project with a fitted recipe (`dataset.preprocessing`) and a run with a checkpoint.
 * @param opts.run a specific run (default: the latest run with weights); opts.appVersion (default project.app.version).
 * @throws ExportError naming what is missing (no run, no preprocessing, weights that do not fit the graph).
 */
export function exportModelFromProject(
  project: Project,
  opts: { run?: Run; appVersion?: string } = {},
): ExportModel {
  const run = opts.run ?? latestTrainedRun(project);
  if (!run || !run.checkpoint)
    throw new ExportError(
      'The project has no trained weights: train it first (netloom train <project> --out <project>).',
    );
  // A failed run keeps its last finite weights, which may be far off (a diverging loss): export
  // them only when that run is asked for explicitly.
  if (!opts.run && run.status === 'failed')
    throw new ExportError(
      `The latest trained run '${run.id}' failed (its loss diverged or training broke off), so its weights ` +
        'are not a usable model: retrain (for example with a lower learning rate) and export again.',
    );
  const prep = project.dataset?.preprocessing;
  if (!prep)
    throw new ExportError(
      'The project has no fitted preprocessing (dataset.preprocessing): train it once so the scaling and class list are stored.',
    );
  const recipe = prep as unknown as DataRecipe;
  if (recipe.version !== 1 || !Array.isArray(recipe.features))
    throw new ExportError(
      "The project's preprocessing is not a Netloom data recipe v1; retrain the project.",
    );
  return exportModelFromParts({
    graph: run.graph as Graph,
    weights: run.checkpoint.weights,
    recipe,
    appVersion: opts.appVersion ?? project.app.version,
    name: project.name,
    epoch: run.checkpoint.epoch,
    training: { epochs: run.settings.epochs, batchSize: run.settings.batchSize, seed: run.settings.seed },
  });
}

/**
 * The exportable model from its parts (graph, named float32 weights, recipe).
 * @throws ExportError when the graph does not compile or the weights do not fit it.
 */
export function exportModelFromParts(parts: {
  graph: Graph;
  weights: readonly { name: string; shape: readonly number[]; data: Float32Array }[];
  recipe: DataRecipe;
  appVersion: string;
  name?: string;
  epoch?: number;
  training?: ExportModel['training'];
}): ExportModel {
  const { graph, recipe } = parts;
  let compiled: CompiledModel;
  try {
    compiled = compileGraph(graph, { dataset: datasetInfoOfRecipe(recipe), seed: 0 });
    loadWeights(
      compiled,
      parts.weights.map((w) => ({ name: w.name, shape: [...w.shape], data: w.data })),
    );
  } catch (e) {
    throw new ExportError(
      `The model cannot be rebuilt for export: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const { plan, outputId } = planOf(graph, compiled);
  return {
    graph,
    compiled,
    plan,
    outputId,
    recipe,
    task: recipe.task,
    classes: recipe.task === 'regression' ? [] : [...recipe.classes],
    appVersion: parts.appVersion,
    name: parts.name ?? '',
    epoch: parts.epoch ?? 0,
    training: parts.training ?? { epochs: 10, batchSize: 32, seed: 1 },
  };
}

/** Float32 copy of one store tensor by its Netloom name. */
export function weightOf(model: ExportModel, name: string): { shape: number[]; data: Float32Array } {
  const s = model.compiled.store.spec(name);
  const P = model.compiled.store.params;
  return { shape: [...s.shape], data: Float32Array.from(P.subarray(s.offset, s.offset + s.size)) };
}

/**
 * How the network output becomes class probabilities: 'softmax'/'sigmoid' applied by the exporter
 * (from-logits losses), 'none' when the graph already ends in probabilities (or for regression).
 * `binary1` is true when a binary task has one output column p(class 1), which exporters widen to [1 − p, p].
 */
export function outputHead(model: ExportModel): { apply: 'none' | 'softmax' | 'sigmoid'; binary1: boolean } {
  const loss = model.compiled.loss;
  const apply = loss.input !== 'logits' ? 'none' : loss.name === 'bce_logits' ? 'sigmoid' : 'softmax';
  return { apply, binary1: model.task === 'binary' && model.compiled.outputWidth === 1 };
}
