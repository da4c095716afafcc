import { describe, expect, it } from 'vitest';
import { checkConnection, indexGraph, validateGraph } from '../../../engine/graph';
import { G } from './build';

const conn = (g: G, from: string, to: string) => {
  const [source, sourcePort] = from.split('.');
  const [target, targetPort] = to.split('.');
  return checkConnection(g, { source, sourcePort, target, targetPort });
};
const reason = (r: ReturnType<typeof checkConnection>) => (r.ok ? '' : r.reason);

describe('checkConnection: port types', () => {
  const g = new G()
    .node('data', 'Dataset')
    .node('d1', 'Dense')
    .node('he', 'Initializer.he_normal')
    .node('loss', 'Loss.mse')
    .node('adam', 'Optimizer.adam')
    .node('cos', 'Schedule.cosine');

  it('accepts matching types', () => {
    expect(conn(g, 'data.features', 'd1.in')).toEqual({ ok: true });
    expect(conn(g, 'he.init', 'd1.weightInit')).toEqual({ ok: true });
    expect(conn(g, 'data.targets', 'loss.target')).toEqual({ ok: true });
    expect(conn(g, 'd1.out', 'loss.prediction')).toEqual({ ok: true });
    expect(conn(g, 'adam.optimizer', 'loss.optimizer')).toEqual({ ok: true });
    expect(conn(g, 'cos.schedule', 'adam.lr')).toEqual({ ok: true });
  });

  it('refuses mismatched types with a sentence naming both ends', () => {
    const r = conn(g, 'data.targets', 'd1.in');
    expect(r.ok).toBe(false);
    expect(reason(r)).toBe(
      "'Targets' of Dataset 'data' carries the dataset targets, but 'Input' of Dense 'd1' expects a tensor.",
    );
    expect(reason(conn(g, 'he.init', 'd1.in'))).toMatch(
      /carries an initializer, but 'Input' .* expects a tensor/,
    );
    expect(reason(conn(g, 'd1.out', 'd1.weightInit'))).toMatch(/feed itself/);
    expect(reason(conn(g, 'data.features', 'loss.target'))).toMatch(
      /carries a tensor, but 'Target' .* expects the dataset targets/,
    );
    expect(reason(conn(g, 'cos.schedule', 'loss.optimizer'))).toMatch(
      /a learning-rate schedule, but .* expects an optimizer/,
    );
    expect(reason(conn(g, 'adam.optimizer', 'd1.biasInit'))).toMatch(
      /an optimizer, but .* expects an initializer/,
    );
  });

  it('refuses wrong directions, unknown ports and unknown nodes', () => {
    expect(reason(conn(g, 'd1.in', 'loss.prediction'))).toBe(
      "'Input' of Dense 'd1' is an input: drag from an output.",
    );
    expect(reason(conn(g, 'data.features', 'd1.out'))).toBe(
      "'Output' of Dense 'd1' is an output: connect to an input.",
    );
    expect(reason(conn(g, 'd1.bogus', 'loss.prediction'))).toBe("Dense 'd1' has no output 'bogus'.");
    expect(reason(conn(g, 'd1.out', 'loss.bogus'))).toBe("MSE 'loss' has no input 'bogus'.");
    expect(reason(conn(g, 'ghost.out', 'd1.in'))).toBe("There is no node 'ghost' to connect from.");
    expect(reason(conn(g, 'd1.out', 'ghost.in'))).toBe("There is no node 'ghost' to connect to.");
  });
});

