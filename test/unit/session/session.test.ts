import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { graphProjectHooks } from '../../../engine/graph';
import { loadProject, serializeProject, type Project } from '../../../engine/project';
import type { SessionEvent } from '../../../engine/session/events';
import { evaluateSplit, predictRows, toOriginalUnits } from '../../../engine/session/objective';
import { runRecord, runSession } from '../../../engine/session/run';

const load = (name: string): Project =>
  loadProject(readFileSync(`examples/${name}.netloom.json`, 'utf8'), { hooks: graphProjectHooks });
const csv = (name: string) => new Uint8Array(readFileSync(`examples/${name}.csv`));
const bits = (a: ArrayLike<number>) => Array.from(new Uint32Array(Float32Array.from(a).buffer));
const node = (p: Project, id: string) => p.graph.nodes.find((n) => n.id === id)!;

/** Iris with a Dropout layer after the hidden activation (so the Rng matters for continuing). */
function irisWithDropout(): Project {
  const p = load('iris');
  p.graph.nodes.push({
    id: 'drop',
    type: 'Dropout',
    version: 1,
    position: { x: 0, y: 0 },
    params: { rate: 0.2 },
  });
  const e = p.graph.edges.find((x) => x.source === 'act' && x.target === 'out')!;
  p.graph.edges = p.graph.edges.filter((x) => x !== e);
  p.graph.edges.push(
    { id: 'd1', source: 'act', sourcePort: 'out', target: 'drop', targetPort: 'in' },
    { id: 'd2', source: 'drop', sourcePort: 'out', target: 'out', targetPort: 'in' },
  );
  return p;
}

describe('runSession events', () => {
  it('emits started, throttled batches, every epoch, then finished — and nothing after it', async () => {
    const events: SessionEvent[] = [];
    // A frozen clock: only the first batch and each epoch's last batch pass the 20/s throttle.
    const r = await runSession({
      project: load('iris'),
      data: csv('iris'),
      epochs: 3,
      emit: (e) => events.push(e),
      now: () => 1000,
    });
    expect(r.status).toBe('completed');
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('started');
    expect(types.at(-1)).toBe('finished');
    expect(events.filter((e) => e.type === 'epoch').map((e) => (e as { epoch: number }).epoch)).toEqual([
      1, 2, 3,
    ]);
    const batches = events.filter((e) => e.type === 'batch') as Extract<SessionEvent, { type: 'batch' }>[];
    expect(batches.map((b) => `${b.epoch}.${b.batch}`)).toEqual(['1.1', '1.8', '2.8', '3.8']);
    const started = events[0] as Extract<SessionEvent, { type: 'started' }>;
    expect(started).toMatchObject({
      epochs: 3,
      batchSize: 16,
      batchesPerEpoch: 8,
      paramCount: 4 * 16 + 16 + 16 * 3 + 3,
    });
    expect(started.rows).toEqual({ train: 120, validation: 30, test: 0 });
    const ep = events.find((e) => e.type === 'epoch') as Extract<SessionEvent, { type: 'epoch' }>;
    // Norms are independent recomputations of the final weights' L2 norms.
    const out = r.model!.store;
    const e0 = out.spec('hidden.weight');
    expect(ep.layers[0].name).toBe('hidden.weight');
    expect(ep.layers[0].histogram.counts.reduce((a, b) => a + b, 0)).toBe(64);
    const last = events.filter((e) => e.type === 'epoch').at(-1) as Extract<SessionEvent, { type: 'epoch' }>;
    let s = 0;
    for (let i = e0.offset; i < e0.offset + e0.size; i++) s += out.params[i] ** 2;
    expect(last.layers[0].weightNorm).toBeCloseTo(Math.sqrt(s), 5);
    // The finished metrics are those of the returned model.
    const fin = events.at(-1) as Extract<SessionEvent, { type: 'finished' }>;
    expect(fin.metrics.validation).toEqual(evaluateSplit(r.model!, r.data!, r.data!.validationRows));
  });

  it("reports bad data with the data module's message and no model", async () => {
    const events: SessionEvent[] = [];
    // One class only: the data module refuses it, naming the target column.
    const text =
      'sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,species\n5.1,3.5,1.4,0.2,setosa\n4.9,3.0,1.4,0.2,setosa\n';
    const r = await runSession({
      project: load('iris'),
      data: new TextEncoder().encode(text),
      emit: (e) => events.push(e),
    });
    expect(r.status).toBe('failed');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'failed', code: 'bad-data' });
    expect((events[0] as { message: string }).message).toContain("'species'");
  });

  it('stops on request, keeping the last weights and a checkpoint of the completed epochs', async () => {
    let calls = 0;
    const r = await runSession({
      project: load('iris'),
      data: csv('iris'),
      epochs: 50,
      control: { mayContinue: () => ++calls <= 8 * 2 + 3 },
    });
    expect(r.terminal).toEqual({ type: 'stopped', epoch: 2, kept: 'last' });
    expect(r.history).toHaveLength(2);
    expect(r.checkpoint!.epoch).toBe(2);
    expect(r.checkpoint!.step).toBe(19);
  });
});

