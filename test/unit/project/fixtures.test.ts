// Frozen fixture files: unchanged bytes, still loadable, and (for the current version) re-saved byte for byte.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CURRENT_FORMAT_VERSION, loadProject, serializeProject } from '../../../engine/project';
import { checkDatasetFile } from '../../../engine/project/file.node';

const DIR = path.resolve(__dirname, '../../fixtures/project');
const read = (rel: string): string => readFileSync(path.join(DIR, rel), 'utf8');

function jsonFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const rel = prefix + name;
    if (statSync(path.join(dir, name)).isDirectory()) return jsonFiles(path.join(dir, name), rel + '/');
    return name.endsWith('.json') ? [rel] : [];
  });
}

describe('frozen fixtures', () => {
  const manifest = new Map(
    read('FROZEN.sha256')
      .trim()
      .split('\n')
      .map((line) => {
        const [hash, file] = line.split(/\s+\*?/);
        return [file, hash] as const;
      }),
  );

  it('every fixture file is listed in FROZEN.sha256 and unchanged', () => {
    const files = jsonFiles(DIR);
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const f of files) {
      expect(manifest.has(f), `${f} is not listed in FROZEN.sha256`).toBe(true);
      expect(
        createHash('sha256')
          .update(readFileSync(path.join(DIR, f)))
          .digest('hex'),
        `${f} was edited`,
      ).toBe(manifest.get(f));
    }
  });

  it.each(jsonFiles(DIR).filter((f) => f.startsWith('v')))(
    '%s loads and re-saves byte for byte (current version)',
    (f) => {
      const text = read(f);
      const project = loadProject(text);
      expect(project.formatVersion).toBe(CURRENT_FORMAT_VERSION);
      if (JSON.parse(text).formatVersion === CURRENT_FORMAT_VERSION)
        expect(serializeProject(project)).toBe(text);
    },
  );

  it('v1/full: the values written in it are the values loaded', () => {
    const p = loadProject(read('v1/full.netloom.json'));
    expect(p.graph.nodes.map((n) => n.id)).toEqual(['data', 'dense1', 'relu', 'loss', 'opt']);
    expect(p.graph.nodes[1].label).toBe('Hidden');
    expect(p.training.earlyStopping).toEqual({
      monitor: 'validation.loss',
      mode: 'min',
      patience: 5,
      minDelta: 0.001,
      restoreBestWeights: true,
    });
    const [r1, r2] = p.runs;
    expect(r1.checkpoint).toBeNull();
    expect(Number.isNaN(r1.history[1].train.loss)).toBe(true);
    expect(r1.history[1].validation!.loss).toBe(Infinity);
    expect(r1.history[1].gradientNorm!.global).toBe(-Infinity);
    const w = r2.checkpoint!.weights;
    expect(w.map((t) => [t.name, t.shape])).toEqual([
      ['dense1.weight', [4, 2]],
      ['dense1.bias', [2]],
      ['scalar', []],
    ]);
    const expected = [1, -2, 0.5, -0, 3, 4, 5, 6];
    expected.forEach((v, i) => expect(Object.is(w[0].data[i], v), `weight ${i}`).toBe(true));
    expect(w[1].data[0]).toBe(0.25);
    expect(Number.isNaN(w[1].data[1])).toBe(true);
    expect(Array.from(w[2].data)).toEqual([-1]);
    const s = r2.checkpoint!.optimizerState as Record<string, unknown>;
    expect(s.m).toBeInstanceOf(Float32Array);
    expect(Array.from(s.m as Float32Array)).toEqual([1, -2]);
    expect(Array.from(s.v64 as Float64Array)).toEqual([1]);
    expect(s.v64).toBeInstanceOf(Float64Array);
    expect(Array.from(s.counts as Int32Array)).toEqual([-1, 258]);
    expect(Number.isNaN(s.lastLoss)).toBe(true);
    expect(s.best).toBe(-Infinity);
    expect(r2.checkpoint!.rngState).toEqual({ s: [1, 2, 3, 4294967295], spare: -0.5 });
  });

  it('v1/full: its dataset reference matches the real iris.csv (size and SHA-256)', async () => {
    const p = loadProject(read('v1/full.netloom.json'));
    expect(await checkDatasetFile(path.join(DIR, 'v1/full.netloom.json'), p.dataset!)).toBe('ok');
  });
});
