// engine/session/predict — the prediction path shared by `netloom predict` and the app's Predict panel —
// checked against values computed here by hand: hand-built 2-input linear models (weights chosen in
// the test, written into a run's checkpoint) give softmax / sigmoid probabilities and regression values
// (through z-scores whose mean and population σ the test computes from the training file) equal to the
// formulas; the run choice refuses unusable runs with the reason; skipped rows are reported.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { graphProjectHooks, type Graph } from '../../../engine/graph';
import { prepareDataset, readTable, type PrepareOptions } from '../../../engine/data';
import { loadProject, type Project, type Run } from '../../../engine/project';
import { Rng } from '../../../engine/random/rng';
import {
  chooseTrainedRun,
  classProbabilities,
  droppedRowsMessage,
  predictCsv,
  predictFeatures,
  PredictError,
  predictionCsv,
  predictionRows,
  trainedModel,
  unusableReason,
} from '../../../engine/session/predict';
import { withPreprocessing } from '../../../engine/session/run';
import { chain } from './build';

const enc = (s: string) => new TextEncoder().encode(s);
const base = (): Project =>
  loadProject(readFileSync('examples/xor.netloom.json', 'utf8'), { hooks: graphProjectHooks });

/** Training file of the classification models: two numeric inputs, three classes (sorted: ant, bee, cat). */
const TRAIN3 = 'x1,x2,kind\n0,0,ant\n1,0,bee\n0,1,cat\n1,1,ant\n2,1,bee\n1,2,cat\n';

/** A project whose run holds exactly the weights given (a Dense 'out' layer [2 × K] + bias [K]). */
function handModel(
  csv: string,
  prepare: PrepareOptions,
  loss: string,
  weight: number[],
  bias: number[],
  runOver: Partial<Run> = {},
): Project {
  const p0 = base();
  const graph = chain(
    [{ id: 'out', type: 'Dense', params: { units: 'auto' } }],
    { id: 'loss', type: loss },
    {
      id: 'opt',
      type: 'Optimizer.sgd',
    },
  ) as Graph;
  const prepared = prepareDataset(readTable(enc(csv)), {
    split: { train: 1, validation: 0, test: 0 },
    ...prepare,
  });
  const K = bias.length;
  const run: Run = {
    id: 'run-1',
    pinned: false,
    status: 'completed',
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:00:01Z',
    settings: p0.training,
    graph: graph as Run['graph'],
    history: [],
    final: null,
    checkpoint: {
      epoch: 1,
      step: 1,
      weights: [
        { name: 'out.weight', shape: [2, K], data: Float32Array.from(weight) },
        { name: 'out.bias', shape: [K], data: Float32Array.from(bias) },
      ],
      optimizerState: {},
      rngState: null,
    },
    ...runOver,
  };
  const p = withPreprocessing({ ...p0, graph: graph as Project['graph'] }, prepared);
  return { ...p, runs: [run] };
}

// Weights [in × out], row-major, exact in float32.
const W3 = [1, -2, 0.5, 0.25, 1, -1];
const B3 = [0.125, -0.25, 0.5];

