/**
 * The connection check the editor runs while the user drags a wire: may an edge go from
 * (source, sourcePort) to (target, targetPort)? Refuses unknown nodes/ports, direction errors, wrong port
 * types, a second edge into a single-edge input, duplicates, self-loops and cycles, each with one
 * user-facing sentence.
 *
 * Invariant: pure; O(nodes + edges) for the cycle test (a DFS from the target), O(1) otherwise.
 */
import { getNodeType } from './registry';
import { nodeName, portName } from './names';
import type { Graph, GraphEdge, GraphNode } from './types';

export type ConnectionCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const refuse = (reason: string): ConnectionCheck => ({ ok: false, reason });

/** The proposed edge: like GraphEdge without an id. */
export type ProposedEdge = Omit<GraphEdge, 'id'>;

/**
 * Whether `edge` may be added to `graph`.
 * @returns `{ok: true}` or `{ok: false, reason}` where `reason` is a sentence for the user.
 */
export function checkConnection(graph: Graph, edge: ProposedEdge): ConnectionCheck {
  let src: GraphNode | undefined;
  let dst: GraphNode | undefined;
  for (const n of graph.nodes) {
    if (n.id === edge.source) src = n;
    if (n.id === edge.target) dst = n;
  }
  if (!src) return refuse(`There is no node '${edge.source}' to connect from.`);
  if (!dst) return refuse(`There is no node '${edge.target}' to connect to.`);
  const sdef = getNodeType(src.type);
  const tdef = getNodeType(dst.type);
  if (!sdef) return refuse(`${nodeName(src)} has an unknown type and cannot be connected.`);
  if (!tdef) return refuse(`${nodeName(dst)} has an unknown type and cannot be connected.`);

  const sp = sdef.outputs.find((p) => p.name === edge.sourcePort);
  if (!sp) {
    if (sdef.inputs.some((p) => p.name === edge.sourcePort))
      return refuse(
        `${portName(sdef, edge.sourcePort)} of ${nodeName(src, sdef)} is an input: drag from an output.`,
      );
    return refuse(`${nodeName(src, sdef)} has no output '${edge.sourcePort}'.`);
  }
  const tp = tdef.inputs.find((p) => p.name === edge.targetPort);
  if (!tp) {
    if (tdef.outputs.some((p) => p.name === edge.targetPort))
      return refuse(
        `${portName(tdef, edge.targetPort)} of ${nodeName(dst, tdef)} is an output: connect to an input.`,
      );
    return refuse(`${nodeName(dst, tdef)} has no input '${edge.targetPort}'.`);
  }
  if (src.id === dst.id)
    return refuse(`A node cannot feed itself: ${nodeName(src, sdef)} would form a loop.`);
  if (sp.type !== tp.type)
    return refuse(
      `${portName(sdef, sp.name)} of ${nodeName(src, sdef)} carries ${article(sp.type)}, but ${portName(tdef, tp.name)} of ${nodeName(dst, tdef)} expects ${article(tp.type)}.`,
    );

  for (const e of graph.edges) {
    if (e.target !== dst.id || e.targetPort !== tp.name) continue;
    if (e.source === src.id && e.sourcePort === sp.name)
      return refuse(`These two ports are already connected.`);
    if (!tp.multiple)
      return refuse(
        `${portName(tdef, tp.name)} of ${nodeName(dst, tdef)} already has a connection; delete it first or use an Add/Concat node to merge.`,
      );
  }

  if (reaches(graph, dst.id, src.id))
    return refuse(
      `Connecting ${nodeName(src, sdef)} to ${nodeName(dst, tdef)} would create a cycle: ${nodeName(dst, tdef)} already feeds ${nodeName(src, sdef)}.`,
    );
  return { ok: true };
}

function article(t: string): string {
  switch (t) {
    case 'tensor':
      return 'a tensor';
    case 'target':
      return 'the dataset targets';
    case 'initializer':
      return 'an initializer';
    case 'optimizer':
      return 'an optimizer';
    default:
      return 'a learning-rate schedule';
  }
}

/** True when a directed path from `from` to `to` exists (iterative DFS). */
function reaches(graph: Graph, from: string, to: string): boolean {
  const out = new Map<string, string[]>();
  for (const e of graph.edges) {
    const l = out.get(e.source);
    if (l) l.push(e.target);
    else out.set(e.source, [e.target]);
  }
  const seen = new Set<string>([from]);
  const stack = [from];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === to) return true;
    for (const next of out.get(id) ?? [])
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
  }
  return false;
}
