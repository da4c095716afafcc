import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkConnection, createNode, modelSummary, nodeTypes, validateGraph } from '../../../engine/graph';
import type { DatasetInfo, GraphContext, GraphEdge, GraphNode } from '../../../engine/graph';

const TYPES = [...nodeTypes().keys()];
const PORTS = [
  ...new Set([...nodeTypes().values()].flatMap((d) => [...d.inputs, ...d.outputs].map((p) => p.name))),
];
const odd = fc.oneof(
  fc.integer({ min: -3, max: 40 }),
  fc.double({ noNaN: false }),
  fc.constantFrom('auto', 'x', null, true, [], {}),
);

const arbGraph = fc
  .record({
    nodes: fc.array(
      fc.record({
        type: fc.oneof(fc.constantFrom(...TYPES), fc.constant('Bogus')),
        overrides: fc.dictionary(
          fc.constantFrom('units', 'rate', 'centres', 'pieces', 'width', 'bias', 'lr', 'delta'),
          odd,
          {
            maxKeys: 2,
          },
        ),
      }),
      { maxLength: 14 },
    ),
    edges: fc.array(
      fc.record({
        s: fc.nat(15),
        t: fc.nat(15),
        sp: fc.constantFrom(...PORTS, 'nope'),
        tp: fc.constantFrom(...PORTS, 'nope'),
      }),
      { maxLength: 24 },
    ),
  })
  .map(({ nodes, edges }) => {
    const ns: GraphNode[] = nodes.map((n, i) =>
      n.type === 'Bogus'
        ? { id: `n${i}`, type: 'Bogus', version: 1, position: { x: 0, y: 0 }, params: {} }
        : {
            ...createNode(n.type, `n${i}`),
            params: { ...createNode(n.type, `n${i}`).params, ...n.overrides },
          },
    );
    const es: GraphEdge[] = edges.map((e, i) => ({
      id: `e${i}`,
      source: `n${e.s}`,
      sourcePort: e.sp,
      target: `n${e.t}`,
      targetPort: e.tp,
    }));
    return { nodes: ns, edges: es };
  });

const arbCtx: fc.Arbitrary<GraphContext> = fc.record(
  {
    dataset: fc.constantFrom<DatasetInfo>(
      { featureWidth: 4, task: 'multiclass', targetWidth: 1, numClasses: 3, trainRows: 100 },
      { featureWidth: 30, task: 'binary', targetWidth: 1, numClasses: 2 },
      { featureWidth: 3, task: 'regression', targetWidth: 3, trainRows: 14 },
    ),
    batchSize: fc.oneof(fc.constant<'full'>('full'), fc.integer({ min: 1, max: 200 })),
    mode: fc.constantFrom<'train' | 'predict'>('train', 'predict'),
  },
  { requiredKeys: [] },
);

describe('graph functions on arbitrary (often broken) graphs', () => {
  it('never throw, and every problem is a sentence with a known severity', () => {
    fc.assert(
      fc.property(arbGraph, arbCtx, (g, ctx) => {
        const r = validateGraph(g, ctx);
        for (const p of r.problems) {
          expect(['error', 'warning']).toContain(p.severity);
          expect(p.message).toMatch(/^\S.*[.)]$/s);
        }
        expect(r.ok).toBe(!r.problems.some((p) => p.severity === 'error'));
        const s = modelSummary(g, ctx);
        expect(s.total).toBe(s.trainable + s.nonTrainable);
        expect(Number.isInteger(s.total) && s.total >= 0).toBe(true);
      }),
      { numRuns: 150, seed: 20261129 },
    );
  });

  it('accepted connections never create a cycle or a doubled single input', () => {
    fc.assert(
      fc.property(arbGraph, (g) => {
        // Grow a graph edge by edge through checkConnection; the result must validate without
        // structural problems.
        const grown = { nodes: g.nodes, edges: [] as GraphEdge[] };
        for (const e of g.edges) {
          const { id, ...proposed } = e;
          if (checkConnection(grown, proposed).ok) grown.edges.push({ id, ...proposed });
        }
        const structural = validateGraph(grown).problems.filter((p) =>
          ['cycle', 'duplicate-input', 'port-type-mismatch', 'unknown-port', 'edge-missing-node'].includes(
            p.code,
          ),
        );
        expect(structural).toEqual([]);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
