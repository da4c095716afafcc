// Network size limits: per-layer ranges that the inspector reads from the ParamSpecs, and the
// whole-network memory check. Parameter counts and byte totals are worked out here by hand
// (Dense: inputs·units + units) and compared with what validation reports.
import { describe, expect, it } from 'vitest';
import {
  PARAM_MEMORY_LIMIT_BYTES,
  estimateParamMemory,
  modelSummary,
  nodeTypes,
  optimizerStateCopies,
  paramError,
  validateGraph,
} from '../../../engine/graph';
import type { DatasetInfo, GraphContext, ParamSpec, Problem } from '../../../engine/graph';
import { LAYER_LIMITS, LayerConfigError, outputWidth } from '../../../engine/nn/layers/specs';
import { G, classifier } from './build';

const spec = (type: string, name: string): ParamSpec => {
  const s = nodeTypes()
    .get(type)
    ?.params.find((p) => p.name === name);
  if (!s) throw new Error(`${type}.${name} has no spec`);
  return s;
};
const withCode = (ps: readonly Problem[], code: string) => ps.filter((p) => p.code === code);

describe('layer size ranges (read by the inspector from the ParamSpecs)', () => {
  it('Dense and Maxout units: 65,536 is accepted, 65,537 and 1e9 are refused with a reason', () => {
    for (const type of ['Dense', 'Maxout']) {
      const s = spec(type, 'units');
      expect(s.max).toBe(2 ** 16);
      expect(paramError(s, 2 ** 16)).toBeNull();
      const why = paramError(s, 2 ** 16 + 1);
      expect(why).toContain('≤ 65536');
      expect(why).toContain('Use fewer units');
      expect(paramError(s, 1e9)).toBe(why);
    }
    expect(paramError(spec('Dense', 'units'), 'auto')).toBeNull();
  });

  it('RBF centres and Maxout pieces have an upper bound with a reason', () => {
    expect(paramError(spec('RBF', 'centres'), LAYER_LIMITS.maxCentres)).toBeNull();
    expect(paramError(spec('RBF', 'centres'), LAYER_LIMITS.maxCentres + 1)).toContain('fewer centres');
    expect(paramError(spec('Maxout', 'pieces'), 5)).toBeNull();
    expect(paramError(spec('Maxout', 'pieces'), LAYER_LIMITS.maxPieces + 1)).toContain('2 to 5 pieces');
    // The reason is only given for values above the range, not below it.
    expect(paramError(spec('Maxout', 'pieces'), 1)).not.toContain('Goodfellow');
  });

  it('the layer builder enforces the same limits, naming node and parameter', () => {
    expect(outputWidth({ type: 'dense', units: 65_536 }, [4], 'h1')).toBe(65_536);
    let err: unknown;
    try {
      outputWidth({ type: 'dense', units: 1e9 }, [4], 'h1');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LayerConfigError);
    expect(err).toMatchObject({ node: 'h1', param: 'units' });
    expect(() => outputWidth({ type: 'maxout', units: 4, pieces: 17 }, [4], 'm')).toThrow(/pieces/);
    expect(() => outputWidth({ type: 'rbf', centres: 10_001 }, [4], 'r')).toThrow(/centres/);
  });

  it('validation reports units = 1e9 as a param problem on the node (the review case)', () => {
    const g = classifier({ hidden: 1e9 });
    const ps = validateGraph(g, { dataset: iris(4) }).problems;
    const p = withCode(ps, 'param-invalid');
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ severity: 'error', nodeId: 'h1', param: 'units' });
    expect(p[0].message).toContain("Dense 'h1': 'Units' is 1000000000, but it must be ≥ 1 and ≤ 65536");
  });
});

function iris(featureWidth: number): DatasetInfo {
  return { featureWidth, task: 'multiclass', targetWidth: 1, numClasses: 3, trainRows: 105 };
}

/** Dataset(F) → Dense(H) → ReLU → Dense(3) → Softmax → cross-entropy ← optimizer. */
function net(F: number, H: number, optimizer = 'Optimizer.adam') {
  const g = classifier({ hidden: H });
  g.nodes = g.nodes.map((n) => (n.id === 'opt' ? { ...n, type: optimizer } : n));
  // Parameter count by hand: W1 F·H + b1 H, W2 H·3 + b2 3.
  return { g, params: F * H + H + H * 3 + 3, hidden: F * H + H, ctx: { dataset: iris(F) } as GraphContext };
}

