import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  foldTable,
  graphProject,
  histogram,
  runExperimentRequest,
  type ExperimentMessage,
} from '../../../src-renderer/training/experiments';
import { exampleCsv } from './helpers';

const irisDoc = () =>
  JSON.parse(readFileSync('examples/iris.netloom.json', 'utf8')) as Record<string, unknown>;

describe('experiments worker protocol (current graph)', () => {
  it('streams progress, then the result, then done', async () => {
    const got: ExperimentMessage[] = [];
    await runExperimentRequest(
      {
        type: 'graph',
        input: { project: irisDoc(), data: exampleCsv('iris'), importSettings: null },
        experiment: { type: 'gradient-flow', seeds: 2, batch: 'first' },
      },
      (m) => got.push(m),
    );
    expect(got.map((m) => m.type)).toEqual(['progress', 'progress', 'gradient-flow', 'done']);
    const gf = got[2] as Extract<ExperimentMessage, { type: 'gradient-flow' }>;
    expect(gf.result.seeds).toEqual([42, 43]);
    expect(gf.result.layers.map((l) => l.nodeId)).toEqual(['hidden', 'out']);
  });

  it("applies the wizard's import settings over the project's", () => {
    const p = graphProject({
      project: irisDoc(),
      data: exampleCsv('iris'),
      importSettings: { prepare: { featureScaling: 'min-max', targets: ['species'] } },
    });
    expect(p.dataset?.importSettings).toEqual({
      prepare: { featureScaling: 'min-max', targets: ['species'] },
    });
  });

  it('a graph that cannot train becomes an error message naming the problem', async () => {
    const doc = irisDoc();
    const graph = doc.graph as { edges: { target: string }[] };
    graph.edges = graph.edges.filter((e) => e.target !== 'loss');
    const got: ExperimentMessage[] = [];
    await runExperimentRequest(
      {
        type: 'graph',
        input: { project: doc, data: exampleCsv('iris'), importSettings: null },
        experiment: { type: 'lr-finder', lrMin: 1e-6, lrMax: 1, steps: 20 },
      },
      (m) => got.push(m),
    );
    expect(got.map((m) => m.type)).toEqual(['error']);
    expect((got[0] as { message: string }).message.length).toBeGreaterThan(10);
  });
});

describe('result tables', () => {
  it('foldTable appends mean and sd rows', () => {
    const t = foldTable({
      k: 2,
      folds: [
        { fold: 0, trainRows: 5, validationRows: 5, metrics: { 'validation.loss': 1 }, problem: null },
        { fold: 1, trainRows: 5, validationRows: 5, metrics: { 'validation.loss': 3 }, problem: null },
      ],
      metrics: ['validation.loss'],
      summary: { 'validation.loss': { mean: 2, sd: Math.SQRT2 } },
    });
    expect(t.header).toEqual(['fold', 'train rows', 'validation rows', 'validation.loss']);
    expect(t.rows.map((r) => r[0])).toEqual([1, 2, 'mean', 'sd']);
  });

  it('histogram counts every finite value once', () => {
    const h = histogram([0, 0.1, 0.5, 0.9, 1, NaN], 2);
    expect(h.edges).toEqual([0, 0.5, 1]);
    expect(h.counts).toEqual([2, 3]);
  });
});
