/**
 * Shape inference: gives every tensor (and target) edge its shape [batch, n], starting from the
 * dataset's encoded widths (or an Input node's declared width) and applying each node's width rule in
 * topological order. Resolves a Dense layer's 'auto' units from the dataset and the loss it feeds.
 *
 * Invariants: pure, O(nodes + edges); an unknown width (null) propagates silently so one mistake gives
 * one problem, not a cascade; nodes on a cycle get no shapes.
 */
import { indexGraph, type GraphIndex } from './graph-index';
import { outputWidth } from './layers';
import { nodeName } from './names';
import { param } from './registry';
import type { DatasetInfo, Graph, GraphContext, GraphEdge, Problem, Shape } from './types';

export interface ShapeInference {
  /** Shape of each valid tensor or target edge. */
  readonly edgeShapes: ReadonlyMap<string, Shape>;
  /** Output shape per node and output port (tensor and target ports only). */
  readonly outputShapes: ReadonlyMap<string, ReadonlyMap<string, Shape>>;
  /** Resolved width of every Dense whose units are 'auto' (null when it cannot be resolved). */
  readonly autoUnits: ReadonlyMap<string, number | null>;
  readonly problems: readonly Problem[];
  readonly index: GraphIndex;
}

/** Nodes that pass their width through unchanged, so an 'auto' layer may sit before them. */
function isPassThrough(index: GraphIndex, id: string): boolean {
  const def = index.defs.get(id);
  return !!def && (def.family === 'activation' || def.type === 'Dropout' || def.type === 'BatchNorm');
}

/**
 * The loss node whose prediction input `nodeId` feeds through pass-through nodes only, or null.
 * Follows the first such path (a second one would already be flagged elsewhere).
 */
export function lossFedBy(index: GraphIndex, nodeId: string): string | null {
  const seen = new Set<string>();
  const stack = [nodeId];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of index.outEdges.get(id) ?? []) {
      const def = index.defs.get(e.target);
      if (def?.family === 'loss' && e.targetPort === 'prediction') return e.target;
      if (isPassThrough(index, e.target)) stack.push(e.target);
    }
  }
  return null;
}

/**
 * The output width the data and loss call for: regression data → number of targets; a multiclass loss
 * (cross-entropy) → number of classes; otherwise binary data → 1 (one sigmoid or logit), multiclass data →
 * number of classes. `lossTask` is the loss's task from engine/losses (null: no loss known).
 */
export function expectedOutputWidth(dataset: DatasetInfo, lossTask: string | null): number {
  if (dataset.task === 'regression') return dataset.targetWidth;
  const classes = dataset.numClasses ?? 2;
  if (lossTask === 'multiclass') return classes;
  return dataset.task === 'binary' ? 1 : classes;
}

/** Infer shapes for `graph` (see module header). Pass a prebuilt index to avoid re-indexing. */
export function inferShapes(graph: Graph, ctx: GraphContext = {}, prebuilt?: GraphIndex): ShapeInference {
  const index = prebuilt ?? indexGraph(graph);
  const problems: Problem[] = [];
  const edgeShapes = new Map<string, Shape>();
  const outputShapes = new Map<string, Map<string, Shape>>();
  const autoUnits = new Map<string, number | null>();
  const ds = ctx.dataset;

  for (const id of index.order) {
    if (index.cyclic.has(id)) continue;
    const node = index.nodes.get(id)!;
    const def = index.defs.get(id);
    if (!def) continue;
    const outs = new Map<string, Shape>();

    if (def.family === 'dataset') {
      outs.set('features', [null, ds ? ds.featureWidth : null]);
      outs.set('targets', [null, ds ? ds.targetWidth : null]);
    } else if (def.outputs.some((p) => p.type === 'tensor')) {
      const incoming: readonly GraphEdge[] = index.inEdges.get(id)?.get('in') ?? [];
      const widths = incoming.map((e) => edgeShapes.get(e.id)?.[1] ?? null);
      let auto: number | null = null;
      if (def.type === 'Dense' && param(node, def, 'units') === 'auto') {
        const loss = lossFedBy(index, id);
        if (loss === null) {
          problems.push({
            severity: 'error',
            code: 'auto-width-misplaced',
            nodeId: id,
            param: 'units',
            message: `${nodeName(node, def)}: 'auto' units are only for the last layer, the one that feeds the loss. Set a number of units.`,
          });
        } else if (!ds) {
          problems.push({
            severity: 'warning',
            code: 'auto-width-unresolved',
            nodeId: id,
            param: 'units',
            message: `${nodeName(node, def)}: 'auto' units need a dataset to know the number of classes or targets. Load data, or set a number of units.`,
          });
        } else {
          auto = expectedOutputWidth(ds, index.defs.get(loss)!.loss?.task ?? null);
        }
        autoUnits.set(id, auto);
      }
      const r = outputWidth(node, def, widths, auto);
      if (r.error)
        problems.push({
          severity: 'error',
          code: def.type === 'Add' ? 'add-shape-mismatch' : 'shape-mismatch',
          nodeId: id,
          port: 'in',
          message: `${nodeName(node, def)}: ${r.error}.`,
        });
      for (const p of def.outputs) if (p.type === 'tensor') outs.set(p.name, [null, r.width]);
    }

    if (outs.size > 0) {
      outputShapes.set(id, outs);
      for (const e of index.outEdges.get(id) ?? []) {
        const s = outs.get(e.sourcePort);
        if (s) edgeShapes.set(e.id, s);
      }
    }
  }
  return { edgeShapes, outputShapes, autoUnits, problems, index };
}

/** "[batch, 4]" — a shape as the editor shows it ('?' for an unknown width). */
export function formatShape(shape: Shape): string {
  return `[batch, ${shape[1] ?? '?'}]`;
}
