/**
 * Test models for the exporters: graphs over the fixture datasets (and a small CSV with a categorical
 * column and missing values), compiled by engine/compile, with seeded random weights (non-trivial
 * BatchNorm statistics and RBF widths), plus Netloom's own reference predictions on raw CSV rows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tensor, tidy } from '../../../engine/index';
import {
  applyRecipe,
  inverseTargets,
  prepareDataset,
  readTable,
  type PrepareOptions,
} from '../../../engine/data';
import { exportModelFromParts, outputHead, type ExportModel } from '../../../engine/export';
import { compileGraph } from '../../../engine/compile';
import { datasetInfoOf } from '../../../engine/graph';
import { Rng } from '../../../engine/random/rng';
import { G } from '../graph/build';

export const FIXTURES = join(__dirname, '../../fixtures/data');
export const csvBytes = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));

/** A CSV with a categorical feature (one missing cell, most-frequent imputed), a missing numeric cell (mean-imputed), a constant column and text labels. */
export const CATEGORICAL_CSV = [
  'dose,site,const,weight,label',
  ...Array.from({ length: 60 }, (_, i) => {
    const site = i === 11 ? 'NA' : ['north', 'south', 'east'][i % 3];
    const dose = i === 7 ? '' : String((i * 37) % 11) + '.' + String(i % 7);
    const weight = (50 + ((i * 13) % 29) + (i % 3) * 2.5).toFixed(2);
    const label = (i * 7) % 5 < 2 ? 'sick' : i % 4 === 0 ? 'unclear' : 'healthy';
    return `${dose},${site},3,${weight},${label}`;
  }),
].join('\n');

/** Every activation in sequence (each after its own Dense), and every layer type around them. */
export function zooGraph(): G {
  const acts: [string, Record<string, unknown>][] = [
    ['identity', {}],
    ['sigmoid', {}],
    ['tanh', {}],
    ['soboleva_tanh', { a: 0.9, b: 0.8, c: 1.1, d: 1.2 }], // bounded: a ≤ c, d ≥ b
    ['soboleva_tanh', {}],
    ['lecun_tanh', {}],
    ['relu', {}],
    ['leaky_relu', { slope: 0.2 }],
    ['prelu', {}],
    ['gelu', {}],
    ['gelu', { approximate: 'tanh' }],
    ['elu', { alpha: 0.7 }],
    ['selu', {}],
    ['silu', {}],
    ['gaussian', {}],
    ['softplus', {}],
    ['binary_step', {}],
    ['softmax', {}],
  ];
  const g = new G().node('data', 'Dataset');
  // Branch A: RBF on the features; branch B: BatchNorm → Maxout; joined by Concat.
  g.node('rbf', 'RBF', { centres: 5 }).chain('data', 'rbf');
  g.node('bn0', 'BatchNorm').node('mx', 'Maxout', { units: 6, pieces: 3 }).chain('data', 'bn0', 'mx');
  g.node('cat', 'Concat').edge('rbf.out', 'cat.in').edge('mx.out', 'cat.in');
  // Each activation on its own branch (so every one of them shapes the output), joined by a Concat.
  g.node('acts', 'Concat');
  acts.forEach(([name, params], i) => {
    g.node(`d${i}`, 'Dense', { units: 4 })
      .node(`a${i}`, `Activation.${name}`, params)
      .chain('cat', `d${i}`, `a${i}`);
    g.edge(`a${i}.out`, 'acts.in');
  });
  const prev = 'acts';
  // Residual: Add of two Dense branches, then Dropout and a BatchNorm without affine.
  g.node('r1', 'Dense', { units: 7 }).node('r2', 'Dense', { units: 7, bias: false }).chain(prev, 'r1');
  g.chain(prev, 'r2');
  g.node('sum', 'Add').edge('r1.out', 'sum.in').edge('r2.out', 'sum.in');
  g.node('drop', 'Dropout', { rate: 0.3 })
    .node('bn1', 'BatchNorm', { affine: false, eps: 1e-3 })
    .chain('sum', 'drop', 'bn1');
  g.node('out', 'Dense', { units: 'auto' }).node('sm', 'Activation.softmax').chain('bn1', 'out', 'sm');
  g.node('loss', 'Loss.cross_entropy').node('opt', 'Optimizer.adam');
  return g
    .edge('sm.out', 'loss.prediction')
    .edge('data.targets', 'loss.target')
    .edge('opt.optimizer', 'loss.optimizer');
}

