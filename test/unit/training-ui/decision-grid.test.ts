// The decision map's grid (src-renderer/training/decision-grid): the grid holds every other feature
// at its training-split mean in original units (checked against means computed here from the raw CSV
// text) and passes through the saved preprocessing like a prediction; on a hand-built linear model
// (Dense → BCE with logits, weights set by hand) the predicted class flips exactly where the closed
// form w·s(x) + b = 0 puts the boundary.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exportModelFromParts, type ExportModel } from '../../../engine/export';
import { compileGraph } from '../../../engine/compile';
import { applyRecipe } from '../../../engine/data';
import { readTable } from '../../../engine/data/reader';
import type { DataRecipe } from '../../../engine/data';
import { graphProjectHooks } from '../../../engine/graph';
import type { Graph } from '../../../engine/graph/types';
import { loadProject, type Project } from '../../../engine/project';
import { Rng } from '../../../engine/random/rng';
import { datasetInfoOfRecipe, importSettingsOf, prepareForTraining } from '../../../engine/session/dataset';
import { runRecord, runSession, weightsOf, withPreprocessing } from '../../../engine/session/run';
import {
  cellCentres,
  decisionMap,
  gridCsv,
  paddedRange,
  trainingView,
} from '../../../src-renderer/training/decision-grid';
import { trainedModel } from '../../../src-renderer/training/predict-core';

const irisProject = (): Project =>
  loadProject(readFileSync('examples/iris.netloom.json', 'utf8'), { hooks: graphProjectHooks });
const irisText = readFileSync('examples/iris.csv', 'utf8');
const irisBytes = new TextEncoder().encode(irisText);