describe('checkConnection: one edge per input port', () => {
  it('refuses a second edge into a single input but accepts many into Add/Concat and many out of one output', () => {
    const g = new G()
      .node('data', 'Dataset')
      .node('a', 'Dense')
      .node('b', 'Dense')
      .node('c', 'Dense')
      .node('add', 'Add')
      .node('cat', 'Concat')
      .node('he', 'Initializer.he_normal')
      .node('he2', 'Initializer.he_normal')
      .chain('data', 'a')
      .edge('data.features', 'b.in')
      .edge('a.out', 'add.in')
      .edge('he.init', 'a.weightInit');
    expect(reason(conn(g, 'b.out', 'a.in'))).toBe(
      "'Input' of Dense 'a' already has a connection; delete it first or use an Add/Concat node to merge.",
    );
    expect(reason(conn(g, 'he2.init', 'a.weightInit'))).toMatch(
      /'Weight init' of Dense 'a' already has a connection/,
    );
    expect(conn(g, 'b.out', 'add.in')).toEqual({ ok: true });
    expect(conn(g, 'b.out', 'cat.in')).toEqual({ ok: true });
    // one output may feed many inputs; one initializer may initialise several layers
    expect(conn(g, 'data.features', 'c.in')).toEqual({ ok: true });
    expect(conn(g, 'he.init', 'b.weightInit')).toEqual({ ok: true });
    // the same edge twice is refused even on a multi-input port
    expect(reason(conn(g, 'a.out', 'add.in'))).toBe('These two ports are already connected.');
  });
});

describe('checkConnection: cycles', () => {
  it('refuses an edge that closes a loop, naming both nodes', () => {
    const g = new G().node('a', 'Dense').node('b', 'Activation.relu').node('c', 'Dense').node('add', 'Add');
    g.chain('a', 'b', 'c').edge('c.out', 'add.in');
    expect(reason(conn(g, 'c.out', 'a.in'))).toBe(
      "Connecting Dense 'c' to Dense 'a' would create a cycle: Dense 'a' already feeds Dense 'c'.",
    );
    expect(reason(conn(g, 'add.out', 'a.in'))).toMatch(/would create a cycle/);
    // a parallel branch is no cycle
    const g2 = new G()
      .node('a', 'Dense')
      .node('b', 'Dense')
      .node('add', 'Add')
      .chain('a', 'b')
      .edge('b.out', 'add.in');
    expect(conn(g2, 'a.out', 'add.in')).toEqual({ ok: true });
  });

  it('reports a cycle already present in a loaded graph, and keeps going', () => {
    const g = new G().node('a', 'Dense').node('b', 'Dense').chain('a', 'b').edge('b.out', 'a.in');
    const idx = indexGraph(g);
    expect([...idx.cyclic].sort()).toEqual(['a', 'b']);
    const cyc = validateGraph(g).problems.filter((p) => p.code === 'cycle');
    expect(cyc).toHaveLength(1);
    expect(cyc[0].message).toMatch(/cycle through 'a', 'b'.*delete a connection that loops back/);
  });
});

describe('indexGraph: broken edges in loaded files', () => {
  it('reports edges with missing nodes, unknown ports, mismatched types and doubled inputs', () => {
    const g = new G().node('data', 'Dataset').node('d', 'Dense').node('x', 'Dense');
    g.edge('data.features', 'd.in', 'ok');
    g.edge('data.features', 'd.in', 'dup');
    g.edge('ghost.out', 'd.in', 'missing');
    g.edge('d.nope', 'x.in', 'badport');
    g.edge('data.targets', 'x.in', 'mistyped');
    const { problems } = indexGraph(g);
    const byEdge = Object.fromEntries(problems.map((p) => [p.edgeId, p.code]));
    expect(byEdge).toEqual({
      dup: 'duplicate-input',
      missing: 'edge-missing-node',
      badport: 'unknown-port',
      mistyped: 'port-type-mismatch',
    });
    const unknown = indexGraph(new G().node('d', 'Dense').node('n', 'Dense')).problems;
    expect(unknown).toEqual([]);
    const withUnknown = indexGraph({
      nodes: [{ id: 'q', type: 'Conv9D', version: 1, position: { x: 0, y: 0 }, params: {} }],
      edges: [],
    });
    expect(withUnknown.problems[0]).toMatchObject({ code: 'unknown-node-type', nodeId: 'q' });
    expect(withUnknown.problems[0].message).toMatch(/unknown type 'Conv9D'/);
  });
});
