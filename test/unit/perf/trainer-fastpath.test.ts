/**
 * The trainer's fast path (engine/fastpath/trainer.ts) inside runSession: which graphs it takes, and
 * that training through it gives the weights of the general autodiff path (fastPath: false) on the
 * same project, seed and data, to float32 rounding.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileGraph } from '../../../engine/compile';
import { FusedMlp } from '../../../engine/fastpath/mlp';
import { fusedTrainerFor } from '../../../engine/fastpath/trainer';
import { graphProjectHooks } from '../../../engine/graph';
import { datasetInfoOf } from '../../../engine/graph/dataset-info';
import { loadProject, type Project } from '../../../engine/project';
import { prepareForTraining, projectImportSettings } from '../../../engine/session/dataset';
import { runSession } from '../../../engine/session/run';
import { typedArraysConstructed } from './alloc-spy';

const load = (name: string): Project =>
  loadProject(readFileSync(`examples/${name}.netloom.json`, 'utf8'), { hooks: graphProjectHooks });
const csv = (name: string) => new Uint8Array(readFileSync(`examples/${name}.csv`));
const node = (p: Project, id: string) => p.graph.nodes.find((n) => n.id === id)!;

/** Replaces the type of node `id` (e.g. swap the loss or an activation). */
function retype(
  p: Project,
  id: string,
  type: string,
  params: Project['graph']['nodes'][number]['params'] = {},
) {
  const n = node(p, id);
  p.graph.nodes = p.graph.nodes.map((x) => (x === n ? { ...n, type, params } : x));
  return p;
}

/** Inserts a node of `type` on the edge source → target. */
function insert(p: Project, source: string, target: string, id: string, type: string, params = {}) {
  const e = p.graph.edges.find((x) => x.source === source && x.target === target)!;
  p.graph.nodes.push({ id, type, version: 1, position: { x: 0, y: 0 }, params });
  p.graph.edges = p.graph.edges.filter((x) => x !== e);
  p.graph.edges.push(
    { id: `${id}-in`, source, sourcePort: e.sourcePort, target: id, targetPort: 'in' },
    { id: `${id}-out`, source: id, sourcePort: 'out', target, targetPort: e.targetPort },
  );
  return p;
}

/** Whether the session would take the fast path for this project. */
function takesFastPath(p: Project, data: Uint8Array): boolean {
  const prepared = prepareForTraining(data, projectImportSettings(p));
  const model = compileGraph(p.graph, {
    dataset: datasetInfoOf(prepared),
    seed: 1,
    batchSize: p.training.batchSize,
  });
  return fusedTrainerFor(p.graph, model, prepared, []) !== null;
}

interface Case {
  name: string;
  project: () => Project;
  data: string;
  epochs: number;
}

const CASES: Case[] = [
  // ReLU, cross-entropy on logits, Adam.
  { name: 'iris (ReLU, CE on logits, Adam)', project: () => load('iris'), data: 'iris', epochs: 3 },
  // Sigmoid hidden and output, BCE on probabilities, momentum.
  { name: 'xor (sigmoid, BCE, momentum)', project: () => load('xor'), data: 'xor', epochs: 20 },
  // A single Dense layer, MSE, SGD.
  {
    name: 'linear regression (MSE, SGD)',
    project: () => load('linear-regression'),
    data: 'linear-regression',
    epochs: 3,
  },
  // tanh, Adam, 64 inputs, 10 classes.
  { name: 'digits (tanh, CE on logits, Adam)', project: () => load('digits'), data: 'digits', epochs: 1 },
  // Softmax output fused with cross-entropy on probabilities; AdamW.
  {
    name: 'wine (tanh, softmax + CE, AdamW)',
    project: () => {
      const p = insert(load('wine'), 'out', 'loss', 'sm', 'Activation.softmax');
      retype(p, 'loss', 'Loss.cross_entropy');
      return retype(p, 'opt', 'Optimizer.adamw', { lr: 0.01 });
    },
    data: 'wine',
    epochs: 2,
  },
  // BCE on logits without class weights; RMSProp; gradient clipping on the fused gradients.
  {
    name: 'breast cancer (ReLU, BCE on logits, RMSProp, clip)',
    project: () => {
      const p = retype(load('breast-cancer'), 'loss', 'Loss.bce_logits');
      return retype(p, 'opt', 'Optimizer.rmsprop', { lr: 0.005, clipNorm: 0.5 });
    },
    data: 'breast-cancer',
    epochs: 2,
  },
];

afterEach(() => vi.restoreAllMocks());