/** softmax(x·W + b) by hand. */
function softmaxByHand(x: [number, number]): number[] {
  const z = [0, 1, 2].map((o) => x[0] * W3[o] + x[1] * W3[3 + o] + B3[o]);
  const e = z.map((v) => Math.exp(v));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

const multiclass = () =>
  handModel(TRAIN3, { targets: ['kind'], featureScaling: 'none' }, 'Loss.cross_entropy_logits', W3, B3);

describe('engine/session/predict on a hand-built 2-input linear model', () => {
  it('softmax probabilities, labels and CSV rows equal the formula (CLI layout)', () => {
    const model = trainedModel(multiclass());
    expect(model.classes).toEqual(['ant', 'bee', 'cat']);
    const xs: [number, number][] = [
      [0.5, -1.5],
      [2, 3],
      [-1, 0.75],
    ];
    const features = Float32Array.from(xs.flat());
    const out = predictFeatures(model.compiled, features, xs.length);
    expect(out.length).toBe(9);
    xs.forEach((x, i) => {
      const p = softmaxByHand(x);
      for (let k = 0; k < 3; k++) expect(out[i * 3 + k]).toBeCloseTo(p[k], 6);
    });
    const rows = predictionRows(model.recipe, out, 3, Int32Array.from([1, 2, 4]));
    expect(rows[0]).toEqual(['row', 'predicted', 'p_ant', 'p_bee', 'p_cat']);
    xs.forEach((x, i) => {
      const p = softmaxByHand(x);
      const best = p.indexOf(Math.max(...p));
      expect(rows[i + 1][0]).toBe(String([1, 2, 4][i]));
      expect(rows[i + 1][1]).toBe(['ant', 'bee', 'cat'][best]);
      // 7 significant digits.
      rows[i + 1].slice(2).forEach((c, k) => {
        expect(Math.abs(Number(c) - p[k])).toBeLessThan(1e-6 * Math.max(p[k], 1e-3));
        expect(c.replace(/^0\.0*|\./g, '').length).toBeLessThanOrEqual(7);
      });
    });
  });

  it('predicts in chunks with the same values as one row at a time (2500 random rows)', () => {
    const model = trainedModel(multiclass());
    const rng = new Rng(7);
    const n = 2500;
    const features = Float32Array.from({ length: 2 * n }, () => rng.uniform(-3, 3));
    const out = predictFeatures(model.compiled, features, n);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const p = softmaxByHand([features[2 * i], features[2 * i + 1]]);
      for (let k = 0; k < 3; k++) worst = Math.max(worst, Math.abs(out[i * 3 + k] - p[k]));
    }
    expect(worst).toBeLessThan(1e-6);
    expect(() => predictFeatures(model.compiled, features, n + 1)).toThrow(/2501 rows × 2 features/);
  });

  it('maps a new file through the saved preprocessing: column order, extra columns, skipped rows, accuracy', () => {
    const project = multiclass();
    const csv = 'extra,x2,kind,x1\nq,-1.5,bee,0.5\nr,3,cat,2\ns,,ant,1\nt,0.75,ant,-1\n';
    const t = predictCsv(trainedModel(project), enc(csv), {}, 'new.csv');
    expect(t.inputColumns).toEqual(['x1', 'x2', 'kind']);
    expect(t.outputColumns).toEqual(['predicted', 'probability', 'p_ant', 'p_bee', 'p_cat']);
    expect(t.rows.map((r) => r.row)).toEqual([1, 2, 4]);
    expect(t.skipped).toEqual([{ row: 3, line: 4, column: 'x2', reason: 'missing value' }]);
    const xs: [number, number][] = [
      [0.5, -1.5],
      [2, 3],
      [-1, 0.75],
    ];
    const truth = ['bee', 'cat', 'ant'];
    let matched = 0;
    xs.forEach((x, i) => {
      const p = softmaxByHand(x);
      const best = p.indexOf(Math.max(...p));
      const label = ['ant', 'bee', 'cat'][best];
      if (label === truth[i]) matched++;
      const r = t.rows[i];
      expect(r.inputs).toEqual([String(x[0]), String(x[1]), truth[i]]);
      expect(r.outputs[0]).toBe(label);
      expect(Number(r.outputs[1])).toBeCloseTo(p[best], 5);
      for (let k = 0; k < 3; k++) expect(Number(r.outputs[2 + k])).toBeCloseTo(p[k], 5);
    });
    expect(t.correct).toEqual({ matched, labelled: 3 });
    const lines = predictionCsv(t).trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('row,x1,x2,kind,predicted,probability,p_ant,p_bee,p_cat');
  });

  it('binary with one sigmoid output: [1 − p, p] and class 1 from p ≥ 0.5 (ties included)', () => {
    const w = [1.5, -0.5];
    const b = [0.25];
    const project = handModel(
      'a,b,y\n0,0,no\n1,0,yes\n0,1,no\n1,1,yes\n',
      { targets: ['y'], featureScaling: 'none' },
      'Loss.bce_logits',
      w,
      b,
    );
    const model = trainedModel(project);
    expect(model.compiled.outputWidth).toBe(1);
    const xs: [number, number][] = [
      [1, 2],
      [-1, 0],
      [0.5, 0.5],
    ];
    const out = predictFeatures(model.compiled, Float32Array.from(xs.flat()), 3);
    const sig = (z: number) => 1 / (1 + Math.exp(-z));
    const p = xs.map((x) => sig(x[0] * w[0] + x[1] * w[1] + b[0]));
    p.forEach((v, i) => expect(out[i]).toBeCloseTo(v, 6));
    const { predicted, probs } = classProbabilities(out, 1, 2);
    p.forEach((v, i) => {
      expect(probs[2 * i]).toBeCloseTo(1 - v, 6);
      expect(probs[2 * i + 1]).toBeCloseTo(v, 6);
      expect(predicted[i]).toBe(v >= 0.5 ? 1 : 0);
    });
    // p exactly 0.5 goes to class 1; a 3-way tie goes to the first class.
    expect(Array.from(classProbabilities(Float64Array.from([0.5, 0.4999]), 1, 2).predicted)).toEqual([1, 0]);
    expect(Array.from(classProbabilities(Float64Array.from([0.2, 0.4, 0.4]), 3, 3).predicted)).toEqual([1]);
    const rows = predictionRows(model.recipe, out, 1, Int32Array.from([1, 2, 3]));
    expect(rows[0]).toEqual(['row', 'predicted', 'p_no', 'p_yes']);
    expect(rows.slice(1).map((r) => r[1])).toEqual(p.map((v) => (v >= 0.5 ? 'yes' : 'no')));
  });

  it('regression: z-scored inputs and target give values in the units of the training file', () => {
    const train = 'u,v,y\n1,10,100\n2,14,130\n4,11,90\n5,17,160\n3,13,120\n';
    const w = [0.5, -0.25];
    const b = [0.125];
    const project = handModel(
      train,
      { targets: ['y'], featureScaling: 'z-score', targetScaling: 'z-score' },
      'Loss.mse',
      w,
      b,
    );
    const model = trainedModel(project);
    // Population mean and σ of each training column, by hand.
    const col = (j: number) =>
      train
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => Number(l.split(',')[j]));
    const stats = (a: number[]) => {
      const m = a.reduce((s, v) => s + v, 0) / a.length;
      return { m, s: Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / a.length) };
    };
    const [su, sv, sy] = [stats(col(0)), stats(col(1)), stats(col(2))];
    const byHand = (u: number, v: number) =>
      ((w[0] * (u - su.m)) / su.s + (w[1] * (v - sv.m)) / sv.s + b[0]) * sy.s + sy.m;
    const t = predictCsv(model, enc('v,u\n12,2.5\n20,0\n'), {}, 'new.csv');
    expect(t.outputColumns).toEqual(['predicted y']);
    expect(t.correct).toBeNull();
    expect(Number(t.rows[0].outputs[0])).toBeCloseTo(byHand(2.5, 12), 3);
    expect(Number(t.rows[1].outputs[0])).toBeCloseTo(byHand(0, 20), 3);
    // The CLI layout: one column per target, same values (7 digits).
    const x = Float32Array.from([(2.5 - su.m) / su.s, (12 - sv.m) / sv.s]);
    const rows = predictionRows(model.recipe, predictFeatures(model.compiled, x, 1), 1, Int32Array.from([1]));
    expect(rows[0]).toEqual(['row', 'y']);
    expect(Number(rows[1][1])).toBeCloseTo(byHand(2.5, 12), 3);
  });
});

