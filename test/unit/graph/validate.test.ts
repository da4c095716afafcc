import { describe, expect, it } from 'vitest';
import { hasErrors, validateGraph } from '../../../engine/graph';
import type { DatasetInfo, GraphContext, Problem } from '../../../engine/graph';
import { G, classifier } from './build';

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
const diabetes: DatasetInfo = { featureWidth: 10, task: 'regression', targetWidth: 1, trainRows: 309 };

const problems = (g: G, ctx: GraphContext = { dataset: iris }) => validateGraph(g, ctx).problems;
const codes = (ps: readonly Problem[]) => ps.map((p) => p.code);
const only = (ps: readonly Problem[], code: string) => {
  const found = ps.filter((p) => p.code === code);
  expect(found, `${code} in ${JSON.stringify(codes(ps))}`).toHaveLength(1);
  return found[0];
};

/** Regression net: Dataset → Dense(8) → ReLU → Dense(units) → MSE ← SGD. */
function regressor(units: number | 'auto' = 'auto', opt = 'Optimizer.sgd') {
  return new G()
    .node('data', 'Dataset')
    .node('h', 'Dense', { units: 8 })
    .node('r', 'Activation.relu')
    .node('out', 'Dense', { units })
    .node('loss', 'Loss.mse')
    .node('opt', opt)
    .chain('data', 'h', 'r', 'out')
    .edge('out.out', 'loss.prediction')
    .edge('data.targets', 'loss.target')
    .edge('opt.optimizer', 'loss.optimizer');
}

describe('validateGraph: well-formed graphs', () => {
  it('finds nothing wrong with the lecture’s recipes', () => {
    expect(problems(classifier())).toEqual([]); // softmax + CE, multiclass
    expect(problems(classifier({ softmax: false, fromLogits: true }))).toEqual([]); // logits + CE
    const bce = classifier({ softmax: false, loss: 'Loss.bce' }).node('sig', 'Activation.sigmoid');
    bce.edges = bce.edges.filter((e) => e.target !== 'loss' || e.targetPort !== 'prediction');
    bce.chain('out', 'sig').edge('sig.out', 'loss.prediction');
    expect(problems(bce, { dataset: binary })).toEqual([]);
    expect(problems(regressor(), { dataset: diabetes })).toEqual([]);
    expect(validateGraph(regressor(), { dataset: diabetes }).ok).toBe(true);
  });
});

