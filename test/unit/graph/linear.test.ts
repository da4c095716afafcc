// Validation and shape inference do work proportional to nodes + edges: a long chain is validated by
// a bounded number of reads of the graph's arrays per node (one index, built once), never by scanning
// the edges once per node. Work is counted, not timed: every element read of graph.nodes / graph.edges
// goes through a counting Proxy.
import { describe, expect, it } from 'vitest';
import { createNode, inferShapes, modelSummary, validateGraph } from '../../../engine/graph';
import type { Graph, GraphEdge, GraphNode } from '../../../engine/graph';

/** Dataset → (Dense → ReLU)×k → Dense(auto) → cross-entropy ← Adam, targets → loss; about `n` nodes. */
function chain(n: number): Graph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const add = (type: string, params: Record<string, unknown> = {}) => {
    const node = createNode(type, `n${nodes.length}`);
    nodes.push({ ...node, params: { ...node.params, ...params } });
    return node.id;
  };
  const wire = (source: string, sourcePort: string, target: string, targetPort: string) =>
    edges.push({ id: `e${edges.length}`, source, sourcePort, target, targetPort });
  const data = add('Dataset');
  let prev = data;
  let port = 'features';
  for (let k = 0; k < Math.floor((n - 4) / 2); k++) {
    const d = add('Dense', { units: 8 });
    wire(prev, port, d, 'in');
    const a = add('Activation.relu');
    wire(d, 'out', a, 'in');
    prev = a;
    port = 'out';
  }
  const out = add('Dense', { units: 'auto' });
  wire(prev, port, out, 'in');
  const loss = add('Loss.cross_entropy_logits');
  wire(out, 'out', loss, 'prediction');
  wire(data, 'targets', loss, 'target');
  const opt = add('Optimizer.adam');
  wire(opt, 'optimizer', loss, 'optimizer');
  return { nodes, edges };
}

/** The graph with its arrays wrapped so that every indexed element read is counted. */
function counted(graph: Graph): { graph: Graph; reads: () => number } {
  let reads = 0;
  const wrap = <T extends object>(arr: readonly T[]): readonly T[] =>
    new Proxy(arr, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
  return { graph: { nodes: wrap(graph.nodes), edges: wrap(graph.edges) } as Graph, reads: () => reads };
}

const ds = { featureWidth: 4, task: 'multiclass' as const, targetWidth: 1, numClasses: 3, trainRows: 120 };

describe('validation work is linear in the graph size', () => {
  it('validates a 3,000-node chain with a bounded number of array reads per node', () => {
    const g = chain(3000);
    expect(g.nodes.length).toBeGreaterThanOrEqual(2999);
    const { graph, reads } = counted(g);
    const r = validateGraph(graph, { dataset: ds, batchSize: 16 });
    // The chain is a valid network: no errors, and a shape on every edge but the optimizer's.
    expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(r.shapes.edgeShapes.size).toBe(g.edges.length - 1);
    expect(r.shapes.autoUnits.get(g.nodes[g.nodes.length - 3].id)).toBe(3);
    // A scan of the edges per node would be ~9 million reads; the index reads each element a few times.
    expect(reads()).toBeLessThan(10 * (g.nodes.length + g.edges.length));
  });

  it('reads grow by the same factor as the graph (300 → 3,000 nodes: ×10, not ×100)', () => {
    const work = (n: number, f: (graph: Graph) => unknown) => {
      const { graph, reads } = counted(chain(n));
      f(graph);
      return reads();
    };
    for (const f of [
      (graph: Graph) => validateGraph(graph, { dataset: ds, batchSize: 16 }),
      (graph: Graph) => inferShapes(graph, { dataset: ds }),
      (graph: Graph) => modelSummary(graph, { dataset: ds }),
    ]) {
      const small = work(300, f);
      const large = work(3000, f);
      expect(small).toBeGreaterThan(0);
      expect(large / small).toBeLessThan(12);
    }
  });
});
