/**
 * Wiring by keyboard: every wire the selected node could take part in, for the "Connect to…" list.
 * Each option joins one of the node's output ports to an input port of another node (or another
 * node's output to one of its inputs), with engine/graph's connection check: allowed ones first, the
 * refused ones after, each with the reason the check gives (so the list explains, not just hides).
 *
 * Invariants: pure; only options whose port types match are checked for cycles/duplicates, the rest
 * are refused by type without a graph walk, so a list over n nodes costs O(n · (n + e)) at worst.
 */
import {
  checkConnection,
  getNodeType,
  type Graph,
  type GraphNode,
  type ProposedEdge,
} from '../../engine/graph';

export interface ConnectOption {
  /** Stable key: the edge id the wire would get. */
  readonly key: string;
  readonly edge: ProposedEdge;
  /** 'out': from the selected node to another node; 'in': from another node into the selected one. */
  readonly direction: 'out' | 'in';
  /** e.g. "Output → ReLU 'relu-1' · Input". */
  readonly label: string;
  readonly ok: boolean;
  /** Why the wire is refused (null when ok). */
  readonly reason: string | null;
}

function nodeTitle(n: GraphNode): string {
  const def = getNodeType(n.type);
  return `${def?.label ?? n.type} '${n.label || n.id}'`;
}

/**
 * The wires node `nodeId` could take part in (see module header), allowed first; within each group in
 * graph order. Empty when the node does not exist or has an unknown type.
 */
export function connectOptions(graph: Graph, nodeId: string): ConnectOption[] {
  const self = graph.nodes.find((n) => n.id === nodeId);
  const def = self ? getNodeType(self.type) : undefined;
  if (!self || !def) return [];
  const options: ConnectOption[] = [];
  const add = (
    edge: ProposedEdge,
    direction: 'out' | 'in',
    label: string,
    typesMatch: boolean,
    what: string,
  ) => {
    const check = typesMatch ? checkConnection(graph, edge) : null;
    const ok = check?.ok === true;
    const reason = check === null ? what : check.ok ? null : check.reason;
    options.push({
      key: `${edge.source}.${edge.sourcePort}->${edge.target}.${edge.targetPort}`,
      edge,
      direction,
      label,
      ok,
      reason,
    });
  };
  for (const other of graph.nodes) {
    if (other.id === self.id) continue;
    const odef = getNodeType(other.type);
    if (!odef) continue;
    for (const out of def.outputs)
      for (const inp of odef.inputs)
        add(
          { source: self.id, sourcePort: out.name, target: other.id, targetPort: inp.name },
          'out',
          `${out.label} → ${nodeTitle(other)} · ${inp.label}`,
          out.type === inp.type,
          `${out.label} carries ${out.type}, but ${inp.label} of ${nodeTitle(other)} expects ${inp.type}.`,
        );
    for (const out of odef.outputs)
      for (const inp of def.inputs)
        add(
          { source: other.id, sourcePort: out.name, target: self.id, targetPort: inp.name },
          'in',
          `${inp.label} ← ${nodeTitle(other)} · ${out.label}`,
          out.type === inp.type,
          `${out.label} of ${nodeTitle(other)} carries ${out.type}, but ${inp.label} expects ${inp.type}.`,
        );
  }
  return [...options.filter((o) => o.ok), ...options.filter((o) => !o.ok)];
}

/** Options whose label contains every word of `query` (case-insensitive); all for an empty query. */
export function filterOptions(options: readonly ConnectOption[], query: string): ConnectOption[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...options];
  return options.filter((o) => {
    const text = o.label.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}
