import { describe, expect, it } from 'vitest';
import { gradientFlow, initialModel, spread } from '../../../engine/experiments';
import type { Project } from '../../../engine/project';
import { chain } from '../session/build';
import { exampleCsv, lineCsv, lineProject, loadExample } from './helpers';

describe('gradient flow at initialisation', () => {
  it('equals the hand-derived MSE gradient of a line on the full batch', () => {
    const d = lineCsv(30, -2, 2);
    const project = lineProject({ batchSize: 30 });
    const r = gradientFlow({ project, data: d.bytes, seeds: [11, 12], batch: 'full' });
    expect(r.layers.map((l) => l.nodeId)).toEqual(['linear']);
    expect(r.batchRows).toBe(30);
    [11, 12].forEach((seed, s) => {
      // The same weights a session starts from; then ∂L/∂w = (2/n)Σ(wx+b−y)x, ∂L/∂b = (2/n)Σ(wx+b−y).
      const { model } = initialModel(project, d.bytes, { seed });
      const w = model.store.params[model.store.spec('linear.weight').offset];
      const b = model.store.params[model.store.spec('linear.bias').offset];
      let gw = 0;
      let gb = 0;
      for (let i = 0; i < 30; i++) {
        const e = w * d.x[i] + b - d.y[i];
        gw += (2 / 30) * e * d.x[i];
        gb += (2 / 30) * e;
      }
      expect(r.layers[0].l2[s]).toBeCloseTo(Math.hypot(gw, gb), 4);
      expect(r.layers[0].meanAbs[s]).toBeCloseTo((Math.abs(gw) + Math.abs(gb)) / 2, 4);
    });
  });

  it('a 10-layer sigmoid chain: the first layer gets a far smaller gradient than the last', () => {
    const iris = loadExample('iris');
    const layers = [];
    for (let i = 1; i <= 10; i++)
      layers.push(
        { id: `d${i}`, type: 'Dense', params: { units: 16 } },
        { id: `s${i}`, type: 'Activation.sigmoid' },
      );
    layers.push({ id: 'out', type: 'Dense', params: { units: 'auto' } });
    const graph = chain(
      layers,
      { id: 'loss', type: 'Loss.cross_entropy_logits' },
      { id: 'opt', type: 'Optimizer.sgd', params: { lr: 0.1 } },
    );
    // The Dataset node as in the example (its file); the graph shape is the chain's.
    const nodes = graph.nodes.map((n, i) =>
      i === 0 ? { ...n, params: { ...iris.graph.nodes[0].params } } : n,
    );
    const project: Project = { ...iris, graph: { ...graph, nodes } as unknown as Project['graph'] };
    const r = gradientFlow({ project, data: exampleCsv('iris'), seeds: [1, 2, 3] });
    expect(r.layers.map((l) => l.nodeId)).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `d${i + 1}`),
      'out',
    ]);
    const first = spread(r.layers[0].l2);
    const last = spread(r.layers[9].l2);
    expect(first.max).toBeLessThan(last.min / 100);
    // Shrinking layer by layer toward the input (median over seeds per layer).
    const med = r.layers.slice(0, 10).map((l) => [...l.l2].sort((a, b) => a - b)[1]);
    for (let k = 1; k < 10; k++) expect(med[k - 1]).toBeLessThan(med[k]);
  });

  it('spread gives mean, min and max', () => {
    expect(spread([1, 4, 7])).toEqual({ mean: 4, min: 1, max: 7 });
  });
});

describe('gradient flow against finite differences', () => {
  it('per-layer ‖g‖₂ of a tiny Dense–tanh–Dense network matches central differences of the loss', async () => {
    const { evaluateSplit } = await import('../../../engine/session/objective');
    const d = lineCsv(24, -1, 1);
    const base = lineProject({ batchSize: 24 });
    const graph = chain(
      [
        { id: 'h', type: 'Dense', params: { units: 3 } },
        { id: 't', type: 'Activation.tanh' },
        { id: 'o', type: 'Dense', params: { units: 'auto' } },
      ],
      { id: 'loss', type: 'Loss.mse' },
      { id: 'opt', type: 'Optimizer.sgd', params: { lr: 0.1 } },
    );
    const nodes = graph.nodes.map((n, i) =>
      i === 0 ? { ...n, params: { ...base.graph.nodes[0].params } } : n,
    );
    const project: Project = { ...base, graph: { ...graph, nodes } as unknown as Project['graph'] };
    const r = gradientFlow({ project, data: d.bytes, seeds: [5], batch: 'full' });
    expect(r.layers.map((l) => l.nodeId)).toEqual(['h', 'o']);
    const { model, data } = initialModel(project, d.bytes, { seed: 5 });
    const P = model.store.params;
    const loss = () => evaluateSplit(model, data, data.trainRows).loss;
    const h = 1e-3;
    for (const [k, id] of ['h', 'o'].entries()) {
      let sq = 0;
      let abs = 0;
      let n = 0;
      for (const e of model.store.entries.filter((x) => x.name.startsWith(`${id}.`) && x.trainable))
        for (let i = e.offset; i < e.offset + e.size; i++) {
          const keep = P[i];
          P[i] = keep + h;
          const up = loss();
          P[i] = keep - h;
          const down = loss();
          P[i] = keep;
          const g = (up - down) / (2 * h);
          sq += g * g;
          abs += Math.abs(g);
          n++;
        }
      expect(r.layers[k].size).toBe(n);
      expect(r.layers[k].l2[0]).toBeCloseTo(Math.sqrt(sq), 2);
      expect(Math.abs(r.layers[k].l2[0] - Math.sqrt(sq)) / Math.sqrt(sq)).toBeLessThan(2e-3);
      expect(Math.abs(r.layers[k].meanAbs[0] - abs / n) / (abs / n)).toBeLessThan(5e-3);
    }
  });
});