describe('validateGraph: every problem', () => {
  it('no-loss', () => {
    const g = new G().node('data', 'Dataset').node('d', 'Dense', { units: 3 }).chain('data', 'd');
    const p = only(problems(g), 'no-loss');
    expect(p.severity).toBe('error');
    expect(p.message).toMatch(/no loss.*Add a loss from the Losses group/);
  });

  it('multiple-losses', () => {
    const g = classifier().node('loss2', 'Loss.mse');
    const p = only(problems(g), 'multiple-losses');
    expect(p).toMatchObject({ severity: 'error', nodeId: 'loss2' });
  });

  it('output-width-mismatch names the last Dense and the number to use', () => {
    const p = only(problems(classifier({ out: 2 })), 'output-width-mismatch');
    expect(p).toMatchObject({ severity: 'error', nodeId: 'out', port: 'out' });
    expect(p.message).toBe(
      "The network ends with 2 outputs, but Cross-entropy 'loss' needs 3 (3 classes). Set the units of Dense 'out' to 3 or 'auto'.",
    );
    const reg = only(problems(regressor(4), { dataset: diabetes }), 'output-width-mismatch');
    expect(reg.message).toMatch(/ends with 4 outputs, but MSE 'loss' needs 1 \(1 regression target\)/);
    const bce = only(
      problems(classifier({ out: 2, softmax: false, loss: 'Loss.bce', fromLogits: true }), {
        dataset: binary,
      }),
      'output-width-mismatch',
    );
    expect(bce.message).toMatch(/needs 1 \(one output for two classes\)/);
  });

  it('bce-multiclass', () => {
    const g = classifier({ out: 3, softmax: false, loss: 'Loss.bce', fromLogits: true });
    const ps = problems(g, { dataset: iris });
    const p = only(ps, 'bce-multiclass');
    expect(p).toMatchObject({ severity: 'error', nodeId: 'loss' });
    expect(p.message).toMatch(/target has 3 classes\. Use the Cross-entropy loss/);
    expect(codes(ps)).not.toContain('output-width-mismatch'); // one mistake, one message
  });

  it('classification-loss-on-regression and regression-loss-on-classes', () => {
    const ce = only(
      problems(classifier({ out: 1, softmax: false, fromLogits: true }), { dataset: diabetes }),
      'classification-loss-on-regression',
    );
    expect(ce.severity).toBe('error');
    const mse = only(problems(regressor(3), { dataset: iris }), 'regression-loss-on-classes');
    expect(mse.severity).toBe('warning');
  });

  it('double-softmax (softmax then cross-entropy from logits) is a warning naming both', () => {
    const ps = problems(classifier({ softmax: true, fromLogits: true }));
    const p = only(ps, 'double-softmax');
    expect(p).toMatchObject({ severity: 'warning', nodeId: 'loss' });
    expect(p.message).toBe(
      "Softmax 'sm' feeds Cross-entropy (from logits) 'loss', which applies softmax itself, so softmax is applied twice and learning slows down. Delete the Softmax node, or use the Cross-entropy loss.",
    );
    expect(hasErrors(ps)).toBe(false);
    expect(validateGraph(classifier({ softmax: true, fromLogits: true }), { dataset: iris }).ok).toBe(true);
  });

  it('double-softmax is found through a Dropout between softmax and loss', () => {
    const g = classifier({ softmax: true, fromLogits: true }).node('drop', 'Dropout');
    g.edges = g.edges.filter((e) => !(e.source === 'sm' && e.target === 'loss'));
    g.chain('sm', 'drop').edge('drop.out', 'loss.prediction');
    only(problems(g), 'double-softmax');
  });

  it('double-sigmoid and probabilities-expected', () => {
    const g = classifier({ softmax: false, loss: 'Loss.bce', fromLogits: true, out: 1 }).node(
      'sig',
      'Activation.sigmoid',
    );
    g.edges = g.edges.filter((e) => e.target !== 'loss' || e.targetPort !== 'prediction');
    g.chain('out', 'sig').edge('sig.out', 'loss.prediction');
    expect(only(problems(g, { dataset: binary }), 'double-sigmoid').severity).toBe('warning');
    const p = only(problems(classifier({ softmax: false, fromLogits: false })), 'probabilities-expected');
    expect(p.message).toMatch(/expects probabilities, but its input does not come from a Softmax/);
  });

  it('softmax-single-output', () => {
    const p = only(problems(classifier({ out: 1 }), { dataset: binary }), 'softmax-single-output');
    expect(p).toMatchObject({ severity: 'error', nodeId: 'sm' });
  });

  it('unconnected-input names the node and the port, and what to connect', () => {
    const g = classifier();
    g.edges = g.edges.filter((e) => e.targetPort !== 'target' && !(e.source === 'data' && e.target === 'h1'));
    const ps = problems(g).filter((p) => p.code === 'unconnected-input');
    expect(ps.map((p) => [p.nodeId, p.port])).toEqual([
      ['h1', 'in'],
      ['loss', 'target'],
    ]);
    expect(ps[1].message).toBe(
      "Input 'Target' of Cross-entropy 'loss' is not connected. Connect the Dataset's Targets output to it.",
    );
    expect(ps[0].message).toMatch(/^Input 'Input' of Dense 'h1' is not connected\./);
    // optional ports (initializers, schedule) are fine unwired
    expect(codes(problems(classifier()))).not.toContain('unconnected-input');
  });

  it('add-shape-mismatch', () => {
    const g = regressor(1, 'Optimizer.sgd')
      .node('skip', 'Dense', { units: 5 })
      .node('add', 'Add')
      .node('o2', 'Dense', { units: 1 });
    g.edges = g.edges.filter((e) => e.target !== 'loss' || e.targetPort !== 'prediction');
    g.chain('data', 'skip')
      .edge('r.out', 'add.in')
      .edge('skip.out', 'add.in')
      .chain('add', 'o2')
      .edge('o2.out', 'loss.prediction');
    g.edges = g.edges.filter((e) => e.source !== 'r' || e.target !== 'out');
    g.nodes = g.nodes.filter((n) => n.id !== 'out');
    const p = only(problems(g, { dataset: diabetes }), 'add-shape-mismatch');
    expect(p.message).toMatch(/input 0 has 8 and input 1 has 5/);
  });

  it('no-optimizer', () => {
    const g = classifier();
    g.edges = g.edges.filter((e) => e.targetPort !== 'optimizer');
    g.nodes = g.nodes.filter((n) => n.id !== 'opt');
    const p = only(problems(g), 'no-optimizer');
    expect(p).toMatchObject({ severity: 'error', nodeId: 'loss', port: 'optimizer' });
    expect(p.message).toMatch(/has no optimizer\. Add one from the Optimizers group/);
  });

  it('second-order-minibatch, and full batch is fine', () => {
    const g = regressor('auto', 'Optimizer.lbfgs');
    const p = only(problems(g, { dataset: diabetes, batchSize: 32 }), 'second-order-minibatch');
    expect(p).toMatchObject({ severity: 'error', nodeId: 'opt' });
    expect(p.message).toMatch(/batch size is 32\. Set the batch size to 'full'/);
    expect(codes(problems(g, { dataset: diabetes, batchSize: 'full' }))).toEqual([]);
    expect(codes(problems(g, { dataset: diabetes, batchSize: 309 }))).toEqual([]);
    expect(
      codes(problems(regressor('auto', 'Optimizer.adam'), { dataset: diabetes, batchSize: 32 })),
    ).toEqual([]);
  });

  it('optimizer-too-large: Newton on more than 2000 parameters, with engine/optim’s advice', () => {
    const big = regressor(1, 'Optimizer.newton');
    big.nodes = big.nodes.map((n) => (n.id === 'h' ? { ...n, params: { ...n.params, units: 200 } } : n));
    // (10·200 + 200) + (200·1 + 1) = 2401 parameters > 2000
    const p = only(problems(big, { dataset: diabetes, batchSize: 'full' }), 'optimizer-too-large');
    expect(p).toMatchObject({ severity: 'error', nodeId: 'opt' });
    expect(p.message).toMatch(/2401 parameters.*L-BFGS/);
    expect(
      codes(problems(regressor(1, 'Optimizer.newton'), { dataset: diabetes, batchSize: 'full' })),
    ).toEqual([]);
    const lb = regressor(1, 'Optimizer.lbfgs');
    lb.nodes = big.nodes.map((n) => (n.id === 'opt' ? { ...n, type: 'Optimizer.lbfgs' } : n));
    expect(codes(problems(lb, { dataset: diabetes, batchSize: 'full' }))).toEqual([]);
  });

  it('no-data-source, no-data and multiple-datasets', () => {
    expect(only(problems(new G().node('d', 'Dense')), 'no-data-source').severity).toBe('error');
    expect(only(problems(classifier(), {}), 'no-data').nodeId).toBe('data');
    expect(only(problems(classifier().node('data2', 'Dataset')), 'multiple-datasets').nodeId).toBe('data2');
  });

  it('auto-width problems surface through validation', () => {
    expect(only(problems(classifier(), {}), 'auto-width-unresolved').severity).toBe('warning');
    const g = regressor(1);
    g.nodes = g.nodes.map((n) => (n.id === 'h' ? { ...n, params: { ...n.params, units: 'auto' } } : n));
    expect(only(problems(g, { dataset: diabetes }), 'auto-width-misplaced').severity).toBe('error');
  });

  it('param-invalid names node, param and value', () => {
    const g = classifier();
    g.nodes = g.nodes.map((n) => (n.id === 'h1' ? { ...n, params: { ...n.params, units: 0 } } : n));
    g.node('drop', 'Dropout', { rate: 1 });
    const ps = problems(g).filter((p) => p.code === 'param-invalid');
    expect(ps.map((p) => [p.nodeId, p.param])).toEqual([
      ['h1', 'units'],
      ['drop', 'rate'],
    ]);
    expect(ps[0].message).toBe(
      "Dense 'h1': 'Units' is 0, but it must be ≥ 1 and ≤ 65536. Change it in the inspector.",
    );
    expect(ps[1].message).toBe(
      "Dropout 'drop': 'Rate p' is 1, but it must be ≥ 0 and < 1. Change it in the inspector.",
    );
  });

  it('unused-node for parts that do not reach the loss', () => {
    const g = classifier()
      .node('stray', 'Dense', { units: 2 })
      .node('he', 'Initializer.he_normal')
      .chain('data', 'stray');
    const ps = problems(g).filter((p) => p.code === 'unused-node');
    expect(ps.map((p) => p.nodeId)).toEqual(['stray', 'he']);
    expect(ps[0].severity).toBe('warning');
  });

  it('single-input-merge and zero-gradient warnings', () => {
    const g = regressor(1).node('add', 'Add').node('step', 'Activation.binary_step');
    g.edges = g.edges.filter((e) => !(e.source === 'h' && e.target === 'r'));
    g.chain('h', 'add', 'step', 'r');
    const ps = problems(g, { dataset: diabetes });
    expect(only(ps, 'single-input-merge').nodeId).toBe('add');
    expect(only(ps, 'zero-gradient').message).toMatch(/derivative is 0 everywhere/);
    expect(hasErrors(ps)).toBe(false);
  });

  it('dropout-on-output, bounded-regression-output and batchnorm-batch-one', () => {
    const g = regressor(1).node('drop', 'Dropout');
    g.edges = g.edges.filter((e) => e.targetPort !== 'prediction');
    g.chain('out', 'drop').edge('drop.out', 'loss.prediction');
    expect(only(problems(g, { dataset: diabetes }), 'dropout-on-output')).toMatchObject({
      severity: 'warning',
      nodeId: 'drop',
    });

    const s = regressor(1).node('sig', 'Activation.sigmoid');
    s.edges = s.edges.filter((e) => e.targetPort !== 'prediction');
    s.chain('out', 'sig').edge('sig.out', 'loss.prediction');
    const b = only(problems(s, { dataset: diabetes }), 'bounded-regression-output');
    expect(b).toMatchObject({ severity: 'warning', nodeId: 'sig' });
    expect(b.message).toMatch(/limits the range of the regression output/);
    // the hidden ReLU of the same net is fine: only the output activation matters
    expect(codes(problems(regressor(1), { dataset: diabetes }))).toEqual([]);

    const bn = regressor(1).node('bn', 'BatchNorm');
    bn.edges = bn.edges.filter((e) => !(e.source === 'h' && e.target === 'r'));
    bn.chain('h', 'bn', 'r');
    expect(codes(problems(bn, { dataset: diabetes, batchSize: 2 }))).toEqual([]);
    expect(only(problems(bn, { dataset: diabetes, batchSize: 1 }), 'batchnorm-batch-one').nodeId).toBe('bn');
  });

  it('names a node by its user label when it has one', () => {
    const g = classifier({ out: 2 });
    g.nodes = g.nodes.map((n) => (n.id === 'out' ? { ...n, label: 'Output layer' } : n));
    expect(only(problems(g), 'output-width-mismatch').message).toMatch(
      /Set the units of Dense 'Output layer' to 3/,
    );
  });

  it('duplicate-node-id', () => {
    const g = classifier().node('h1', 'Dense');
    expect(only(problems(g), 'duplicate-node-id').nodeId).toBe('h1');
  });

  it('lists errors before warnings and every problem has a node or a fix', () => {
    const g = classifier({ softmax: true, fromLogits: true, out: 2 }).node('stray', 'Dense');
    const ps = problems(g);
    const sev = ps.map((p) => p.severity);
    expect(sev).toEqual([...sev].sort()); // 'error' < 'warning'
    expect(sev).toContain('error');
    expect(sev).toContain('warning');
  });
});

