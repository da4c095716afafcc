/**
 * One linear-time pass over a graph that every other graph function starts from: nodes by id, their
 * registry definitions, incoming edges per input port and outgoing edges per node, a topological order
 * (Kahn's algorithm), and the structural problems found on the way (unknown types and ports, edges
 * joining ports of different types, several edges into a single-edge input, cycles).
 *
 * Invariants: O(nodes + edges); edges that are structurally broken are excluded from the adjacency so
 * later passes never see them; the input graph is not modified.
 */
import { getNodeType } from './registry';
import { nodeName, portName } from './names';
import type { Graph, GraphEdge, GraphNode, NodeTypeDef, Problem } from './types';

export interface GraphIndex {
  readonly nodes: ReadonlyMap<string, GraphNode>;
  /** Registry definitions of the nodes whose type is known. */
  readonly defs: ReadonlyMap<string, NodeTypeDef>;
  /** Valid incoming edges: node id → input port → edges (in graph order). */
  readonly inEdges: ReadonlyMap<string, ReadonlyMap<string, readonly GraphEdge[]>>;
  /** Valid outgoing edges per node (in graph order). */
  readonly outEdges: ReadonlyMap<string, readonly GraphEdge[]>;
  /** Nodes in topological order; nodes on or after a cycle are appended at the end. */
  readonly order: readonly string[];
  /** Ids of nodes that lie on a cycle (or downstream of one and unresolvable). */
  readonly cyclic: ReadonlySet<string>;
  readonly problems: readonly Problem[];
}

/** Build the index of `graph` (see module header). */
export function indexGraph(graph: Graph): GraphIndex {
  const problems: Problem[] = [];
  const nodes = new Map<string, GraphNode>();
  const defs = new Map<string, NodeTypeDef>();
  for (const n of graph.nodes) {
    if (nodes.has(n.id)) {
      problems.push({
        severity: 'error',
        code: 'duplicate-node-id',
        nodeId: n.id,
        message: `Two nodes share the id '${n.id}'. Delete one of them or re-open the project after fixing the file.`,
      });
      continue;
    }
    nodes.set(n.id, n);
    const def = getNodeType(n.type);
    if (def) defs.set(n.id, def);
    else
      problems.push({
        severity: 'error',
        code: 'unknown-node-type',
        nodeId: n.id,
        message: `Node '${n.id}' has the unknown type '${n.type}'. Replace it with a node from the palette.`,
      });
  }

  const inEdges = new Map<string, Map<string, GraphEdge[]>>();
  const outEdges = new Map<string, GraphEdge[]>();
  for (const id of nodes.keys()) {
    inEdges.set(id, new Map());
    outEdges.set(id, []);
  }

  for (const e of graph.edges) {
    const src = nodes.get(e.source);
    const dst = nodes.get(e.target);
    if (!src || !dst) {
      problems.push({
        severity: 'error',
        code: 'edge-missing-node',
        edgeId: e.id,
        message: `Connection '${e.id}' refers to a node that does not exist ('${!src ? e.source : e.target}'). Delete the connection.`,
      });
      continue;
    }
    const sdef = defs.get(src.id);
    const tdef = defs.get(dst.id);
    if (!sdef || !tdef) continue; // already reported as unknown type
    const sp = sdef.outputs.find((p) => p.name === e.sourcePort);
    const tp = tdef.inputs.find((p) => p.name === e.targetPort);
    if (!sp || !tp) {
      const [n, d, port] = !sp ? [src, sdef, e.sourcePort] : [dst, tdef, e.targetPort];
      problems.push({
        severity: 'error',
        code: 'unknown-port',
        edgeId: e.id,
        nodeId: n.id,
        port,
        message: `Connection '${e.id}' uses the port '${port}', which ${nodeName(n, d)} does not have. Delete the connection and wire it again.`,
      });
      continue;
    }
    if (sp.type !== tp.type) {
      problems.push({
        severity: 'error',
        code: 'port-type-mismatch',
        edgeId: e.id,
        nodeId: dst.id,
        port: e.targetPort,
        message: `Connection '${e.id}' joins a ${sp.type} output to the ${tp.type} input ${portName(tdef, e.targetPort)} of ${nodeName(dst, tdef)}. Delete it.`,
      });
      continue;
    }
    const byPort = inEdges.get(dst.id)!;
    const list = byPort.get(e.targetPort);
    if (list && !tp.multiple) {
      problems.push({
        severity: 'error',
        code: 'duplicate-input',
        edgeId: e.id,
        nodeId: dst.id,
        port: e.targetPort,
        message: `Input ${portName(tdef, e.targetPort)} of ${nodeName(dst, tdef)} takes one connection but has several. Delete all but one.`,
      });
      continue;
    }
    if (list) list.push(e);
    else byPort.set(e.targetPort, [e]);
    outEdges.get(src.id)!.push(e);
  }

  // Kahn's algorithm over the valid edges.
  const indeg = new Map<string, number>();
  for (const id of nodes.keys()) indeg.set(id, 0);
  for (const list of outEdges.values()) for (const e of list) indeg.set(e.target, indeg.get(e.target)! + 1);
  const order: string[] = [];
  const queue: string[] = [];
  for (const [id, d] of indeg) if (d === 0) queue.push(id);
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head];
    order.push(id);
    for (const e of outEdges.get(id)!) {
      const d = indeg.get(e.target)! - 1;
      indeg.set(e.target, d);
      if (d === 0) queue.push(e.target);
    }
  }
  const cyclic = new Set<string>();
  if (order.length < nodes.size) {
    for (const [id, d] of indeg)
      if (d > 0) {
        cyclic.add(id);
        order.push(id);
      }
    const names = [...cyclic].slice(0, 5).map((id) => `'${id}'`);
    const first = [...cyclic][0];
    problems.push({
      severity: 'error',
      code: 'cycle',
      nodeId: first,
      message: `The graph has a cycle through ${names.join(', ')}${cyclic.size > 5 ? ', …' : ''}. Networks must flow one way: delete a connection that loops back.`,
    });
  }

  return { nodes, defs, inEdges, outEdges, order, cyclic, problems };
}

/** The edges into `port` of `nodeId` (empty when none). */
export function edgesInto(index: GraphIndex, nodeId: string, port: string): readonly GraphEdge[] {
  return index.inEdges.get(nodeId)?.get(port) ?? [];
}
