/**
 * `netloom train / predict / export / validate / lecture` end to end (in-process through main()), on every
 * shipped example: each reaches its quality figure with its saved split seed, and the median over 5
 * split seeds does too. `predict` is checked against the model trained in-process with the same seeds.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { graphProjectHooks } from '../../engine/graph';
import { loadProject } from '../../engine/project';
import { predictRows, toOriginalUnits } from '../../engine/session/objective';
import { runSession } from '../../engine/session/run';
import { main } from '../../src-main/cli/netloom';
import { trainedModelOf, unusableReason } from '../../src-main/cli/commands/predict';
import { CliFailure } from '../../src-main/cli/commands/train';

const tmp = mkdtempSync(join(tmpdir(), 'netloom-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

interface TrainJson {
  status: string;
  final: { train: Record<string, number>; validation: Record<string, number> | null };
}

async function train(name: string, ...extra: string[]): Promise<TrainJson> {
  const r = await cli('train', `examples/${name}.netloom.json`, '--json', ...extra);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as TrainJson;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** The saved split seed of every example is 42; four more seeds make five. */
const SEEDS = [42, 1, 2, 3, 4];

describe.each([
  ['iris', 'accuracy', 0.93],
  ['breast-cancer', 'accuracy', 0.95],
  ['wine', 'accuracy', 0.95],
  ['digits', 'accuracy', 0.95],
  ['diabetes', 'r2', 0.35],
  ['linear-regression', 'r2', 0.95],
] as const)('netloom train examples/%s', (name, metric, min) => {
  it(`reaches validation ${metric} ≥ ${min} with the saved split and in the median of 5 split seeds`, async () => {
    const values: number[] = [];
    for (const seed of SEEDS) {
      const r = await train(name, '--split-seed', String(seed));
      expect(r.status).toBe('completed');
      values.push(r.final.validation![metric]);
    }
    expect(values[0]).toBeGreaterThanOrEqual(min);
    expect(median(values)).toBeGreaterThanOrEqual(min);
  });
});

describe('netloom train examples/xor', () => {
  it('classifies all four XOR points, for 5 initialisation seeds', async () => {
    for (const seed of [42, 1, 2, 3, 4]) {
      const r = await train('xor', '--seed', String(seed));
      expect(r.final.train.accuracy).toBe(1);
    }
  });
});

describe("netloom train examples/sgd-line (the lecture's SGD example)", () => {
  it('goes from θ₀ = [10, 5] to within 0.05 of [2, 3] by per-sample SGD, as in the lecture', async () => {
    const trained = join(tmp, 'sgd-line.netloom.json');
    expect((await cli('train', 'examples/sgd-line.netloom.json', '--out', trained, '--quiet')).code).toBe(0);
    const run = loadProject(readFileSync(trained), { hooks: graphProjectHooks }).runs.at(-1)!;
    const value = (name: string) => run.checkpoint!.weights.find((w) => w.name === name)!.data[0];
    // The lecture: [1.9882, 2.9975] after 1000 steps; the data here are drawn with x ~ U(−5, 5).
    expect(Math.abs(value('linear.bias') - 2)).toBeLessThan(0.05);
    expect(Math.abs(value('linear.weight') - 3)).toBeLessThan(0.05);
    expect(run.history).toHaveLength(34); // 34 epochs × 30 rows, batch 1: 1020 SGD steps
  });
});

