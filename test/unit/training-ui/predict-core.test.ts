// Predict on another CSV (src-renderer/training/predict-core): the latest trained run predicts a new
// file through the saved preprocessing; probabilities equal a forward pass done by hand here (z-score
// with the stored scalers → Dense → ReLU → Dense → softmax with the checkpoint weights); unusable
// rows are listed with row, column and reason; the CSV has one line per predicted row; projects
// without a usable run are refused with a clear message; regression values come back in data units.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { graphProjectHooks } from '../../../engine/graph';
import { loadProject, type Project } from '../../../engine/project';
import { runRecord, runSession, withPreprocessing } from '../../../engine/session/run';
import {
  predictCsv,
  predictionCsv,
  PredictError,
  readOptionsOf,
  trainedModel,
} from '../../../src-renderer/training/predict-core';

const load = (name: string): Project =>
  loadProject(readFileSync(`examples/${name}.netloom.json`, 'utf8'), { hooks: graphProjectHooks });
const bytesOf = (path: string) => new Uint8Array(readFileSync(path));
const enc = (s: string) => new TextEncoder().encode(s);

async function trained(name: string, epochs = 3): Promise<Project> {
  const p0 = load(name);
  const result = await runSession({ project: p0, data: bytesOf(`examples/${name}.csv`), epochs });
  expect(result.status).toBe('completed');
  const p = withPreprocessing(p0, result.data!);
  return { ...p, runs: [runRecord(p, result, 'run-1', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z')] };
}

/** Iris probabilities by hand from the checkpoint and the stored scalers. */
function irisByHand(project: Project, x: number[]): number[] {
  const recipe = project.dataset!.preprocessing as unknown as {
    features: { scaler: { shift: number; scale: number } }[];
  };
  const w = new Map(project.runs[0].checkpoint!.weights.map((t) => [t.name, t]));
  const z = x.map((v, j) => (v - recipe.features[j].scaler.shift) / recipe.features[j].scaler.scale);
  const dense = (name: string, input: number[]) => {
    const W = w.get(`${name}.weight`)!;
    const b = w.get(`${name}.bias`)!;
    const [inW, outW] = W.shape; // [in, out]
    expect(inW).toBe(input.length);
    return Array.from({ length: outW }, (_, o) =>
      input.reduce((s, v, i) => s + v * W.data[i * outW + o], b.data[o]),
    );
  };
  const h = dense('hidden', z).map((v) => Math.max(0, v));
  const logits = dense('out', h);
  const m = Math.max(...logits);
  const e = logits.map((v) => Math.exp(v - m));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

describe('predict on another CSV', () => {
  it('predicts every row with probabilities equal to a forward pass by hand', async () => {
    const project = await trained('iris');
    const model = trainedModel(project);
    const text = readFileSync('examples/iris.csv', 'utf8');
    const t = predictCsv(model, enc(text), readOptionsOf(project), 'iris.csv');
    expect(t.rows).toHaveLength(150);
    expect(t.skipped).toEqual([]);
    expect(t.inputColumns).toEqual([
      'sepal_length_cm',
      'sepal_width_cm',
      'petal_length_cm',
      'petal_width_cm',
      'species',
    ]);
    expect(t.outputColumns).toEqual(['predicted', 'probability', 'p_setosa', 'p_versicolor', 'p_virginica']);
    const lines = text.trim().split('\n').slice(1);
    for (const k of [0, 57, 149]) {
      const cells = lines[k].split(',');
      const p = irisByHand(project, cells.slice(0, 4).map(Number));
      const r = t.rows[k];
      expect(r.row).toBe(k + 1);
      expect(r.inputs).toEqual(cells.map((c) => String(Number.isNaN(Number(c)) ? c : Number(c))));
      const best = p.indexOf(Math.max(...p));
      expect(r.outputs[0]).toBe(['setosa', 'versicolor', 'virginica'][best]);
      expect(Number(r.outputs[1])).toBeCloseTo(p[best], 4);
      for (let j = 0; j < 3; j++) expect(Number(r.outputs[2 + j])).toBeCloseTo(p[j], 4);
    }
    // The file's labels are compared with the predictions.
    expect(t.correct!.labelled).toBe(150);
    const agree = t.rows.filter((r) => r.outputs[0] === r.inputs[4]).length;
    expect(t.correct!.matched).toBe(agree);
    // CSV: header + one line per row, the same cells.
    const csv = predictionCsv(t).trim().split('\n');
    expect(csv[0]).toBe(['row', ...t.inputColumns, ...t.outputColumns].join(','));
    expect(csv).toHaveLength(151);
    expect(csv[1]).toBe(['1', ...t.rows[0].inputs, ...t.rows[0].outputs].join(','));
  });

  it('works without the target column and lists rows it cannot use with row, column and reason', async () => {
    const project = await trained('iris', 1);
    const model = trainedModel(project);
    const csv = [
      'petal_width_cm,sepal_length_cm,sepal_width_cm,petal_length_cm,extra',
      '0.2,5.1,3.5,1.4,x',
      '1.3,,2.8,4.1,y',
      '1.8,6.3,2.9,5.6,w',
      '2.0,6.5,3.0,,z',
    ].join('\n');
    const t = predictCsv(model, enc(csv), {}, 'new.csv');
    expect(t.inputColumns).not.toContain('species');
    expect(t.correct).toBeNull();
    expect(t.rows.map((r) => r.row)).toEqual([1, 3]);
    // Inputs are shown in the model's feature order, whatever the file's column order.
    expect(t.rows[1].inputs).toEqual(['6.3', '2.9', '5.6', '1.8']);
    expect(t.skipped).toEqual([
      { row: 2, line: 3, column: 'sepal_length_cm', reason: 'missing value' },
      { row: 4, line: 5, column: 'petal_length_cm', reason: 'missing value' },
    ]);
  });

  it('refuses text in a numeric column, listing every such cell', async () => {
    const model = trainedModel(await trained('iris', 1));
    const csv = [
      'sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm',
      '5.1,abc,1.4,0.2',
      '5.1,3.5,1.4,0.2',
      '5.1,3.5,x,0.2',
    ].join('\n');
    let err: unknown = null;
    try {
      predictCsv(model, enc(csv), {}, 'new.csv');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PredictError);
    expect((err as PredictError).message).toMatch(/^new\.csv: Line 2, row 1, column 'sepal_width_cm'/);
    expect((err as PredictError).problems).toEqual([
      expect.stringMatching(/Line 2, row 1, column 'sepal_width_cm'/),
      expect.stringMatching(/Line 4, row 3, column 'petal_length_cm'/),
    ]);
  });

  it('refuses a file without a feature column, naming it', async () => {
    const model = trainedModel(await trained('iris', 1));
    expect(() => predictCsv(model, enc('sepal_length_cm,petal_width_cm\n1,2\n'), {}, 'bad.csv')).toThrow(
      /bad\.csv: .*no column 'sepal_width_cm'/,
    );
  });

  it('refuses a project without trained weights', () => {
    expect(() => trainedModel(load('iris'))).toThrow(PredictError);
    expect(() => trainedModel(load('iris'))).toThrow(/no trained weights/);
  });

  it('gives regression predictions in the units of the data file', async () => {
    const project = await trained('linear-regression', 15);
    const model = trainedModel(project);
    const text = readFileSync('examples/linear-regression.csv', 'utf8');
    const t = predictCsv(model, enc(text), readOptionsOf(project), 'lr.csv');
    expect(t.outputColumns).toEqual(['predicted y']);
    // The fitted line tracks y in its own units: the mean prediction is near the mean of y.
    const y = text
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => Number(l.split(',').at(-1)));
    const pred = t.rows.map((r) => Number(r.outputs[0]));
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    const sd = Math.sqrt(mean(y.map((v) => (v - mean(y)) ** 2)));
    expect(Math.abs(mean(pred) - mean(y))).toBeLessThan(0.25 * sd);
  });
});