describe('engine/session/predict: which run predicts', () => {
  const withRuns = (runs: Run[]): Project => ({ ...multiclass(), runs });
  const good = (id: string): Run => ({ ...multiclass().runs[0], id });

  it('names why a run cannot predict: no weights, failed, a non-finite weight', () => {
    const r = good('run-1');
    expect(unusableReason(r)).toBeNull();
    expect(unusableReason({ ...r, checkpoint: null })).toBe('it has no saved weights');
    expect(unusableReason({ ...r, status: 'failed' })).toMatch(/^it failed/);
    const w = r.checkpoint!.weights;
    const bad = { ...w[1], data: Float32Array.from([0, Number.POSITIVE_INFINITY, 0]) };
    expect(unusableReason({ ...r, checkpoint: { ...r.checkpoint!, weights: [w[0], bad] } })).toBe(
      "its weight 'out.bias' is not finite (NaN or ±Infinity)",
    );
  });

  it('takes the latest run with weights, or the one asked for, and refuses the others with the usable ids', () => {
    const failed = { ...good('run-3'), status: 'failed' as const };
    const noWeights = { ...good('run-4'), checkpoint: null };
    const p = withRuns([good('run-1'), good('run-2'), failed, noWeights]);
    const catchIt = (f: () => unknown): PredictError => {
      try {
        f();
      } catch (e) {
        if (e instanceof PredictError) return e;
        throw e;
      }
      throw new Error('no PredictError thrown');
    };
    // The latest run WITH weights is run-3, which failed.
    const e = catchIt(() => chooseTrainedRun(p));
    expect(e.problem).toEqual({
      kind: 'unusable-run',
      runId: 'run-3',
      latest: true,
      why: expect.stringMatching(/^it failed/),
      usable: ['run-1', 'run-2'],
    });
    expect(e.message).toMatch(/latest trained run 'run-3' cannot be used for predictions: it failed/);
    expect(chooseTrainedRun(p, 'run-1').run.id).toBe('run-1');
    expect(catchIt(() => chooseTrainedRun(p, 'run-9')).problem).toEqual({
      kind: 'unknown-run',
      runId: 'run-9',
      usable: ['run-1', 'run-2'],
    });
    expect(catchIt(() => chooseTrainedRun(p, 'run-4')).problem).toMatchObject({
      kind: 'unusable-run',
      latest: false,
      why: 'it has no saved weights',
    });
    expect(chooseTrainedRun(withRuns([good('run-1'), good('run-2')])).run.id).toBe('run-2');
    expect(catchIt(() => chooseTrainedRun(withRuns([]))).problem).toEqual({ kind: 'no-trained-run' });
    expect(catchIt(() => trainedModel(withRuns([]))).message).toMatch(/no trained weights/);
    const noRecipe = { ...withRuns([good('run-1')]), dataset: { ...base().dataset!, preprocessing: null } };
    expect(catchIt(() => chooseTrainedRun(noRecipe)).problem).toEqual({ kind: 'no-preprocessing' });
  });

  it('refuses weights that do not fit the graph, naming the run', () => {
    const r = good('run-1');
    const short = { ...r.checkpoint!.weights[1], shape: [2], data: Float32Array.from([1, 2]) };
    const p = withRuns([
      { ...r, checkpoint: { ...r.checkpoint!, weights: [r.checkpoint!.weights[0], short] } },
    ]);
    let err: unknown = null;
    try {
      trainedModel(p);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PredictError);
    expect((err as PredictError).problem).toMatchObject({ kind: 'not-rebuildable', runId: 'run-1' });
  });
});

