import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ProjectFileError, loadProject, pruneCheckpoints, serializeProject } from '../../../engine/project';
import type { Project } from '../../../engine/project';
import { arbProject, comparable, sampleProject } from './helpers';

describe('save → load', () => {
  it('is the identity on a hand-written project, and the text is deterministic', () => {
    const p = sampleProject();
    const text = serializeProject(p);
    expect(comparable(loadProject(text))).toEqual(comparable(p));
    expect(serializeProject(loadProject(text))).toBe(text);
    expect(text.startsWith('{\n  "format": "netloom-project",\n  "formatVersion": 1,\n')).toBe(true);
    expect(text).toContain('"data": "AACAPwAAAMAAAAA/AAAAAAAAQEAAAIBAAACgQAAAwEA="');
  });

  it('is the identity (after pruning checkpoints) on generated projects: weights bit-exact, NaN/±Infinity/−0 metrics kept', () => {
    fc.assert(
      fc.property(arbProject, (p: Project) => {
        const text = serializeProject(p);
        const back = loadProject(text);
        expect(comparable(back)).toEqual(comparable(pruneCheckpoints(p)));
        expect(serializeProject(back)).toBe(text);
      }),
      { numRuns: 80 },
    );
  });

  it('accepts bytes as well as text', () => {
    const text = serializeProject(sampleProject());
    expect(comparable(loadProject(new TextEncoder().encode(text)))).toEqual(comparable(sampleProject()));
  });
});

describe('pruneCheckpoints', () => {
  it('keeps checkpoints on the latest run and pinned runs only, without mutating the input', () => {
    const base = sampleProject();
    const run = base.runs[0];
    const p: Project = {
      ...base,
      runs: [
        { ...run, id: 'a', pinned: false },
        { ...run, id: 'b', pinned: true },
        { ...run, id: 'c', pinned: false },
        { ...run, id: 'd', pinned: false },
      ],
    };
    const pruned = pruneCheckpoints(p);
    expect(pruned.runs.map((r) => r.checkpoint !== null)).toEqual([false, true, false, true]);
    expect(pruned.runs.map((r) => r.history.length)).toEqual([2, 2, 2, 2]);
    expect(p.runs.every((r) => r.checkpoint !== null)).toBe(true);
  });
});

describe('saving refuses what cannot be loaded back', () => {
  const attempt = (mutate: (p: Project) => void): ProjectFileError => {
    const p = sampleProject();
    mutate(p);
    try {
      serializeProject(p);
    } catch (e) {
      if (e instanceof ProjectFileError) return e;
      throw e;
    }
    throw new Error('expected serializeProject to throw');
  };

  it.each<[string, (p: Project) => void, string]>([
    ['NaN inside node params', (p) => (p.graph.nodes[1].params.units = NaN), '$.graph.nodes[1].params.units'],
    [
      'a Date inside import settings',
      (p) => ((p.dataset!.importSettings as Record<string, unknown>).when = new Date()),
      '$.dataset.importSettings.when',
    ],
    [
      'weights shorter than their shape',
      (p) => (p.runs[0].checkpoint!.weights[0].shape = [4, 3]),
      '$.runs[0].checkpoint.weights[0].data',
    ],
    ['a duplicate node id', (p) => (p.graph.nodes[1].id = 'in'), '$.graph.nodes[1]'],
    ['an edge to a missing node', (p) => (p.graph.edges[0].target = 'nope'), '$.graph.edges[0].target'],
    ['a fractional epoch count', (p) => (p.training.epochs = 2.5), '$.training.epochs'],
    ['an absolute dataset path', (p) => (p.dataset!.path = '/home/ana/iris.csv'), '$.dataset.path'],
  ])('%s', (_what, mutate, path) => {
    const err = attempt(mutate);
    expect(err.code).toBe('invalid-project');
    expect(err.path).toBe(path);
    expect(err.message).toMatch(/^Cannot save the project/);
  });
});