describe('validateGraph: prediction-only graphs', () => {
  it('needs no loss or optimizer in predict mode, but still checks shapes and inputs', () => {
    const g = new G()
      .node('in', 'Input', { width: 4 })
      .node('d', 'Dense', { units: 3 })
      .node('sm', 'Activation.softmax');
    g.chain('in', 'd', 'sm');
    expect(problems(g, { mode: 'predict' })).toEqual([]);
    expect(codes(problems(g, {}))).toEqual(['no-loss']);
    g.node('add', 'Add')
      .node('e', 'Dense', { units: 2 })
      .chain('in', 'e')
      .edge('e.out', 'add.in')
      .edge('d.out', 'add.in');
    expect(codes(problems(g, { mode: 'predict' }))).toEqual(['add-shape-mismatch']);
  });
});

describe('validateGraph: size', () => {
  it('handles a 300-node graph with skip connections without problems', () => {
    const g = new G().node('data', 'Dataset');
    let prev = 'data';
    for (let i = 0; i < 98; i++) {
      g.node(`d${i}`, 'Dense', { units: 4 }).node(`a${i}`, 'Activation.tanh').node(`s${i}`, 'Add');
      g.chain(prev, `d${i}`, `a${i}`, `s${i}`);
      g.edge(`${prev}.${prev === 'data' ? 'features' : 'out'}`, `s${i}.in`);
      prev = `s${i}`;
    }
    g.node('out', 'Dense', { units: 'auto' })
      .node('loss', 'Loss.mse')
      .node('opt', 'Optimizer.adam')
      .chain(prev, 'out');
    g.edge('out.out', 'loss.prediction')
      .edge('data.targets', 'loss.target')
      .edge('opt.optimizer', 'loss.optimizer');
    expect(g.nodes.length).toBe(298);
    const r = validateGraph(g, { dataset: { ...diabetes, featureWidth: 4 } });
    expect(r.problems).toEqual([]);
    expect(r.shapes.autoUnits.get('out')).toBe(1);
  });
});
