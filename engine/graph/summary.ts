/**
 * Model summary (like Keras' model.summary()): the tensor-producing nodes in topological order with their
 * output shapes and parameter counts (trainable and not), and the totals.
 *
 * Invariants: pure; counts come from engine/nn's parameter declarations (via graph/layers paramCount); a node whose input or output width
 * is unknown counts 0 parameters and is marked `complete: false` so the UI can say "at least".
 */
import { indexGraph, type GraphIndex } from './graph-index';
import { inferShapes, type ShapeInference } from './infer';
import { paramCount } from './layers';
import type { Graph, GraphContext, Shape } from './types';

export interface SummaryRow {
  readonly nodeId: string;
  readonly type: string;
  readonly label: string;
  readonly outputShape: Shape;
  readonly trainable: number;
  readonly nonTrainable: number;
  /** trainable + nonTrainable */
  readonly params: number;
}

export interface ModelSummary {
  readonly rows: readonly SummaryRow[];
  readonly trainable: number;
  readonly nonTrainable: number;
  readonly total: number;
  /** False when some width was unknown, so the counts are a lower bound. */
  readonly complete: boolean;
}

/** Summarise `graph` under `ctx` (see module header). */
export function modelSummary(graph: Graph, ctx: GraphContext = {}): ModelSummary {
  const index = indexGraph(graph);
  return summarize(index, inferShapes(graph, ctx, index));
}

/** The summary from an existing index and shape inference (validation reuses them). */
export function summarize(index: GraphIndex, shapes: ShapeInference): ModelSummary {
  const rows: SummaryRow[] = [];
  let trainable = 0;
  let nonTrainable = 0;
  let complete = true;
  for (const id of index.order) {
    const def = index.defs.get(id);
    const out = shapes.outputShapes.get(id);
    if (!def || !out) continue;
    const outShape = out.get(def.family === 'dataset' ? 'features' : 'out');
    if (!outShape) continue;
    const inEdges = index.inEdges.get(id)?.get('in') ?? [];
    // Every layer with parameters has exactly one input; Add/Concat have none.
    const inWidth = inEdges.length === 1 ? (shapes.edgeShapes.get(inEdges[0].id)?.[1] ?? null) : null;
    const count = paramCount(index.nodes.get(id)!, def, inWidth, shapes.autoUnits.get(id) ?? null);
    if (outShape[1] === null || (inEdges.length === 1 && inWidth === null)) complete = false;
    trainable += count.trainable;
    nonTrainable += count.nonTrainable;
    rows.push({
      nodeId: id,
      type: def.type,
      label: def.label,
      outputShape: outShape,
      trainable: count.trainable,
      nonTrainable: count.nonTrainable,
      params: count.trainable + count.nonTrainable,
    });
  }
  return { rows, trainable, nonTrainable, total: trainable + nonTrainable, complete };
}
