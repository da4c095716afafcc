/** Every exporter refuses, with a message that says what and what to do, what it cannot represent. */
import { describe, expect, it } from 'vitest';
import { createProject, type Project } from '../../../engine/project';
import {
  exportModelFromParts,
  exportModelFromProject,
  exportOnnx,
  exportPytorch,
  exportSafetensors,
  exportWeightsJson,
  ExportError,
} from '../../../engine/export';
import { standardCases } from './models';

describe('export refusals', () => {
  const [zoo] = standardCases();

  it('a project without a trained run or without fitted preprocessing', () => {
    const p: Project = createProject({ name: 'p', appVersion: '0.1.0' });
    expect(() => exportModelFromProject(p)).toThrow(
      /no trained weights: train it first \(netloom train <project> --out <project>\)/,
    );
    const run = {
      id: 'r',
      pinned: false,
      status: 'completed' as const,
      startedAt: '2026-01-01T00:00:00Z',
      finishedAt: '2026-01-01T00:00:01Z',
      settings: p.training,
      graph: zoo.model.graph as Project['graph'],
      history: [],
      final: null,
      checkpoint: { epoch: 1, step: 1, weights: [], optimizerState: null, rngState: null },
    };
    expect(() => exportModelFromProject({ ...p, runs: [run] })).toThrow(/no fitted preprocessing/);
    // A failed latest run is refused unless asked for by name (its weights may have diverged).
    const failed = { ...run, id: 'bad', status: 'failed' as const };
    expect(() => exportModelFromProject({ ...p, runs: [run, failed] })).toThrow(
      /latest trained run 'bad' failed .* retrain/,
    );
    expect(() => exportModelFromProject({ ...p, runs: [run, failed] }, { run: failed })).toThrow(
      /no fitted preprocessing/,
    );
  });

  it('weights that do not fit the graph name the tensor', () => {
    const weights = zoo.model.compiled.store.entries.map((e) => ({
      name: e.name,
      shape: [...e.shape],
      data: new Float32Array(e.size),
    }));
    weights[0] = { ...weights[0], shape: [1], data: new Float32Array(1) };
    expect(() =>
      exportModelFromParts({ graph: zoo.model.graph, weights, recipe: zoo.model.recipe, appVersion: 'x' }),
    ).toThrow(
      new RegExp(`cannot be rebuilt for export: .*'${weights[0].name.replace('.', '\\.')}' is \\[1\\]`),
    );
  });

  it('a non-finite weight is refused by every format', () => {
    const e = zoo.model.compiled.store.entries.find((x) => x.name.endsWith('.weight'))!;
    const P = zoo.model.compiled.store.params;
    const old = P[e.offset];
    P[e.offset] = Infinity;
    try {
      for (const f of [
        () => exportOnnx(zoo.model),
        () => exportSafetensors(zoo.model),
        () => exportWeightsJson(zoo.model),
        () => exportPytorch(zoo.model, 'w.safetensors'),
      ]) {
        expect(f).toThrow(ExportError);
        expect(f).toThrow(/holds Infinity at index 0; retrain/);
      }
    } finally {
      P[e.offset] = old;
    }
  });
});