describe('non-finite loss', () => {
  it('fails naming the epoch and batch, and keeps the last finite weights', async () => {
    const p = load('linear-regression');
    node(p, 'opt').params.lr = 10; // SGD at α = 10 on this problem diverges within a few steps
    const events: SessionEvent[] = [];
    const r = await runSession({
      project: p,
      data: csv('linear-regression'),
      epochs: 50,
      emit: (e) => events.push(e),
    });
    expect(r.status).toBe('failed');
    const f = events.at(-1) as Extract<SessionEvent, { type: 'failed' }>;
    expect(f.code).toBe('numeric');
    expect(f.message).toContain(`epoch ${f.epoch}, batch ${f.batch}`);
    expect(f.epoch).toBeGreaterThanOrEqual(1);
    const P = Array.from(r.model!.store.params);
    expect(P.every(Number.isFinite)).toBe(true);
    expect(r.checkpoint!.weights.every((w) => Array.from(w.data).every(Number.isFinite))).toBe(true);
    // The kept weights are those before the failing step: equal to a run stopped just before it.
    const failingStep = (f.epoch! - 1) * 7 + (f.batch! - 1); // 410 training rows, batches of 64
    let calls = 0;
    const before = await runSession({
      project: p,
      data: csv('linear-regression'),
      epochs: 50,
      control: { mayContinue: () => ++calls <= failingStep - 1 },
    });
    expect(before.status).toBe('stopped');
    expect(bits(r.model!.store.params)).toEqual(bits(before.model!.store.params));
  });
});

