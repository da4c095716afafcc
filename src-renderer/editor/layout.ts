/**
 * Auto-layout left to right with dagre: ranks follow the data flow (Dataset on the left, loss on the
 * right); optimizer/initializer/schedule nodes land next to what they feed.
 * Invariants: pure; returns top-left positions (Svelte Flow's convention), rounded to whole units.
 */
import { Graph as DagreGraph, layout } from '@dagrejs/dagre';
import type { Graph } from '../../engine/graph';

/** Default node box when a node has not been measured yet (flow units). */
export const DEFAULT_NODE_SIZE = { width: 176, height: 72 };

/**
 * Positions for every node of `graph`.
 * @param sizes measured node sizes by id (missing ones use DEFAULT_NODE_SIZE).
 */
export function layoutGraph(
  graph: Graph,
  sizes: ReadonlyMap<string, { width: number; height: number }> = new Map(),
): Map<string, { x: number; y: number }> {
  const g = new DagreGraph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 72, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of graph.nodes) {
    const s = sizes.get(n.id) ?? DEFAULT_NODE_SIZE;
    g.setNode(n.id, { width: s.width, height: s.height });
  }
  for (const e of graph.edges) g.setEdge(e.source, e.target, {}, e.id);
  layout(g);
  const out = new Map<string, { x: number; y: number }>();
  for (const n of graph.nodes) {
    const p = g.node(n.id) as { x: number; y: number; width: number; height: number };
    out.set(n.id, { x: Math.round(p.x - p.width / 2), y: Math.round(p.y - p.height / 2) });
  }
  return out;
}