describe('trainer fast path', () => {
  for (const c of CASES) {
    it(`${c.name}: takes the fused step and ends at the general path's weights (1e-5 relative)`, async () => {
      const data = csv(c.data);
      expect(takesFastPath(c.project(), data)).toBe(true);
      const spy = vi.spyOn(FusedMlp.prototype, 'lossAndGrad');
      const fast = await runSession({ project: c.project(), data, epochs: c.epochs });
      const calls = spy.mock.calls.length;
      const general = await runSession({ project: c.project(), data, epochs: c.epochs, fastPath: false });
      expect(spy.mock.calls.length).toBe(calls); // the general run did not use it
      expect(fast.status).toBe('completed');
      expect(general.status).toBe('completed');
      expect(calls).toBe(fast.checkpoint!.step);
      const a = fast.model!.store.params;
      const b = general.model!.store.params;
      // The runs moved the weights (a test that cannot fail otherwise).
      const init = (await runSession({ project: c.project(), data, epochs: 0 })).model!.store.params;
      let moved = 0;
      for (let i = 0; i < b.length; i++) moved = Math.max(moved, Math.abs(b[i] - init[i]));
      expect(moved).toBeGreaterThan(1e-3);
      let scale = 0;
      for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
      let worst = 0;
      for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / scale);
      expect(worst).toBeLessThan(1e-5);
      // Same history: per-epoch training loss (fused in float64 vs tape in float32).
      for (let e = 0; e < c.epochs; e++)
        expect(fast.history[e].train.loss).toBeCloseTo(general.history[e].train.loss!, 5);
    });
  }

  it('leaves every other graph to the general path', () => {
    const iris = csv('iris');
    const withDropout = insert(load('iris'), 'act', 'out', 'drop', 'Dropout', { rate: 0.2 });
    expect(takesFastPath(withDropout, iris)).toBe(false);
    const l2 = load('iris');
    node(l2, 'loss').params.l2 = 0.01;
    expect(takesFastPath(l2, iris)).toBe(false);
    // Class weights (the breast-cancer example as shipped).
    expect(takesFastPath(load('breast-cancer'), csv('breast-cancer'))).toBe(false);
    // An activation the fused step does not compute.
    expect(takesFastPath(retype(load('iris'), 'act', 'Activation.elu'), iris)).toBe(false);
    // Two activations in a row.
    expect(takesFastPath(insert(load('iris'), 'act', 'out', 'a2', 'Activation.tanh'), iris)).toBe(false);
    // RBF layer.
    expect(takesFastPath(load('rbf-sine'), csv('rbf-sine'))).toBe(false);
    // An identity activation is fine.
    expect(takesFastPath(insert(load('iris'), 'act', 'out', 'id', 'Activation.identity'), iris)).toBe(true);
  });

  it('a steady-state fused trainer step allocates no typed arrays', () => {
    const p = load('digits');
    const data = csv('digits');
    const prepared = prepareForTraining(data, projectImportSettings(p));
    const model = compileGraph(p.graph, { dataset: datasetInfoOf(prepared), seed: 3, batchSize: 32 });
    const fused = fusedTrainerFor(p.graph, model, prepared, [])!;
    const idx = prepared.trainRows.subarray(0, 32);
    for (let t = 0; t < 3; t++) fused.lossAndGrad(idx);
    let loss = NaN;
    const created = typedArraysConstructed(() => {
      for (let t = 0; t < 5; t++) loss = fused.lossAndGrad(prepared.trainRows.subarray(32 * t, 32 * t + 32));
      void new Int32Array(2); // the spy does see constructions
    });
    expect(created).toEqual(['Int32Array(2)']);
    expect(Number.isFinite(loss)).toBe(true);
  });

  it('a diverging fused run fails like the general one, keeping the last finite weights', async () => {
    const p = () => {
      const q = load('linear-regression');
      node(q, 'opt').params.lr = 10;
      return q;
    };
    const data = csv('linear-regression');
    const fast = await runSession({ project: p(), data, epochs: 50 });
    const general = await runSession({ project: p(), data, epochs: 50, fastPath: false });
    expect(fast.status).toBe('failed');
    expect(fast.terminal).toMatchObject({ type: 'failed', code: 'numeric' });
    expect((fast.terminal as { message: string }).message).toMatch(/^The loss became|gradient\[/);
    expect(general.status).toBe('failed');
    for (const w of fast.checkpoint!.weights) for (const v of w.data) expect(Number.isFinite(v)).toBe(true);
  });
});
