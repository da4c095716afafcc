import { describe, expect, it } from 'vitest';
import { formatShape, inferShapes } from '../../../engine/graph';
import type { DatasetInfo } from '../../../engine/graph';
import { G, classifier } from './build';

// Iris: 4 numeric features, 3 classes (test/fixtures/data/README.md).
const iris: DatasetInfo = {
  featureWidth: 4,
  task: 'multiclass',
  targetWidth: 1,
  numClasses: 3,
  trainRows: 105,
};
const binary: DatasetInfo = {
  featureWidth: 30,
  task: 'binary',
  targetWidth: 1,
  numClasses: 2,
  trainRows: 400,
};
// Linnerud: 3 features, 3 regression targets.
const linnerud: DatasetInfo = { featureWidth: 3, task: 'regression', targetWidth: 3, trainRows: 14 };

const widthOf = (r: ReturnType<typeof inferShapes>, node: string, port = 'out') =>
  r.outputShapes.get(node)?.get(port)?.[1];

describe('inferShapes', () => {
  it('propagates widths along a chain and labels every tensor edge [batch, n]', () => {
    const g = classifier({ hidden: 8, out: 3 });
    const r = inferShapes(g, { dataset: iris });
    expect(r.problems).toEqual([]);
    const shapes = Object.fromEntries(
      g.edges.map((e) => [`${e.source}.${e.sourcePort}`, r.edgeShapes.get(e.id)]),
    );
    expect(shapes['data.features']).toEqual([null, 4]);
    expect(shapes['h1.out']).toEqual([null, 8]);
    expect(shapes['act.out']).toEqual([null, 8]);
    expect(shapes['out.out']).toEqual([null, 3]);
    expect(shapes['sm.out']).toEqual([null, 3]);
    expect(shapes['data.targets']).toEqual([null, 1]);
    expect(shapes['opt.optimizer']).toBeUndefined(); // only tensor and target edges have shapes
    expect(formatShape(shapes['h1.out']!)).toBe('[batch, 8]');
  });

  it("resolves 'auto' units from the dataset and the loss", () => {
    const ce = inferShapes(classifier({ out: 'auto' }), { dataset: iris });
    expect(ce.autoUnits.get('out')).toBe(3);
    expect(widthOf(ce, 'sm')).toBe(3);
    // binary + BCE → one output; binary + cross-entropy → two
    const bce = classifier({ out: 'auto', softmax: false, loss: 'Loss.bce' });
    expect(inferShapes(bce, { dataset: binary }).autoUnits.get('out')).toBe(1);
    expect(inferShapes(classifier({ out: 'auto' }), { dataset: binary }).autoUnits.get('out')).toBe(2);
    // regression: number of targets
    const reg = classifier({ out: 'auto', softmax: false, loss: 'Loss.mse' });
    expect(inferShapes(reg, { dataset: linnerud }).autoUnits.get('out')).toBe(3);
  });

  it("leaves 'auto' unknown without data and rejects it away from the loss", () => {
    const noData = inferShapes(classifier({ out: 'auto' }), {});
    expect(noData.autoUnits.get('out')).toBeNull();
    expect(widthOf(noData, 'sm')).toBeNull();
    expect(noData.problems.map((p) => p.code)).toEqual(['auto-width-unresolved']);

    const g = classifier({ hidden: 8, out: 3 });
    const h1 = g.nodes.findIndex((n) => n.id === 'h1');
    g.nodes[h1] = { ...g.nodes[h1], params: { ...g.nodes[h1].params, units: 'auto' } };
    const r = inferShapes(g, { dataset: iris });
    expect(r.problems).toEqual([
      expect.objectContaining({ code: 'auto-width-misplaced', nodeId: 'h1', param: 'units' }),
    ]);
    expect(widthOf(r, 'h1')).toBeNull();
    expect(widthOf(r, 'out')).toBe(3); // a later fixed-width layer gives a known width again
  });

  it('adds Concat widths and checks Add widths', () => {
    const g = new G()
      .node('data', 'Dataset')
      .node('a', 'Dense', { units: 5 })
      .node('b', 'Dense', { units: 7 })
      .node('cat', 'Concat')
      .node('c', 'Dense', { units: 5 })
      .node('add', 'Add')
      .chain('data', 'a')
      .chain('data', 'b')
      .edge('a.out', 'cat.in')
      .edge('b.out', 'cat.in')
      .edge('data.features', 'cat.in')
      .chain('cat', 'c')
      .edge('c.out', 'add.in')
      .edge('a.out', 'add.in');
    const r = inferShapes(g, { dataset: iris });
    expect(widthOf(r, 'cat')).toBe(5 + 7 + 4);
    expect(widthOf(r, 'add')).toBe(5);
    expect(r.problems).toEqual([]);

    g.edge('b.out', 'add.in');
    const bad = inferShapes(g, { dataset: iris });
    expect(widthOf(bad, 'add')).toBeNull();
    expect(bad.problems).toHaveLength(1);
    expect(bad.problems[0]).toMatchObject({ code: 'add-shape-mismatch', nodeId: 'add', severity: 'error' });
    // the sentence comes from engine/nn's Add shape rule, prefixed with the node's name
    expect(bad.problems[0].message).toMatch(/^Add 'add': .*input 0 has 5 and input 2 has 7/);
  });

  it('applies RBF, Maxout, Dropout, BatchNorm, activation and Input rules', () => {
    const g = new G()
      .node('in', 'Input', { width: 6 })
      .node('rbf', 'RBF', { centres: 10 })
      .node('rbf0', 'RBF', { centres: 10, includeConstant: false })
      .node('mx', 'Maxout', { units: 4, pieces: 3 })
      .node('drop', 'Dropout')
      .node('bn', 'BatchNorm')
      .node('elu', 'Activation.elu')
      .chain('in', 'rbf', 'mx', 'drop', 'bn', 'elu')
      .chain('in', 'rbf0');
    const r = inferShapes(g);
    expect(widthOf(r, 'in')).toBe(6);
    expect(widthOf(r, 'rbf')).toBe(11); // the lecture's φ(x) = [1, exp(…)…]
    expect(widthOf(r, 'rbf0')).toBe(10);
    expect(widthOf(r, 'mx')).toBe(4);
    expect(widthOf(r, 'drop')).toBe(4);
    expect(widthOf(r, 'bn')).toBe(4);
    expect(widthOf(r, 'elu')).toBe(4);
  });

  it('gives dataset ports unknown widths before data is loaded, and skips nodes on a cycle', () => {
    const r = inferShapes(
      new G().node('data', 'Dataset').node('d', 'Dense', { units: 2 }).chain('data', 'd'),
    );
    expect(r.outputShapes.get('data')?.get('features')).toEqual([null, null]);
    expect(widthOf(r, 'd')).toBe(2);
    const cyc = inferShapes(
      new G().node('a', 'Dense').node('b', 'Dense').chain('a', 'b').edge('b.out', 'a.in'),
    );
    expect(cyc.outputShapes.size).toBe(0);
  });
});