describe('engine/session/predict: rows that get no prediction', () => {
  it('droppedRowsMessage counts them (singular/plural), names the first lines and marks more', () => {
    expect(droppedRowsMessage({ count: 0, first: [] })).toBeNull();
    const one = droppedRowsMessage({
      count: 1,
      first: [{ row: 2, line: 3, column: 'x1', reason: 'missing' }],
    })!;
    expect(one).toMatch(/^skipped 1 row with/);
    expect(one).toContain("line 3 (missing 'x1')");
    expect(one).not.toContain('…');
    const many = droppedRowsMessage({
      count: 7,
      first: [
        { row: 1, line: 2, column: 'a', reason: 'invalid' },
        { row: 4, line: 5, column: 'b', reason: 'missing' },
      ],
    })!;
    expect(many).toMatch(/^skipped 7 rows with/);
    expect(many).toContain("line 2 (invalid 'a'), line 5 (missing 'b'), …");
  });

  it('a file without a feature column or with text in a numeric column is refused naming file, row, column', () => {
    const model = trainedModel(multiclass());
    expect(() => predictCsv(model, enc('x1,kind\n1,ant\n'), {}, 'f.csv')).toThrow(/^f\.csv: .*'x2'/);
    let err: unknown = null;
    try {
      predictCsv(model, enc('x1,x2\n1,abc\n2,3\n1,zz\n'), {}, 'g.csv');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PredictError);
    expect((err as PredictError).message).toMatch(/^g\.csv: .*row 1, column 'x2'.*\(2 problems/);
    expect((err as PredictError).problems).toHaveLength(2);
  });
});
