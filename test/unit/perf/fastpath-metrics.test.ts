/**
 * Per-epoch metrics on the fast path: when runSession trains through the fused step, evaluateSplit gets
 * the loss and probabilities from the fused forward pass (FusedTrainer.evaluate) instead of the general
 * tensor path. Both must give the same metrics to float32 rounding, for every fused loss and output.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FusedMlp } from '../../../engine/fastpath/mlp';
import { fusedTrainerFor } from '../../../engine/fastpath/trainer';
import { graphProjectHooks } from '../../../engine/graph';
import { loadProject, type Project } from '../../../engine/project';
import { evaluateSplit } from '../../../engine/session/objective';
import { runSession } from '../../../engine/session/run';

const load = (name: string): Project =>
  loadProject(readFileSync(`examples/${name}.netloom.json`, 'utf8'), { hooks: graphProjectHooks });
const csv = (name: string) => new Uint8Array(readFileSync(`examples/${name}.csv`));

function retype(p: Project, id: string, type: string, params: Record<string, unknown> = {}): Project {
  p.graph.nodes = p.graph.nodes.map((x) => (x.id === id ? { ...x, type, params: params as never } : x));
  return p;
}

interface Case {
  name: string;
  project: () => Project;
  data: string;
  metrics: string[];
}

const CASES: Case[] = [
  { name: 'iris: CE on logits', project: () => load('iris'), data: 'iris', metrics: ['loss', 'accuracy'] },
  {
    name: 'xor: sigmoid + BCE',
    project: () => load('xor'),
    data: 'xor',
    metrics: ['loss', 'accuracy', 'auc'],
  },
  {
    name: 'linear regression: MSE (RMSE/MAE in file units)',
    project: () => load('linear-regression'),
    data: 'linear-regression',
    metrics: ['loss', 'rmse', 'mae', 'r2'],
  },
  {
    name: 'breast cancer: BCE on logits',
    project: () => retype(load('breast-cancer'), 'loss', 'Loss.bce_logits'),
    data: 'breast-cancer',
    metrics: ['loss', 'accuracy', 'auc'],
  },
  {
    name: 'digits: more training rows than one evaluation chunk',
    project: () => load('digits'),
    data: 'digits',
    metrics: ['loss', 'accuracy'],
  },
];

afterEach(() => vi.restoreAllMocks());

describe('fast-path split evaluation', () => {
  for (const c of CASES) {
    it(`${c.name}: fused metrics equal the general path's to float32 rounding`, async () => {
      // A couple of epochs so the weights are not the initial ones.
      const r = await runSession({ project: c.project(), data: csv(c.data), epochs: 2 });
      expect(r.status).toBe('completed');
      const m = r.model!;
      const data = r.data!;
      const fused = fusedTrainerFor(r.graph, m, data, []);
      expect(fused).not.toBeNull();
      for (const rows of [data.trainRows, data.validationRows]) {
        if (rows.length === 0) continue;
        const want = evaluateSplit(m, data, rows);
        const got = evaluateSplit(m, data, rows, fused!);
        expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
        for (const k of c.metrics) {
          expect(want[k]).toBeTypeOf('number');
          if (k === 'accuracy') expect(got[k]).toBe(want[k]);
          else if (k === 'auc') expect(got[k]).toBeCloseTo(want[k], 4);
          else expect(Math.abs(got[k] - want[k])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want[k])));
        }
      }
    });
  }

  it('runSession evaluates every epoch through the fused forward pass when the fast path trains', async () => {
    const spy = vi.spyOn(FusedMlp.prototype, 'loss');
    const epochs: { validation: Record<string, number> | null }[] = [];
    const r = await runSession({
      project: load('iris'),
      data: csv('iris'),
      epochs: 3,
      emit: (e) => {
        if (e.type === 'epoch') epochs.push(e);
      },
    });
    expect(r.status).toBe('completed');
    // Train and validation splits, each in one chunk, per epoch.
    expect(spy.mock.calls.length).toBe(3 * 2);
    // The last epoch's validation metrics (fused) against the run's final metrics (general path).
    const last = epochs.at(-1)!.validation!;
    const fin = r.final!.validation!;
    expect(last.accuracy).toBe(fin.accuracy);
    expect(Math.abs(last.loss - fin.loss)).toBeLessThanOrEqual(1e-5 * Math.max(1, fin.loss));
    // The general path (fastPath: false) never calls it.
    spy.mockClear();
    await runSession({ project: load('iris'), data: csv('iris'), epochs: 1, fastPath: false });
    expect(spy).not.toHaveBeenCalled();
  });
});
