// Validation and shape inference do work proportional to nodes + edges: a long chain is validated by
// a bounded number of reads of the graph's arrays per node (one index, built once), never by scanning
// the edges once per node. Work is counted, not timed: every element read of graph.nodes / graph.edges
// goes through a counting Proxy.
import { describe, expect, it } from 'vitest';
import { inferShapes, modelSummary, validateGraph } from '../../../engine/graph';
import type { Graph } from '../../../engine/graph';
import { bigGraph } from '../../fixtures/big-graph';

const chain = (n: number): Graph => bigGraph(n, 8);

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