/** Dense → tanh → Dense(auto) → loss (logits or values). */
export function mlpGraph(loss: string, hidden = 6): G {
  return new G()
    .node('data', 'Dataset')
    .node('h', 'Dense', { units: hidden })
    .node('act', 'Activation.tanh')
    .node('out', 'Dense', { units: 'auto' })
    .node('loss', loss)
    .node('opt', 'Optimizer.sgd')
    .chain('data', 'h', 'act', 'out')
    .edge('out.out', 'loss.prediction')
    .edge('data.targets', 'loss.target')
    .edge('opt.optimizer', 'loss.optimizer');
}

export interface Case {
  name: string;
  model: ExportModel;
  /** The raw CSV text (for ONNX / PyTorch inputs). */
  csv: string;
  /** Netloom's predictions for the rows of the CSV: probabilities [rows × K] or values [rows × T] in file units. */
  expected: Float64Array;
  rows: number;
  width: number;
}

/** Builds a case: prepare the CSV, compile the graph, draw weights from a seeded Rng, predict. */
export function makeCase(
  name: string,
  graph: G,
  csv: string,
  prepare: PrepareOptions,
  seed = 1,
  weightScale = 1,
): Case {
  const table = readTable(csv);
  const data = prepareDataset(table, prepare);
  const compiled = compileGraph(graph, { dataset: datasetInfoOf(data), seed });
  const rng = new Rng(seed + 100);
  const weights = compiled.store.entries.map((e) => {
    const d = new Float32Array(e.size);
    const local = e.name.slice(e.name.lastIndexOf('.') + 1);
    for (let i = 0; i < d.length; i++) {
      if (local === 'running_var' || local === 'widths') d[i] = rng.uniform(0.5, 2);
      else if (local === 'running_mean') d[i] = rng.uniform(-0.5, 0.5);
      else d[i] = rng.normal() * 0.6 * weightScale;
    }
    return { name: e.name, shape: [...e.shape], data: d };
  });
  const model = exportModelFromParts({
    graph,
    weights,
    recipe: data.recipe,
    appVersion: '0.1.0-test',
    name,
    epoch: 3,
  });
  const applied = applyRecipe(readTable(csv), data.recipe);
  const head = outputHead(model);
  const out = tidy(() => {
    const x = tensor(applied.features, [applied.rows, data.recipe.featureWidth]);
    const y = model.compiled.forward(x, { training: false });
    return Float64Array.from(model.compiled.toProbabilities(y).dataSync());
  });
  let expected: Float64Array = out;
  let width = model.compiled.outputWidth;
  if (data.recipe.task === 'regression') expected = inverseTargets(data.recipe, out);
  else if (head.binary1) {
    expected = new Float64Array(applied.rows * 2);
    out.forEach((p, i) => {
      expected[2 * i] = 1 - p;
      expected[2 * i + 1] = p;
    });
    width = 2;
  }
  return { name, model, csv, expected, rows: applied.rows, width };
}

/** The standard set of cases the exporters are checked on. */
export function standardCases(): Case[] {
  const text = (f: string) => readFileSync(join(FIXTURES, f), 'utf8');
  return [
    makeCase('zoo-iris', zooGraph(), text('iris.csv'), { featureScaling: 'z-score' }),
    // Large weights drive every activation deep into its tails (overflow-prone forms: softplus, ELU, Soboleva, GELU).
    makeCase('zoo-iris-large', zooGraph(), text('iris.csv'), { featureScaling: 'z-score' }, 2, 25),
    makeCase('binary-breast-cancer', mlpGraph('Loss.bce_logits'), text('breast_cancer.csv'), {
      featureScaling: 'min-max',
    }),
    makeCase('regression-linnerud-zca', mlpGraph('Loss.mse'), text('linnerud.csv'), {
      featureScaling: 'zca',
      targetScaling: 'z-score',
      targets: ['weight', 'waist', 'pulse'],
    }),
    makeCase('categorical', mlpGraph('Loss.cross_entropy_logits'), CATEGORICAL_CSV, {
      featureScaling: 'z-score',
      columns: { dose: { missing: 'mean' }, site: { missing: 'most-frequent' } },
    }),
  ];
}