describe('continue from a checkpoint', () => {
  it('equals the uninterrupted run bit for bit, also through the project file', async () => {
    const p = irisWithDropout();
    const data = csv('iris');
    const full = await runSession({ project: p, data, epochs: 6 });
    const first = await runSession({ project: p, data, epochs: 3 });
    expect(first.status).toBe('completed');
    // Save the run into a project file and load it back (checkpoint through base64 and JSON).
    const saved = {
      ...p,
      runs: [runRecord(p, first, 'run-1', '2026-11-29T21:00:00Z', '2026-11-29T21:01:00Z')],
    };
    const loaded = loadProject(serializeProject(saved), { hooks: graphProjectHooks });
    const rest = await runSession({ project: loaded, data, epochs: 6, continueFrom: loaded.runs[0] });
    expect(rest.status).toBe('completed');
    expect(rest.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(bits(rest.model!.store.params)).toEqual(bits(full.model!.store.params));
    expect(rest.checkpoint!.step).toBe(full.checkpoint!.step);
    expect(rest.history.map((h) => h.train.loss)).toEqual(full.history.map((h) => h.train.loss));
    expect(rest.checkpoint!.rngState).toEqual(full.checkpoint!.rngState);
  });
});

describe('early stopping', () => {
  it("stops after `patience` epochs without improvement and restores the best epoch's weights", async () => {
    const p = load('iris');
    // An improvement must beat the best by 100: only the first epoch ever counts as one.
    p.training.earlyStopping = {
      monitor: 'validation.loss',
      mode: 'min',
      patience: 2,
      minDelta: 100,
      restoreBestWeights: true,
    };
    const r = await runSession({ project: p, data: csv('iris'), epochs: 20 });
    expect(r.status).toBe('early-stopped');
    expect(r.history).toHaveLength(3);
    const one = await runSession({ project: load('iris'), data: csv('iris'), epochs: 1 });
    expect(bits(r.model!.store.params)).toEqual(bits(one.model!.store.params));
  });
});

describe('stop with restoreBestWeights', () => {
  it("keeps the best epoch's weights when early stopping is configured so", async () => {
    const p = load('iris');
    // Only the first epoch counts as an improvement (minDelta 100); patience never runs out here.
    p.training.earlyStopping = {
      monitor: 'validation.loss',
      mode: 'min',
      patience: 50,
      minDelta: 100,
      restoreBestWeights: true,
    };
    let calls = 0;
    const r = await runSession({
      project: p,
      data: csv('iris'),
      epochs: 20,
      control: { mayContinue: () => ++calls <= 8 * 3 },
    });
    expect(r.terminal).toEqual({ type: 'stopped', epoch: 3, kept: 'best' });
    const one = await runSession({ project: load('iris'), data: csv('iris'), epochs: 1 });
    expect(bits(r.model!.store.params)).toEqual(bits(one.model!.store.params));
  });
});

describe('split metrics', () => {
  it('reports regression RMSE, MAE in the units of the file and R², matching a hand computation', async () => {
    const r = await runSession({ project: load('diabetes'), data: csv('diabetes'), epochs: 5 });
    const d = r.data!;
    const rows = d.validationRows;
    const pred = toOriginalUnits(d.recipe, predictRows(r.model!, d, rows));
    // Truth straight from the CSV text (last column), by the data row each prepared row came from.
    const lines = readFileSync('examples/diabetes.csv', 'utf8').trim().split('\n').slice(1);
    const truth = Array.from(rows, (i) => Number(lines[d.sourceRows[i] - 1].split(',').at(-1)));
    const n = truth.length;
    const mean = truth.reduce((a, b) => a + b, 0) / n;
    const sse = truth.reduce((s, t, i) => s + (pred[i] - t) ** 2, 0);
    const sst = truth.reduce((s, t) => s + (t - mean) ** 2, 0);
    const v = r.final!.validation!;
    expect(v.rmse).toBeCloseTo(Math.sqrt(sse / n), 2);
    expect(v.mae).toBeCloseTo(truth.reduce((s, t, i) => s + Math.abs(pred[i] - t), 0) / n, 2);
    expect(v.r2).toBeCloseTo(1 - sse / sst, 4);
  });

  it('reports classification accuracy as the share of rows whose largest probability is the true class', async () => {
    const r = await runSession({ project: load('wine'), data: csv('wine'), epochs: 3 });
    const d = r.data!;
    const rows = d.validationRows;
    const p = predictRows(r.model!, d, rows);
    let hit = 0;
    rows.forEach((row, i) => {
      const probs = [p[i * 3], p[i * 3 + 1], p[i * 3 + 2]];
      if (probs.indexOf(Math.max(...probs)) === (d.targets as Int32Array)[row]) hit++;
    });
    expect(r.final!.validation!.accuracy).toBe(hit / rows.length);
    expect(r.final!.test).toBeNull();
  });
});

describe('gradient clipping', () => {
  it("applies the optimizer node's global-norm clip to every step", async () => {
    const p = load('linear-regression');
    node(p, 'opt').params.clipNorm = 1e-3;
    const r = await runSession({ project: p, data: csv('linear-regression'), epochs: 1 });
    // 7 SGD steps of α = 0.1 with gradient norm ≤ 1e-3 move the weights by at most 7e-4 in total.
    const init = await runSession({
      project: p,
      data: csv('linear-regression'),
      epochs: 1,
      control: { mayContinue: () => false },
    });
    const a = r.model!.store.params;
    const b = init.model!.store.params;
    let d = 0;
    for (let i = 0; i < a.length; i++) d += (a[i] - b[i]) ** 2;
    expect(Math.sqrt(d)).toBeLessThanOrEqual(7 * 0.1 * 1e-3 * (1 + 1e-5));
    expect(Math.sqrt(d)).toBeGreaterThan(0);
  });
});
