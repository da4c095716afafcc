/**
 * AdamW's decoupled weight decay inside runSession shrinks trainable parameters only (as the PyTorch
 * export, which decays the torch parameters and never the buffers): BatchNorm running statistics are
 * frozen store entries and must come out of a decayed run exactly as out of the same run without decay.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../engine/compile';
import { graphProjectHooks } from '../../../engine/graph';
import { datasetInfoOf } from '../../../engine/graph/dataset-info';
import { adamw } from '../../../engine/optim';
import { loadProject, type Project } from '../../../engine/project';
import { prepareForTraining, projectImportSettings } from '../../../engine/session/dataset';
import { runSession } from '../../../engine/session/run';

const csv = new Uint8Array(readFileSync('examples/iris.csv'));
const LR = 0.05;

/** Iris with Dataset → BatchNorm → Dense(16) → ReLU → Dense → CE on logits, AdamW(λ). */
function project(weightDecay: number, batchSize: number): Project {
  const p = loadProject(readFileSync('examples/iris.netloom.json', 'utf8'), { hooks: graphProjectHooks });
  const e = p.graph.edges.find((x) => x.source === 'data' && x.target === 'hidden')!;
  p.graph.nodes.push({ id: 'bn', type: 'BatchNorm', version: 1, position: { x: 0, y: 0 }, params: {} });
  p.graph.edges = p.graph.edges.filter((x) => x !== e);
  p.graph.edges.push(
    { id: 'bn-in', source: 'data', sourcePort: e.sourcePort, target: 'bn', targetPort: 'in' },
    { id: 'bn-out', source: 'bn', sourcePort: 'out', target: 'hidden', targetPort: 'in' },
  );
  p.graph.nodes = p.graph.nodes.map((n) =>
    n.id === 'opt' ? { ...n, type: 'Optimizer.adamw', params: { lr: LR, weightDecay } } : n,
  );
  p.training = { ...p.training, batchSize };
  return p;
}

const slice = (r: Awaited<ReturnType<typeof runSession>>, name: string) => {
  const s = r.model!.store.spec(name);
  return Array.from(r.model!.store.params.subarray(s.offset, s.offset + s.size));
};

describe('AdamW weight decay in runSession', () => {
  it('leaves the BatchNorm running statistics as in the run without decay', async () => {
    const decayed = await runSession({ project: project(0.5, 16), data: csv, epochs: 3 });
    const plain = await runSession({ project: project(0, 16), data: csv, epochs: 3 });
    expect(decayed.status).toBe('completed');
    expect(plain.status).toBe('completed');
    // The BatchNorm sits right after the data, so its batch statistics do not depend on the weights.
    for (const n of ['bn.running_mean', 'bn.running_var']) {
      const d = slice(decayed, n);
      expect(d.some((v) => v !== 0)).toBe(true);
      expect(d).toEqual(slice(plain, n));
    }
    // The decay did act on the trainable weights.
    expect(slice(decayed, 'hidden.weight')).not.toEqual(slice(plain, 'hidden.weight'));
    // Without a mask AdamW would shrink the running statistics too (what the session must avoid).
    const st = adamw.init(4, { weightDecay: 0.5 });
    const p = new Float64Array([1, 1, 1, 1]);
    adamw.update(st, p, new Float64Array(4), { lr: LR });
    expect(p[0]).toBeCloseTo(1 - LR * 0.5, 12);
  });

  it('gives the trainable weights the hand-computed first AdamW step', async () => {
    const lambda = 0.3;
    const p = project(lambda, 1000); // one full batch per epoch: one step
    // θ₀: the same compilation the session performs (same seed and batch size; no RBF placement).
    const prepared = prepareForTraining(csv, projectImportSettings(p));
    const m0 = compileGraph(p.graph, {
      dataset: datasetInfoOf(prepared),
      seed: p.training.seed,
      batchSize: prepared.trainRows.length,
    });
    const r = await runSession({ project: p, data: csv, epochs: 1 });
    expect(r.status).toBe('completed');
    const store = r.model!.store;
    const delta = 1e-8;
    let checked = 0;
    for (const e of store.entries) {
      for (let i = e.offset; i < e.offset + e.size; i++) {
        const th0 = m0.store.params[i];
        const g = store.grads[i];
        if (!e.trainable) continue;
        // t = 1: m̂ = g, v̂ = g², so θ₁ = θ₀ − αλθ₀ − α·g/(δ + |g|) (Loshchilov & Hutter 2019, lecture AdamW).
        const want = th0 - LR * lambda * th0 - (LR * g) / (delta + Math.abs(g));
        expect(store.params[i]).toBeCloseTo(want, 5);
        checked++;
      }
    }
    expect(checked).toBe(store.entries.filter((e) => e.trainable).reduce((s, e) => s + e.size, 0));
    expect(checked).toBeGreaterThan(100);
  });
});