describe('whole-network memory', () => {
  const LIMIT = 2 ** 31; // 2 GiB

  it('the limit is 2 GiB', () => {
    expect(PARAM_MEMORY_LIMIT_BYTES).toBe(LIMIT);
  });

  it('Adam: 4 bytes per value + 4 per gradient + 2 float64 copies + 9 staging bytes = 33 per parameter', () => {
    // 8000 inputs: H = 8,100 fits (33·P just under 2 GiB), H = 8,200 does not.
    const fits = net(8000, 8_100);
    expect(33 * fits.params).toBeLessThan(LIMIT);
    expect(withCode(validateGraph(fits.g, fits.ctx).problems, 'network-too-large')).toEqual([]);

    const big = net(8000, 8_200);
    expect(33 * big.params).toBeGreaterThan(LIMIT);
    const ps = withCode(validateGraph(big.g, big.ctx).problems, 'network-too-large');
    expect(ps).toHaveLength(1);
    expect(ps[0]).toMatchObject({ severity: 'error', nodeId: 'h1' });
    const digits = (n: number) => n.toLocaleString('en-US');
    expect(ps[0].message).toContain(`The network has ${digits(big.params)} parameters`);
    expect(ps[0].message).toContain(`Dense 'h1' with ${digits(big.hidden)} parameters`);
    expect(ps[0].message).toContain('2 more values per parameter');
    expect(ps[0].message).toContain('use fewer units');
    // 33 · 65,632,803 bytes = 2.017 GiB, just over the 2 GiB limit.
    expect(ps[0].message).toContain(`about ${((33 * big.params) / 2 ** 30).toPrecision(4)} GiB`);
    expect(ps[0].message).toContain('more than the 2 GiB Netloom allows');
  });

  it('SGD keeps no state, so a network too large for Adam fits (4 + 4 + 9 staging = 17 bytes per parameter)', () => {
    const big = net(8000, 11_200, 'Optimizer.sgd');
    expect(24 * big.params).toBeGreaterThan(LIMIT);
    expect(17 * big.params).toBeLessThan(LIMIT);
    expect(withCode(validateGraph(big.g, big.ctx).problems, 'network-too-large')).toEqual([]);
  });

  it('prediction counts only the float32 values', () => {
    const big = net(8000, 11_200);
    expect(withCode(validateGraph(big.g, big.ctx).problems, 'network-too-large')).toHaveLength(1);
    const ps = validateGraph(big.g, { ...big.ctx, mode: 'predict' }).problems;
    expect(withCode(ps, 'network-too-large')).toEqual([]);
  });

  it('two 65,536-unit layers (each allowed) are refused together, naming the larger one', () => {
    const g = new G()
      .node('data', 'Dataset')
      .node('a', 'Dense', { units: 65_536 })
      .node('b', 'Dense', { units: 65_536 })
      .node('out', 'Dense', { units: 'auto' })
      .node('loss', 'Loss.cross_entropy_logits')
      .node('opt', 'Optimizer.sgd')
      .chain('data', 'a', 'b', 'out')
      .edge('out.out', 'loss.prediction')
      .edge('data.targets', 'loss.target')
      .edge('opt.optimizer', 'loss.optimizer');
    const ps = validateGraph(g, { dataset: iris(4) }).problems;
    expect(withCode(ps, 'param-invalid')).toEqual([]);
    const p = withCode(ps, 'network-too-large');
    expect(p).toHaveLength(1);
    expect(p[0].nodeId).toBe('b'); // 65,536² + 65,536 weights and biases
    expect(p[0].message).toContain((65_536 * 65_536 + 65_536).toLocaleString('en-US'));
  });

  it('estimateParamMemory and optimizerStateCopies by hand', () => {
    const { g, ctx, params } = net(10, 20);
    const s = modelSummary(g, ctx);
    expect(s.total).toBe(params);
    expect(estimateParamMemory(s, null).bytes).toBe(4 * params);
    expect(estimateParamMemory(s, 0).bytes).toBe(8 * params);
    expect(estimateParamMemory(s, 2).bytes).toBe(24 * params);
    expect(estimateParamMemory(s, 0, true).bytes).toBe(17 * params);
    expect(estimateParamMemory(s, 2, true).bytes).toBe(33 * params);
    expect(estimateParamMemory(s, 2).largest).toEqual({ nodeId: 'h1', params: 10 * 20 + 20 });
    expect(optimizerStateCopies('adam')).toBe(2);
    expect(optimizerStateCopies('sgd')).toBe(0);
    expect(optimizerStateCopies('lbfgs', { history: 5 })).toBe(5 + 2 * 5);
  });
});
