/** Small graph builders for the session tests: a chain Dataset → layers → loss ← optimizer. */
import type { Graph, GraphNode } from '../../../engine/graph';

export interface Spec {
  id: string;
  type: string;
  params?: Record<string, unknown>;
}

/** Dataset → layers… → loss (prediction), Dataset.targets → loss, optimizer → loss, plus extra edges. */
export function chain(
  layers: Spec[],
  loss: Spec,
  opt: Spec,
  extra: { nodes?: Spec[]; edges?: [string, string, string, string][] } = {},
): Graph {
  const specs: Spec[] = [
    { id: 'data', type: 'Dataset', params: {} },
    ...layers,
    loss,
    opt,
    ...(extra.nodes ?? []),
  ];
  const nodes: GraphNode[] = specs.map((s, i) => ({
    id: s.id,
    type: s.type,
    version: 1,
    position: { x: i * 100, y: 0 },
    params: s.params ?? {},
  }));
  const e: [string, string, string, string][] = [];
  let prev: [string, string] = ['data', 'features'];
  for (const l of layers) {
    e.push([prev[0], prev[1], l.id, 'in']);
    prev = [l.id, 'out'];
  }
  e.push(
    [prev[0], prev[1], loss.id, 'prediction'],
    ['data', 'targets', loss.id, 'target'],
    [opt.id, 'optimizer', loss.id, 'optimizer'],
  );
  e.push(...(extra.edges ?? []));
  return {
    nodes,
    edges: e.map(([source, sourcePort, target, targetPort], i) => ({
      id: `e${i}`,
      source,
      sourcePort,
      target,
      targetPort,
    })),
  };
}