describe('RBF network on y = sin(x) + N(0, 0.05²)', () => {
  it('predicts the noiseless sine with RMSE < 0.05 (saved split and median of 5 seeds)', async () => {
    const n = 201;
    const xs = Array.from({ length: n }, (_, i) => -Math.PI + (2 * Math.PI * i) / (n - 1));
    const grid = join(tmp, 'grid.csv');
    writeFileSync(grid, ['x', ...xs.map(String)].join('\n') + '\n');
    const rmses: number[] = [];
    for (const seed of SEEDS) {
      const trained = join(tmp, `rbf-${seed}.netloom.json`);
      const t = await cli(
        'train',
        'examples/rbf-sine.netloom.json',
        '--split-seed',
        String(seed),
        '--out',
        trained,
        '--quiet',
      );
      expect(t.code).toBe(0);
      const out = join(tmp, `rbf-${seed}.csv`);
      const p = await cli('predict', trained, grid, '--out', out);
      expect(p.code).toBe(0);
      const lines = readFileSync(out, 'utf8').trim().split('\n');
      expect(lines[0]).toBe('row,y');
      const pred = lines.slice(1).map((l) => Number(l.split(',')[1]));
      expect(pred).toHaveLength(n);
      rmses.push(Math.sqrt(pred.reduce((s, v, i) => s + (v - Math.sin(xs[i])) ** 2, 0) / n));
    }
    expect(rmses[0]).toBeLessThan(0.05);
    expect(median(rmses)).toBeLessThan(0.05);
  });
});