async function trainedIris(): Promise<Project> {
  const p0 = irisProject();
  const result = await runSession({ project: p0, data: irisBytes, epochs: 2 });
  const p = withPreprocessing(p0, result.data!);
  return { ...p, runs: [runRecord(p, result, 'run-1', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z')] };
}

/** Raw CSV cells (header + rows), split by hand: iris.csv has no quoting. */
function rawCsv(text: string): { header: string[]; rows: string[][] } {
  const lines = text.trim().split(/\r?\n/);
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

describe('decision-map grid', () => {
  it('holds the other features at their training-split mean (original units)', async () => {
    const project = await trainedIris();
    const model = trainedModel(project);
    const settings = importSettingsOf(project.dataset!.importSettings);
    const view = trainingView(model.recipe, irisBytes, settings);
    // Independent means: the training rows' cells as written in the file.
    const split = prepareForTraining(irisBytes, settings, model.recipe.seed);
    const { header, rows } = rawCsv(irisText);
    const trainLines = Array.from(split.trainRows, (i) => rows[split.sourceRows[i] - 1]);
    expect(trainLines).toHaveLength(120);
    for (const name of view.numeric) {
      const col = header.indexOf(name);
      const mean = trainLines.reduce((s, r) => s + Number(r[col]), 0) / trainLines.length;
      expect(view.means[name]).toBeCloseTo(mean, 5);
    }
    const [xName, yName, ...others] = view.numeric;
    const x = { name: xName, ...paddedRange(view.ranges[xName]) };
    const y = { name: yName, ...paddedRange(view.ranges[yName]) };
    const n = 7;
    const grid = rawCsv(gridCsv(model.recipe, view, x, y, n));
    expect(grid.header).toEqual(model.recipe.features.map((f) => f.name));
    expect(grid.rows).toHaveLength(n * n);
    const xs = cellCentres(x, n);
    const ys = cellCentres(y, n);
    grid.rows.forEach((r, c) => {
      expect(Number(r[grid.header.indexOf(xName)])).toBe(xs[c % n]);
      expect(Number(r[grid.header.indexOf(yName)])).toBe(ys[Math.floor(c / n)]);
      for (const o of others) expect(Number(r[grid.header.indexOf(o)])).toBe(view.means[o]);
    });
    // Through the saved preprocessing (z-score): the held features encode to (mean − shift) / scale.
    const applied = applyRecipe(readTable(gridCsv(model.recipe, view, x, y, n)), model.recipe);
    for (const o of others) {
      const f = model.recipe.features.find((g) => g.name === o)!;
      const want = (view.means[o] - f.scaler!.shift) / f.scaler!.scale;
      for (let c = 0; c < n * n; c++)
        expect(applied.features[c * model.recipe.featureWidth + f.offset!]).toBeCloseTo(want, 5);
    }
    // The full map: one prediction per cell, points from the validation split.
    const map = decisionMap(model, view, xName, yName, 20);
    expect(map.predicted).toHaveLength(400);
    expect(map.points.split).toBe('validation');
    expect(map.points.x).toHaveLength(30);
    expect(Object.keys(map.heldAt)).toEqual(others);
    for (const p of map.confidence) expect(p).toBeGreaterThanOrEqual(1 / 3 - 1e-6);
  });

  it('puts the boundary of a hand-built linear model where the closed form says', () => {
    // Synthetic binary data: three numeric features, labels from a noisy rule (the labels only
    // shape the split; the weights below are set by hand).
    const rng = new Rng(11);
    const lines = ['a,b,c,label'];
    for (let i = 0; i < 200; i++) {
      const a = rng.uniform(-3, 5);
      const b = rng.uniform(10, 30);
      const c = rng.uniform(0, 1);
      lines.push(`${a},${b},${c},${a + 0.2 * b + rng.normal() > 5 ? 'pos' : 'neg'}`);
    }
    const bytes = new TextEncoder().encode(lines.join('\n') + '\n');
    const settings = {
      prepare: {
        featureScaling: 'z-score' as const,
        seed: 3,
        split: { train: 0.8, validation: 0.2, test: 0 },
        targets: ['label'],
      },
    };
    const recipe: DataRecipe = prepareForTraining(bytes, settings).recipe;
    expect(recipe.task).toBe('binary');
    const graph = {
      nodes: [
        { id: 'data', type: 'Dataset', version: 1, position: { x: 0, y: 0 }, params: {} },
        { id: 'out', type: 'Dense', version: 1, position: { x: 0, y: 0 }, params: { units: 'auto' } },
        { id: 'loss', type: 'Loss.bce_logits', version: 1, position: { x: 0, y: 0 }, params: {} },
        { id: 'opt', type: 'Optimizer.sgd', version: 1, position: { x: 0, y: 0 }, params: { lr: 0.1 } },
      ],
      edges: [
        { id: 'e1', source: 'data', sourcePort: 'features', target: 'out', targetPort: 'in' },
        { id: 'e2', source: 'out', sourcePort: 'out', target: 'loss', targetPort: 'prediction' },
        { id: 'e3', source: 'data', sourcePort: 'targets', target: 'loss', targetPort: 'target' },
        { id: 'e4', source: 'opt', sourcePort: 'optimizer', target: 'loss', targetPort: 'optimizer' },
      ],
    } as unknown as Graph;
    const compiled = compileGraph(graph, { dataset: datasetInfoOfRecipe(recipe), seed: 0 });
    const w = [1.5, -2.0, 0.7]; // per feature a, b, c (recipe order), on the z-scored inputs
    const bias = 0.3;
    const weights = weightsOf(compiled).map((t) => ({
      ...t,
      data: Float32Array.from(t.name === 'out.weight' ? w : [bias]),
    }));
    expect(weights.map((t) => t.name)).toEqual(['out.weight', 'out.bias']);
    const model: ExportModel = exportModelFromParts({ graph, weights, recipe, appVersion: 'test' });
    const view = trainingView(recipe, bytes, settings);
    const n = 50;
    const map = decisionMap(model, view, 'a', 'b', n);
    expect(map.classes).toEqual(['neg', 'pos']);
    const z = (name: string, v: number) => {
      const f = recipe.features.find((g) => g.name === name)!;
      return (v - f.scaler!.shift) / f.scaler!.scale;
    };
    const { shift: sa, scale: ka } = recipe.features.find((g) => g.name === 'a')!.scaler!;
    const xs = cellCentres(map.x, n);
    const ys = cellCentres(map.y, n);
    let flips = 0;
    for (let j = 0; j < n; j++) {
      // Closed form: 1.5·z_a(a*) − 2·z_b(y_j) + 0.7·z_c(mean c) + 0.3 = 0 → a*.
      const rest = w[1] * z('b', ys[j]) + w[2] * z('c', view.means.c) + bias;
      const aStar = sa + ka * (-rest / w[0]);
      for (let i = 0; i < n; i++) {
        if (Math.abs(xs[i] - aStar) < 1e-3) continue; // too close to call in float32
        expect(map.predicted[j * n + i], `cell (${i}, ${j})`).toBe(xs[i] > aStar ? 1 : 0);
      }
      if (aStar > map.x.min && aStar < map.x.max) flips++;
    }
    // The boundary crosses the plot (the check above is not vacuous).
    expect(flips).toBeGreaterThan(n / 3);
    expect(Array.from(map.predicted).filter((k) => k === 1).length).toBeGreaterThan(n);
    expect(Array.from(map.predicted).filter((k) => k === 0).length).toBeGreaterThan(n);
  });
});
