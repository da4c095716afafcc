// Predictions sent with a run's terminal event: after a short Iris run they equal an independent
// forward pass of the returned weights on the validation rows; the protocol guard keeps the field
// optional and rejects malformed sets; the row bound holds.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../engine/compile';
import { datasetInfoOf } from '../../../engine/graph/dataset-info';
import { tensor, tidy } from '../../../engine/index';
import type { Run } from '../../../engine/project';
import { importSettingsOf, prepareForTraining } from '../../../engine/session/dataset';
import { memoryPair } from '../../../engine/session/port';
import { boundedRows } from '../../../engine/session/predictions';
import { PROTOCOL_VERSION, isTrainerEvent, type TrainerEvent } from '../../../engine/session/protocol';
import { loadWeights } from '../../../engine/session/run';
import { startTrainer } from '../../../engine/session/trainer';
import type { Graph } from '../../../engine/graph';

const project = JSON.parse(readFileSync('examples/iris.netloom.json', 'utf8')) as {
  dataset: { importSettings: unknown };
} & Record<string, unknown>;
const irisBytes = new Uint8Array(readFileSync('examples/iris.csv'));

async function irisRun(): Promise<Extract<TrainerEvent, { type: 'finished' }>> {
  const { port, host } = memoryPair();
  const events: TrainerEvent[] = [];
  host.onEvent((e) => events.push(e));
  startTrainer(port, { runtime: 'in-process', version: 'test', readFile: async () => irisBytes });
  host.send({ type: 'hello', protocol: PROTOCOL_VERSION, client: 'test' });
  host.send({
    type: 'start',
    runId: 'p',
    project,
    data: { kind: 'bytes', name: 'iris.csv', bytes: irisBytes },
    options: { backend: 'cpu', epochs: 3 },
  });
  const t0 = Date.now();
  for (;;) {
    const end = events.find((e) => e.type === 'finished' || e.type === 'failed');
    if (end) {
      expect(end.type).toBe('finished');
      return end as Extract<TrainerEvent, { type: 'finished' }>;
    }
    if (Date.now() - t0 > 20_000) throw new Error('the run did not end');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('predictions on terminal events', () => {
  it('match an independent forward pass of the returned weights on the validation rows (Iris)', async () => {
    const fin = await irisRun();
    expect(isTrainerEvent(fin)).toBe(true);
    const p = fin.predictions!;
    expect(p).toBeDefined();
    const run = fin.outcome!.run as Run;
    // Independent path: prepare the file, compile the run's graph, load the returned weights.
    const data = prepareForTraining(irisBytes, importSettingsOf(project.dataset.importSettings));
    const rows = Array.from(data.validationRows);
    expect(rows.length).toBeGreaterThan(0);
    const model = compileGraph(run.graph as Graph, { dataset: datasetInfoOf(data), seed: 1, batchSize: 16 });
    loadWeights(model, run.checkpoint!.weights);
    const F = data.featureWidth;
    const x = new Float32Array(rows.length * F);
    rows.forEach((r, i) => x.set(data.features.subarray(r * F, r * F + F), i * F));
    const probs = tidy(() =>
      Array.from(
        model.toProbabilities(model.forward(tensor(x, [rows.length, F]), { training: false })).dataSync(),
      ),
    );
    expect(p.split).toBe('validation');
    expect(p.task).toBe('multiclass');
    expect(p.cols).toBe(3);
    expect(p.outputs).toHaveLength(rows.length * 3);
    for (let i = 0; i < probs.length; i++) expect(p.outputs[i]).toBeCloseTo(probs[i], 5);
    // Each row is a probability distribution.
    for (let i = 0; i < rows.length; i++)
      expect(p.outputs[i * 3] + p.outputs[i * 3 + 1] + p.outputs[i * 3 + 2]).toBeCloseTo(1, 5);
    // True classes: the species column of the file, as labels.
    const lines = new TextDecoder().decode(irisBytes).trim().split(/\r?\n/);
    const header = lines[0].split(',');
    const col = header.length - 1;
    expect(p.classes!.slice().sort()).toEqual(
      [...new Set(lines.slice(1).map((l) => l.split(',')[col]))].sort(),
    );
    expect(p.targets.map((k) => p.classes![k])).toEqual(rows.map((r) => lines[1 + r].split(',')[col]));
  }, 30_000);

  it('keeps predictions optional in the protocol guard and rejects malformed sets', () => {
    const base = { type: 'stopped', runId: 'r', epoch: 1 };
    expect(isTrainerEvent(base)).toBe(true);
    const ok = { split: 'validation', task: 'binary', cols: 1, outputs: [0.2, 0.9], targets: [0, 1] };
    expect(isTrainerEvent({ ...base, predictions: ok })).toBe(true);
    expect(isTrainerEvent({ ...base, predictions: { ...ok, targets: [0] } })).toBe(false);
    expect(isTrainerEvent({ ...base, predictions: { ...ok, cols: 0 } })).toBe(false);
    expect(isTrainerEvent({ ...base, predictions: { ...ok, outputs: ['x', 1] } })).toBe(false);
    expect(isTrainerEvent({ ...base, predictions: { ...ok, split: 'all' } })).toBe(false);
    const reg = { split: 'train', task: 'regression', cols: 2, outputs: [1, 2, 3, 4], targets: [1, 2, 3] };
    expect(isTrainerEvent({ ...base, predictions: reg })).toBe(false);
    expect(isTrainerEvent({ ...base, predictions: { ...reg, targets: [1, 2, 3, 4] } })).toBe(true);
  });

  it('bounds the rows evenly through the split', () => {
    const rows = Array.from({ length: 12_345 }, (_, i) => 2 * i);
    const b = boundedRows(rows, 5000);
    expect(b).toHaveLength(5000);
    expect(new Set(b).size).toBe(5000);
    expect(b[0]).toBe(0);
    expect(b.every((v, i) => i === 0 || v > b[i - 1])).toBe(true);
    expect(b[4999]).toBeGreaterThan(rows[12_000]);
    expect(boundedRows([5, 7], 5000)).toEqual([5, 7]);
  });
});
