import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CompileError, compileGraph } from '../../../engine/compile';
import { datasetInfoOf, graphProjectHooks, modelSummary, type DatasetInfo } from '../../../engine/graph';
import { tensor, tidy } from '../../../engine/index';
import { loadProject } from '../../../engine/project';
import { importSettingsOf, prepareForTraining } from '../../../engine/session/dataset';
import { chain } from './build';

const reg: DatasetInfo = { featureWidth: 3, task: 'regression', targetWidth: 1, trainRows: 10 };

describe('compileGraph', () => {
  it('computes the same forward pass as a hand-written 3-2-1 ReLU network', () => {
    const g = chain(
      [
        { id: 'h', type: 'Dense', params: { units: 2 } },
        { id: 'r', type: 'Activation.relu' },
        { id: 'o', type: 'Dense', params: { units: 'auto' } },
      ],
      { id: 'loss', type: 'Loss.mse' },
      { id: 'opt', type: 'Optimizer.sgd' },
    );
    const m = compileGraph(g, { dataset: reg, seed: 1 });
    expect(m.store.entries.map((e) => [e.name, e.shape])).toEqual([
      ['h.weight', [3, 2]],
      ['h.bias', [2]],
      ['o.weight', [2, 1]],
      ['o.bias', [1]],
    ]);
    // Set known weights (W is [in, out], row-major).
    const W1 = [0.5, -1, 2, 0.25, -0.5, 1];
    const b1 = [0.1, -0.2];
    const W2 = [1.5, -2];
    const b2 = [0.3];
    const P = m.store.params;
    const at = (n: string) => m.store.spec(n).offset;
    P.set(W1, at('h.weight'));
    P.set(b1, at('h.bias'));
    P.set(W2, at('o.weight'));
    P.set(b2, at('o.bias'));
    const X = [
      [1, 2, 3],
      [-1, 0.5, 2],
      [0, 0, 0],
    ];
    const hand = X.map((x) => {
      const h = [0, 1].map((j) => Math.max(0, x[0] * W1[j] + x[1] * W1[2 + j] + x[2] * W1[4 + j] + b1[j]));
      return h[0] * W2[0] + h[1] * W2[1] + b2[0];
    });
    const y = tidy(() => m.forward(tensor(X.flat(), [3, 3]), { training: false }).dataSync());
    expect(Array.from(y)).toEqual(hand.map((v) => expect.closeTo(v, 5)));
    expect(m.outputWidth).toBe(1);
    expect(m.penalised).toEqual(['h.weight', 'o.weight']);
  });

  it('is deterministic from the seed and differs between seeds', () => {
    const g = chain(
      [{ id: 'o', type: 'Dense', params: { units: 'auto' } }],
      { id: 'loss', type: 'Loss.mse' },
      { id: 'opt', type: 'Optimizer.adam' },
    );
    const a = compileGraph(g, { dataset: reg, seed: 7 }).store.params;
    const b = compileGraph(g, { dataset: reg, seed: 7 }).store.params;
    const c = compileGraph(g, { dataset: reg, seed: 8 }).store.params;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('has exactly the parameter counts of modelSummary on every example project', () => {
    for (const name of [
      'iris',
      'breast-cancer',
      'wine',
      'diabetes',
      'digits',
      'rbf-sine',
      'xor',
      'linear-regression',
      'sgd-line',
    ]) {
      const project = loadProject(readFileSync(`examples/${name}.netloom.json`, 'utf8'), {
        hooks: graphProjectHooks,
      });
      const data = prepareForTraining(
        readFileSync(`examples/${name}.csv`),
        importSettingsOf(project.dataset!.importSettings),
      );
      const dataset = datasetInfoOf(data);
      const m = compileGraph(project.graph, { dataset, seed: 1 });
      const s = modelSummary(project.graph, { dataset });
      const trainable = m.store.entries.filter((e) => e.trainable).reduce((t, e) => t + e.size, 0);
      const frozen = m.store.entries.filter((e) => !e.trainable).reduce((t, e) => t + e.size, 0);
      expect([name, trainable, frozen]).toEqual([name, s.trainable, s.nonTrainable]);
    }
  });

  it('counts BatchNorm running statistics as frozen and uses them in eval mode', () => {
    const g = chain(
      [
        { id: 'bn', type: 'BatchNorm' },
        { id: 'o', type: 'Dense', params: { units: 'auto' } },
      ],
      { id: 'loss', type: 'Loss.mse' },
      { id: 'opt', type: 'Optimizer.sgd' },
    );
    const m = compileGraph(g, { dataset: reg, seed: 1 });
    expect(m.store.entries.filter((e) => !e.trainable).map((e) => e.name)).toEqual([
      'bn.running_mean',
      'bn.running_var',
    ]);
    const s = modelSummary(g, { dataset: reg });
    expect(s.nonTrainable).toBe(6);
    // Training mode updates the running mean in place: r ← 0.9·0 + 0.1·batch mean.
    tidy(() => m.forward(tensor([1, 2, 3, 3, 4, 5], [2, 3]), { training: true }));
    const o = m.store.spec('bn.running_mean').offset;
    expect(Array.from(m.store.params.subarray(o, o + 3))).toEqual(
      [0.2, 0.3, 0.4].map((v) => expect.closeTo(v, 6)),
    );
  });

  it('refuses an untrainable graph with the validation errors and node ids', () => {
    const g = chain(
      [{ id: 'o', type: 'Dense', params: { units: 5 } }],
      { id: 'loss', type: 'Loss.mse' },
      { id: 'opt', type: 'Optimizer.sgd' },
    );
    let err: unknown;
    try {
      compileGraph(g, { dataset: reg, seed: 1 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CompileError);
    expect((err as CompileError).problems.map((p) => p.code)).toContain('output-width-mismatch');
    expect((err as Error).message).toContain('[o]');
  });
});
