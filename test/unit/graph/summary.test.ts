import { describe, expect, it } from 'vitest';
import { indexGraph, initSpecOf, modelSummary, resolveInitializer } from '../../../engine/graph';
import type { DatasetInfo } from '../../../engine/graph';
import { G, classifier } from './build';

const iris: DatasetInfo = {
  featureWidth: 4,
  task: 'multiclass',
  targetWidth: 1,
  numClasses: 3,
  trainRows: 105,
};

describe('modelSummary', () => {
  it('counts a 4-8-3 classifier by hand: (4·8 + 8) + (8·3 + 3) = 67', () => {
    const s = modelSummary(classifier({ hidden: 8, out: 'auto' }), { dataset: iris });
    expect(s.rows.map((r) => [r.nodeId, r.outputShape[1], r.params])).toEqual([
      ['data', 4, 0],
      ['h1', 8, 4 * 8 + 8],
      ['act', 8, 0],
      ['out', 3, 8 * 3 + 3],
      ['sm', 3, 0],
    ]);
    expect(s.total).toBe(67);
    expect(s.trainable).toBe(67);
    expect(s.nonTrainable).toBe(0);
    expect(s.complete).toBe(true);
  });

  it('counts RBF, Maxout, BatchNorm, PReLU and a bias-free Dense, with non-trainable parts', () => {
    const g = new G()
      .node('in', 'Input', { width: 6 })
      .node('rbf', 'RBF', { centres: 10, trainCentres: false })
      .node('mx', 'Maxout', { units: 4, pieces: 3 })
      .node('bn', 'BatchNorm')
      .node('pr', 'Activation.prelu')
      .node('d', 'Dense', { units: 2, bias: false })
      .chain('in', 'rbf', 'mx', 'bn', 'pr', 'd');
    const s = modelSummary(g);
    const row = Object.fromEntries(s.rows.map((r) => [r.nodeId, [r.trainable, r.nonTrainable]]));
    expect(row.rbf).toEqual([10, 6 * 10]); // widths σ trainable, centres μ ∈ ℝ^{10×6} frozen
    expect(row.mx).toEqual([11 * 12 + 12, 0]); // input 10 + constant 1 = 11; Dense of 4·3 = 12 outputs
    expect(row.bn).toEqual([2 * 4, 2 * 4]); // γ, β trainable; running mean and variance not
    expect(row.pr).toEqual([4, 0]); // one α per feature
    expect(row.d).toEqual([4 * 2, 0]);
    expect(s.trainable).toBe(10 + 144 + 8 + 4 + 8);
    expect(s.nonTrainable).toBe(60 + 8);
    expect(s.total).toBe(s.trainable + s.nonTrainable);
  });

  it('orders rows topologically even when nodes are listed out of order, and flags unknown widths', () => {
    const g = new G()
      .node('b', 'Dense', { units: 3 })
      .node('a', 'Dense', { units: 5 })
      .node('data', 'Dataset');
    g.chain('data', 'a', 'b');
    const s = modelSummary(g); // no dataset: input width unknown
    expect(s.rows.map((r) => r.nodeId)).toEqual(['data', 'a', 'b']);
    expect(s.complete).toBe(false);
    expect(s.rows[2].params).toBe(5 * 3 + 3);
    expect(s.total).toBe(18); // 'a' cannot be counted yet
  });

  it('counts a skip connection: Dense(4→4) + Add has 20 parameters', () => {
    const g = new G().node('data', 'Dataset').node('d', 'Dense', { units: 4 }).node('add', 'Add');
    g.chain('data', 'd', 'add').edge('data.features', 'add.in');
    const s = modelSummary(g, { dataset: iris });
    expect(s.rows.find((r) => r.nodeId === 'add')?.outputShape).toEqual([null, 4]);
    expect(s.total).toBe(4 * 4 + 4);
  });
});

describe('resolveInitializer', () => {
  const net = (act: string | null, wired = false) => {
    const g = new G().node('data', 'Dataset').node('d', 'Dense', { units: 3 }).chain('data', 'd');
    if (act) g.node('a', act).chain('d', 'a');
    if (wired) g.node('u', 'Initializer.uniform', { a: -10, b: 10 }).edge('u.init', 'd.weightInit');
    return indexGraph(g);
  };
  it('defaults by the following activation: He for ReLU family, LeCun for SELU, Glorot otherwise', () => {
    expect(resolveInitializer(net('Activation.relu'), 'd', 'weightInit')).toMatchObject({
      type: 'Initializer.he_normal',
      nodeId: null,
      reason: 'default for ReLU',
    });
    expect(resolveInitializer(net('Activation.leaky_relu'), 'd', 'weightInit').type).toBe(
      'Initializer.he_normal',
    );
    expect(resolveInitializer(net('Activation.elu'), 'd', 'weightInit').type).toBe('Initializer.he_normal');
    expect(resolveInitializer(net('Activation.selu'), 'd', 'weightInit').type).toBe(
      'Initializer.lecun_normal',
    );
    expect(resolveInitializer(net('Activation.sigmoid'), 'd', 'weightInit').type).toBe(
      'Initializer.glorot_uniform',
    );
    expect(resolveInitializer(net('Activation.tanh'), 'd', 'weightInit').type).toBe(
      'Initializer.glorot_uniform',
    );
    expect(resolveInitializer(net(null), 'd', 'weightInit')).toMatchObject({
      type: 'Initializer.glorot_uniform',
      reason: 'default for no activation',
    });
    expect(resolveInitializer(net('Activation.relu'), 'd', 'biasInit')).toMatchObject({
      type: 'Initializer.zeros',
      nodeId: null,
    });
  });
  it('looks through Dropout, and a wired initializer wins with its params', () => {
    const g = new G()
      .node('data', 'Dataset')
      .node('d', 'Dense')
      .node('drop', 'Dropout')
      .node('r', 'Activation.relu');
    g.chain('data', 'd', 'drop', 'r');
    expect(resolveInitializer(indexGraph(g), 'd', 'weightInit').type).toBe('Initializer.he_normal');
    const w = resolveInitializer(net('Activation.relu', true), 'd', 'weightInit');
    expect(w).toMatchObject({ type: 'Initializer.uniform', nodeId: 'u', params: { a: -10, b: 10 } });
    expect(() => resolveInitializer(net(null), 'd', 'in')).toThrow(/no initializer port 'in'/);
    expect(initSpecOf(w)).toEqual({ kind: 'uniform', a: -10, b: 10 });
    expect(initSpecOf(resolveInitializer(net('Activation.relu'), 'd', 'weightInit'))).toEqual({
      kind: 'he_normal',
      mode: 'fan_in',
      truncated: false,
    });
  });
});
