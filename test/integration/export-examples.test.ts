/**
 * `netloom export` end to end on every shipped example: each project is trained briefly in-process
 * (engine/session), saved, exported through the CLI, and the ONNX file is run by onnxruntime-node on the
 * raw CSV columns — its outputs must equal Netloom's own predictions (compile's forward on the stored
 * recipe's features) within 1e−5 + 1e−5·|value|. Also: the other formats through the CLI, and clear
 * refusals (untrained project, bad arguments).
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRecipe, inverseTargets, readTable } from '../../engine/data';
import { categoricalInputName, exportModelFromProject, outputHead } from '../../engine/export';
import { graphProjectHooks } from '../../engine/graph';
import { tensor, tidy } from '../../engine/index';
import { loadProject, serializeProject, type Project } from '../../engine/project';
import { runRecord, runSession, withPreprocessing } from '../../engine/session/run';
import { main } from '../../src-main/cli/netloom';
import { closeTo, rawColumns } from '../unit/export/raw';

const PY = '/usr/bin/python3';
const torchOk = spawnSync(PY, ['-c', 'import torch, numpy'], { encoding: 'utf8' }).status === 0;
if (!torchOk)
  console.warn(
    `\n*** SKIPPING the PyTorch part of the export example tests: ${PY} cannot import torch and numpy. ***\n`,
  );
const EXAMPLES = join(__dirname, '../../examples');
const names = existsSync(EXAMPLES)
  ? readdirSync(EXAMPLES)
      .filter((f) => f.endsWith('.netloom.json'))
      .map((f) => f.slice(0, -'.netloom.json'.length))
      .sort()
  : [];

let dir: string;
const trained = new Map<string, { file: string; project: Project; csv: string }>();

function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  return main(args, { out: (t) => void (out += t + '\n'), err: (t) => void (err += t + '\n') }).then(
    (code) => ({ code, out, err }),
  );
}

/** Trains an example for 2 epochs and saves it (with its run and fitted preprocessing) to the temp folder. */
async function trainExample(name: string): Promise<{ file: string; project: Project; csv: string }> {
  const project = loadProject(readFileSync(join(EXAMPLES, `${name}.netloom.json`)), {
    hooks: graphProjectHooks,
  });
  const csvPath = join(EXAMPLES, project.dataset!.path);
  const bytes = new Uint8Array(readFileSync(csvPath));
  const result = await runSession({ project, data: bytes, epochs: 2, yieldEveryMs: 1e9 });
  expect(result.status, `${name}: ${JSON.stringify(result.terminal)}`).toBe('completed');
  const withRun: Project = {
    ...withPreprocessing(project, result.data!),
    runs: [runRecord(project, result, 'r1', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z')],
  };
  const file = join(dir, `${name}.netloom.json`);
  writeFileSync(file, serializeProject(withRun));
  writeFileSync(join(dir, project.dataset!.path), bytes);
  return {
    file,
    project: loadProject(readFileSync(file), { hooks: graphProjectHooks }),
    csv: readFileSync(csvPath, 'utf8'),
  };
}

/** Netloom's predictions for every usable row of the CSV: the trained model (compile's forward) on the recipe's features. */
function netloomPredictions(project: Project, csv: string) {
  const model = exportModelFromProject(project);
  const applied = applyRecipe(readTable(csv), model.recipe);
  let expected: Float64Array = tidy(() =>
    Float64Array.from(
      model.compiled
        .toProbabilities(
          model.compiled.forward(tensor(applied.features, [applied.rows, model.recipe.featureWidth]), {
            training: false,
          }),
        )
        .dataSync(),
    ),
  );
  if (model.task === 'regression') expected = inverseTargets(model.recipe, expected);
  else if (outputHead(model).binary1)
    expected = Float64Array.from({ length: expected.length * 2 }, (_, i) =>
      i % 2 ? expected[i >> 1] : 1 - expected[i >> 1],
    );
  return { model, expected, rows: applied.rows };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'netloom-export-'));
  for (const n of names) trained.set(n, await trainExample(n));
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('netloom export on the examples', () => {
  it('finds the examples', () => {
    expect(names.length).toBeGreaterThanOrEqual(5);
  });

  it.each(names)(
    '%s: the ONNX export run by onnxruntime-node equals Netloom from the raw CSV',
    async (name) => {
      const { file, project, csv } = trained.get(name)!;
      const out = join(dir, `${name}.onnx`);
      const r = await cli(['export', file, '--format', 'onnx', '--out', out]);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(/Exported .* as onnx/);

      const { model, expected, rows } = netloomPredictions(project, csv);
      const raw = rawColumns(model, csv);
      const feeds: Record<string, OrtTensor> = {
        features: new OrtTensor('float32', raw.numeric, [raw.rows, raw.numericNames.length]),
      };
      for (const [col, texts] of raw.categorical)
        feeds[categoricalInputName(col)] = new OrtTensor('string', texts, [raw.rows, 1]);
      const session = await InferenceSession.create(readFileSync(out));
      const res = await session.run(feeds);
      const got = (model.task === 'regression' ? res.prediction : res.probabilities).data as Float32Array;
      expect(raw.rows).toBe(rows);
      closeTo(got, expected, `${name} ONNX`);
    },
  );

  it.runIf(torchOk)(
    'the PyTorch scripts of every example predict as Netloom (one python3 run)',
    async () => {
      const dirs: string[] = [];
      for (const name of names) {
        const sub = join(dir, `pt-${name}`);
        mkdirSync(sub);
        const r = await cli([
          'export',
          trained.get(name)!.file,
          '--format',
          'pytorch',
          '--out',
          join(sub, 'model.py'),
        ]);
        expect(r.code, r.err).toBe(0);
        writeFileSync(join(sub, 'data.csv'), trained.get(name)!.csv);
        dirs.push(sub);
      }
      const py = spawnSync(PY, [join(__dirname, '../python/check_export.py'), ...dirs], {
        encoding: 'utf8',
        env: { ...process.env, OMP_NUM_THREADS: '1' },
        timeout: 180_000,
      });
      expect(py.status, py.stderr).toBe(0);
      names.forEach((name, k) => {
        const { project, csv } = trained.get(name)!;
        const { model, expected, rows } = netloomPredictions(project, csv);
        const lines = readFileSync(join(dirs[k], 'pred.csv'), 'utf8').trim().split(/\r?\n/);
        expect(lines.length - 1).toBe(rows);
        const values = lines.slice(1).flatMap((l) =>
          l
            .split(',')
            .slice(model.task === 'regression' ? 1 : 2)
            .map(Number),
        );
        closeTo(values, expected, `${name} PyTorch`);
      });
    },
    200_000,
  );

  it('writes json, safetensors and the PyTorch script (+ weights next to it) through the CLI', async () => {
    const { file, project } = trained.get(names.includes('iris') ? 'iris' : names[0])!;
    for (const [format, out] of [
      ['json', 'm.json'],
      ['safetensors', 'm.safetensors'],
      ['pytorch', 'script.py'],
    ]) {
      const r = await cli(['export', file, '--format', format, '--out', join(dir, out)]);
      expect(r.code, r.err).toBe(0);
    }
    const doc = JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8')) as {
      classes: string[];
      app: { version: string };
    };
    expect(doc.classes).toEqual(exportModelFromProject(project).classes);
    expect(doc.app.version).toBe(
      JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')).version,
    );
    expect(readFileSync(join(dir, 'script.py'), 'utf8')).toContain('class NetloomModel(nn.Module)');
    expect(readFileSync(join(dir, 'script.safetensors')).length).toBeGreaterThan(8);
  });

  it('refuses clearly: an untrained project, an unknown format, missing arguments', async () => {
    const untrained = join(EXAMPLES, `${names[0]}.netloom.json`);
    const r1 = await cli(['export', untrained, '--format', 'onnx', '--out', join(dir, 'x.onnx')]);
    expect(r1.code).toBe(2);
    expect(r1.err).toMatch(/has no trained model\. Train it first: netloom train \S+ --out \S+/);
    const r2 = await cli(['export', untrained, '--format', 'tflite', '--out', 'x']);
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/unknown format 'tflite'; use one of json, safetensors, onnx, pytorch/);
    const r3 = await cli(['export', untrained, '--format', 'onnx']);
    expect(r3.code).toBe(2);
    expect(r3.err).toMatch(/--out/);
  });
});