describe('netloom predict', () => {
  it('writes class labels and probabilities equal to the in-process model (iris)', async () => {
    const trained = join(tmp, 'iris.netloom.json');
    expect((await cli('train', 'examples/iris.netloom.json', '--out', trained, '--quiet')).code).toBe(0);
    const out = join(tmp, 'iris-pred.csv');
    const r = await cli('predict', trained, 'examples/iris.csv', '--out', out);
    expect(r.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('row,predicted,p_setosa,p_versicolor,p_virginica');
    expect(lines).toHaveLength(151);
    // The same training in-process (same project, seeds) gives the same model.
    const project = loadProject(readFileSync('examples/iris.netloom.json'), { hooks: graphProjectHooks });
    const s = await runSession({ project, data: readFileSync('examples/iris.csv') });
    const rows = Int32Array.from({ length: 150 }, (_, i) => i);
    const probs = predictRows(s.model!, s.data!, rows);
    const labels = ['setosa', 'versicolor', 'virginica'];
    const csvLabels = readFileSync('examples/iris.csv', 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[4]);
    let correct = 0;
    lines.slice(1).forEach((line, i) => {
      const [row, label, ...p] = line.split(',');
      expect(Number(row)).toBe(i + 1);
      const mine = [0, 1, 2].map((k) => probs[i * 3 + k]);
      p.forEach((v, k) => expect(Number(v)).toBeCloseTo(mine[k], 6));
      expect(label).toBe(labels[mine.indexOf(Math.max(...mine))]);
      if (label === csvLabels[i]) correct++;
    });
    expect(correct / 150).toBeGreaterThan(0.93);
  });

  it('writes regression values in the units of the file (diabetes, z-scored target)', async () => {
    const trained = join(tmp, 'diabetes.netloom.json');
    expect((await cli('train', 'examples/diabetes.netloom.json', '--out', trained, '--quiet')).code).toBe(0);
    const out = join(tmp, 'diabetes-pred.csv');
    expect((await cli('predict', trained, 'examples/diabetes.csv', '--out', out)).code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('row,progression');
    const project = loadProject(readFileSync('examples/diabetes.netloom.json'), { hooks: graphProjectHooks });
    const s = await runSession({ project, data: readFileSync('examples/diabetes.csv') });
    const rows = Int32Array.from({ length: 442 }, (_, i) => i);
    const mine = toOriginalUnits(s.data!.recipe, predictRows(s.model!, s.data!, rows));
    const got = lines.slice(1).map((l) => Number(l.split(',')[1]));
    got.forEach((v, i) => expect(v).toBeCloseTo(mine[i], 3));
    // Original units: progression ranges 25–346 with mean 152.
    const mean = got.reduce((a, b) => a + b, 0) / got.length;
    expect(mean).toBeGreaterThan(130);
    expect(mean).toBeLessThan(175);
  });

  it('counts the rows it skips for missing values, naming their lines (singular/plural)', async () => {
    const trained = join(tmp, 'iris-2.netloom.json');
    expect(
      (await cli('train', 'examples/iris.netloom.json', '--epochs', '2', '--out', trained, '--quiet')).code,
    ).toBe(0);
    const header = 'sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm';
    const input = join(tmp, 'gaps.csv');
    // Lines 3, 4 and 5 lack a value; line 2 is complete.
    writeFileSync(input, `${header}\n5.1,3.5,1.4,0.2\n5.1,,1.4,0.2\n,3.5,1.4,0.2\n6.2,2.9,,1.3\n`);
    const out = join(tmp, 'gaps-pred.csv');
    const r = await cli('predict', trained, input, '--out', out);
    expect(r.code).toBe(0);
    expect(r.err).toContain('skipped 3 rows');
    expect(r.err).toContain("line 3 (missing 'sepal_width_cm'), line 4 (missing 'sepal_length_cm'), line 5");
    expect(r.err).toContain(`wrote 1 prediction to ${out}`);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(2);
    writeFileSync(input, `${header}\n5.1,3.5,1.4,0.2\n5.1,,1.4,0.2\n6.2,2.9,4.3,1.3\n`);
    const one = await cli('predict', trained, input, '--out', out);
    expect(one.err).toContain('skipped 1 row ');
    expect(one.err).toContain('line 3');
    expect(one.err).toContain('wrote 2 predictions');
    writeFileSync(input, `${header}\n5.1,3.5,1.4,0.2\n`);
    const none = await cli('predict', trained, input, '--out', out);
    expect(none.err).not.toContain('skipped');
  });

  it('explains a project without a trained model (exit 2)', async () => {
    const r = await cli(
      'predict',
      'examples/iris.netloom.json',
      'examples/iris.csv',
      '--out',
      join(tmp, 'x.csv'),
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain('has no trained model');
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});

describe('netloom train --continue', () => {
  it('continues a saved run to the same weights as an uninterrupted run, bit for bit', async () => {
    const a = join(tmp, 'wine-3.netloom.json');
    const b = join(tmp, 'wine-6.netloom.json');
    const c = join(tmp, 'wine-full.netloom.json');
    const opts = ['--quiet', '--split-seed', '7'];
    expect(
      (await cli('train', 'examples/wine.netloom.json', '--epochs', '3', '--out', a, ...opts)).code,
    ).toBe(0);
    expect((await cli('train', a, '--continue', '--epochs', '6', '--out', b, '--quiet')).code).toBe(0);
    expect(
      (await cli('train', 'examples/wine.netloom.json', '--epochs', '6', '--out', c, ...opts)).code,
    ).toBe(0);
    const lastRun = (f: string) => loadProject(readFileSync(f), { hooks: graphProjectHooks }).runs.at(-1)!;
    const cont = lastRun(b);
    const full = lastRun(c);
    expect(cont.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(cont.checkpoint!.epoch).toBe(6);
    const bits = (r: typeof cont) =>
      r.checkpoint!.weights.map((w) => Array.from(new Uint32Array(w.data.buffer)));
    expect(bits(cont)).toEqual(bits(full));
    const again = await cli('train', b, '--continue', '--epochs', '6');
    expect(again.code).toBe(2);
    expect(again.err).toContain('already has 6 epochs');
  });
});

describe('netloom export', () => {
  it('tells how to save a trained run when the project has none (exit 2)', async () => {
    const r = await cli(
      'export',
      'examples/iris.netloom.json',
      '--format',
      'json',
      '--out',
      join(tmp, 'e.json'),
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain('netloom train examples/iris.netloom.json --out examples/iris.netloom.json');
  });
});

describe('netloom validate', () => {
  it('passes every example (exit 0)', async () => {
    for (const name of ['xor', 'iris', 'rbf-sine']) {
      const r = await cli('validate', `examples/${name}.netloom.json`);
      expect(r.code).toBe(0);
      expect(r.out).toContain('ready to train');
    }
  });

  it('prints graph errors with their node and exits 2', async () => {
    const doc = JSON.parse(readFileSync('examples/iris.netloom.json', 'utf8')) as {
      graph: { edges: { target: string; targetPort: string }[] };
      dataset: { path: string };
    };
    doc.graph.edges = doc.graph.edges.filter((e) => e.targetPort !== 'optimizer');
    doc.dataset.path = `${process.cwd()}/examples/iris.csv`.replace(/^\//, '../'.repeat(20));
    const file = join(tmp, 'broken.netloom.json');
    writeFileSync(file, JSON.stringify(doc));
    const r = await cli('validate', file, '--data', 'examples/iris.csv');
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/error \[loss\] no-optimizer/);
  });

  it("prints the data's warnings with their column (constant pixels of digits: exit 0)", async () => {
    const r = await cli('validate', 'examples/digits.netloom.json');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/warning constant-column: \[column 'pixel_0_0'\]/);
  });

  it('prints every data error with its line (exit 2)', async () => {
    const bad = join(tmp, 'iris-bad.csv');
    const lines = readFileSync('examples/iris.csv', 'utf8').trim().split('\n');
    lines[5] += ',9';
    lines[9] += ',9';
    writeFileSync(bad, lines.join('\n'));
    const r = await cli('validate', 'examples/iris.netloom.json', '--data', bad);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/error field-count: Line 6: expected 5 fields but found 6/);
    expect(r.out).toMatch(/error field-count: Line 10: expected 5 fields but found 6/);
  });

  it('reports a file that is not a project (exit 2, no stack trace)', async () => {
    const r = await cli('validate', 'examples/iris.csv');
    expect(r.code).toBe(2);
    expect(r.out).toContain('not a usable Netloom project');
  });
});

describe('netloom train errors', () => {
  it('exits 3 naming epoch and batch when the loss diverges, and saves the last finite weights', async () => {
    const doc = JSON.parse(readFileSync('examples/linear-regression.netloom.json', 'utf8')) as {
      graph: { nodes: { id: string; params: Record<string, unknown> }[] };
      dataset: { path: string };
    };
    doc.graph.nodes.find((n) => n.id === 'opt')!.params.lr = 10;
    const file = join(tmp, 'diverge.netloom.json');
    writeFileSync(file, JSON.stringify(doc));
    const out = join(tmp, 'diverged.netloom.json');
    const r = await cli('train', file, '--data', 'examples/linear-regression.csv', '--out', out, '--quiet');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/epoch \d+, batch \d+/);
    const saved = loadProject(readFileSync(out), { hooks: graphProjectHooks });
    const run = saved.runs.at(-1)!;
    expect(run.status).toBe('failed');
    expect(run.checkpoint!.weights.every((w) => Array.from(w.data).every(Number.isFinite))).toBe(true);
  });

  it('predict refuses a failed run or non-finite weights (exit 2) and --run picks an earlier run', async () => {
    // A completed, pinned run-1 (keeps its weights), then a diverged run-2 saved with --out.
    const good = join(tmp, 'lin-good.netloom.json');
    const r1 = await cli('train', 'examples/linear-regression.netloom.json', '--out', good, '--quiet');
    expect(r1.code).toBe(0);
    const doc = JSON.parse(readFileSync(good, 'utf8')) as {
      graph: { nodes: { id: string; params: Record<string, unknown> }[] };
      runs: { id: string; pinned: boolean }[];
      dataset: { path: string };
    };
    doc.runs[0].pinned = true;
    doc.graph.nodes.find((n) => n.id === 'opt')!.params.lr = 10;
    const pinned = join(tmp, 'lin-pinned.netloom.json');
    writeFileSync(pinned, JSON.stringify(doc));
    const bad = join(tmp, 'lin-bad.netloom.json');
    const data = 'examples/linear-regression.csv';
    expect((await cli('train', pinned, '--data', data, '--out', bad, '--quiet')).code).toBe(3);
    const saved = loadProject(readFileSync(bad), { hooks: graphProjectHooks });
    expect(saved.runs.map((r) => r.status)).toEqual(['completed', 'failed']);
    const firstId = saved.runs[0].id;

    const refused = await cli('predict', bad, data, '--out', join(tmp, 'bad-pred.csv'));
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(`run '${saved.runs[1].id}'`);
    expect(refused.err).toContain('failed');
    expect(refused.err).toContain('lower learning rate');
    expect(refused.err).toContain(`--run ${firstId}`);
    expect(refused.err).not.toMatch(/\n\s+at /);

    // --run with the completed run predicts exactly what the project with only that run predicts.
    const viaRun = join(tmp, 'via-run.csv');
    const direct = join(tmp, 'direct.csv');
    expect((await cli('predict', bad, data, '--out', viaRun, '--run', firstId)).code).toBe(0);
    expect((await cli('predict', good, data, '--out', direct)).code).toBe(0);
    expect(readFileSync(viaRun, 'utf8')).toBe(readFileSync(direct, 'utf8'));
    expect((await cli('predict', bad, data, '--out', viaRun, '--run', 'nope')).code).toBe(2);

    // A completed run whose weights hold a NaN is refused too.
    const run = saved.runs[0];
    const w0 = run.checkpoint!.weights[0];
    const poisoned = {
      ...run,
      checkpoint: { ...run.checkpoint!, weights: [{ ...w0, data: w0.data.slice() }] },
    };
    poisoned.checkpoint.weights[0].data[0] = Number.NaN;
    expect(unusableReason(run)).toBeNull();
    expect(unusableReason(poisoned)).toContain(`'${w0.name}' is not finite`);
    expect(() => trainedModelOf({ ...saved, runs: [poisoned] }, 'p.json')).toThrow(CliFailure);
  });

  it('gives usage errors exit 2 and a clear line for missing files and WebGPU', async () => {
    expect((await cli('train')).code).toBe(2);
    expect((await cli('train', 'examples/iris.netloom.json', '--epochs', 'many')).code).toBe(2);
    const missing = await cli('train', 'nope.netloom.json');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("Project file not found: 'nope.netloom.json'");
    // Where no WebGPU adapter is offered (here: switched off), an explicit webgpu run is refused.
    const saved = process.env.NETLOOM_WEBGPU;
    process.env.NETLOOM_WEBGPU = '0';
    try {
      const gpu = await cli('train', 'examples/iris.netloom.json', '--backend', 'webgpu');
      expect(gpu.code).toBe(2);
      expect(gpu.err).toContain('--backend cpu');
    } finally {
      if (saved === undefined) delete process.env.NETLOOM_WEBGPU;
      else process.env.NETLOOM_WEBGPU = saved;
    }
  });

  it('prints a progress line per epoch block and the metrics table', async () => {
    const r = await cli('train', 'examples/iris.netloom.json', '--epochs', '5');
    expect(r.code).toBe(0);
    expect(r.err).toContain('epoch 5/5');
    expect(r.out).toMatch(/metric\s+train\s+validation/);
    expect(r.out).toMatch(/accuracy\s+\d\.\d{4}\s+\d\.\d{4}/);
  });
});

describe('netloom lecture', () => {
  it('prints the standardization table (same implementation as npm run lecture)', async () => {
    const r = await cli('lecture', 'standardization');
    expect(r.code).toBe(0);
    expect(r.out).toContain('z-scored x');
  });

  it('names the experiments for an unknown one (exit 2)', async () => {
    const r = await cli('lecture', 'nope');
    expect(r.code).toBe(2);
    expect(r.err).toContain('xor-init');
  });
});
