import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectFileError, loadProject, serializeProject } from '../../../engine/project';
import type { JsonObject, JsonValue } from '../../../engine/project';
import {
  CURRENT_FORMAT_VERSION,
  MIGRATIONS,
  assertMigrationChain,
  migrateDocument,
  type Migration,
} from '../../../engine/project/migrations';
import { sampleProject } from './helpers';

const v0Text = readFileSync(
  path.resolve(__dirname, '../../fixtures/project/synthetic/v0-demo.netloom.json'),
  'utf8',
);

/** A test-only migration from the synthetic v0 layout (flat nodes/links, appVersion, title) to v1. */
const v0ToV1: Migration = {
  from: 0,
  to: 1,
  description: 'synthetic: nest nodes/links into graph, app object, training block',
  up(doc) {
    const nodes = (doc.nodes as JsonObject[]).map((n) => ({
      id: n.id,
      type: n.kind,
      version: 1,
      position: { x: n.x, y: n.y },
      params: n.config,
    }));
    const edges = (doc.links as JsonObject[]).map((l, i) => ({
      id: `link-${i}`,
      source: l.from,
      sourcePort: 'out',
      target: l.to,
      targetPort: 'in',
    }));
    return {
      format: doc.format,
      formatVersion: 1,
      app: { name: 'Netloom', version: doc.appVersion },
      name: doc.title,
      graph: { nodes, edges } as JsonValue,
      dataset: null,
      training: {
        epochs: doc.epochs,
        batchSize: doc.batchSize,
        seed: doc.seed,
        backend: 'auto',
        earlyStopping: null,
      },
      runs: [],
    };
  },
};

function codeOf(f: () => unknown): ProjectFileError {
  try {
    f();
  } catch (e) {
    if (e instanceof ProjectFileError) return e;
    throw e;
  }
  throw new Error('expected a ProjectFileError');
}

describe('migrations', () => {
  it('the real chain is well formed and ends at the current version (v1 is the first: no steps yet)', () => {
    expect(CURRENT_FORMAT_VERSION).toBe(1);
    expect(MIGRATIONS).toEqual([]);
    expect(() => assertMigrationChain(MIGRATIONS, CURRENT_FORMAT_VERSION)).not.toThrow();
  });

  it('a synthetic v0 file loads through a v0 → v1 migration, then validates as v1', () => {
    const p = loadProject(v0Text, { migrations: [v0ToV1] });
    expect(p.formatVersion).toBe(1);
    expect(p.app.version).toBe('0.0.1');
    expect(p.graph.nodes.map((n) => [n.id, n.type, n.position.x, n.params])).toEqual([
      ['in', 'Input', 10, { width: 4 }],
      ['d', 'Dense', 200, { units: 3 }],
    ]);
    expect(p.graph.edges[0]).toMatchObject({ source: 'in', target: 'd' });
    expect(p.training.epochs).toBe(5);
    // Saved again, it is a plain v1 file.
    expect(JSON.parse(serializeProject(p)).formatVersion).toBe(1);
  });

  it('the same v0 file is refused without the migration, with an actionable message', () => {
    const err = codeOf(() => loadProject(v0Text));
    expect(err.code).toBe('unsupported-version');
    expect(err.message).toMatch(/format version 0, which is older/);
  });

  it('a migration that throws gives migration-failed naming the step', () => {
    const broken: Migration = {
      ...v0ToV1,
      up: () => {
        throw new Error('links missing');
      },
    };
    const err = codeOf(() => loadProject(v0Text, { migrations: [broken] }));
    expect(err.code).toBe('migration-failed');
    expect(err.message).toContain('v0 to v1');
    expect(err.message).toContain('links missing');
  });

  it('a migration whose output does not match v1 gives invalid-schema mentioning the migration', () => {
    const sloppy: Migration = { ...v0ToV1, up: (d) => ({ ...v0ToV1.up(d), runs: 'none' }) };
    const err = codeOf(() => loadProject(v0Text, { migrations: [sloppy] }));
    expect(err.code).toBe('invalid-schema');
    expect(err.path).toBe('$.runs');
    expect(err.message).toContain('migrated from v0');
  });

  it('the runner applies steps in order, never mutates the input, and sets formatVersion itself', () => {
    const seen: number[] = [];
    const chain: Migration[] = [
      {
        from: 0,
        to: 1,
        description: 'a',
        up: (d) => (seen.push(d.formatVersion as number), { ...d, a: 1, formatVersion: 99 }),
      },
      {
        from: 1,
        to: 2,
        description: 'b',
        up: (d) => (seen.push(d.formatVersion as number), { ...d, b: (d.a as number) + 1 }),
      },
    ];
    const input = { formatVersion: 0 };
    expect(migrateDocument(input, 0, chain, 2)).toEqual({ formatVersion: 2, a: 1, b: 2 });
    expect(seen).toEqual([0, 1]);
    expect(input).toEqual({ formatVersion: 0 });
    expect(migrateDocument({ formatVersion: 1, a: 5 }, 1, chain, 2)).toEqual({
      formatVersion: 2,
      a: 5,
      b: 6,
    });
  });

  it('assertMigrationChain catches gaps, skips and a wrong end', () => {
    const m = (from: number, to: number): Migration => ({ from, to, description: '', up: (d) => d });
    expect(() => assertMigrationChain([m(0, 1), m(2, 3)], 3)).toThrow(/do not chain/);
    expect(() => assertMigrationChain([m(0, 2)], 2)).toThrow(/n to n\+1/);
    expect(() => assertMigrationChain([m(0, 1)], 2)).toThrow(/not at the current v2/);
  });

  it('a newer format version is refused, naming the app version that wrote it', () => {
    const doc = {
      ...JSON.parse(serializeProject(sampleProject())),
      formatVersion: 7,
      app: { name: 'Netloom', version: '3.2.1' },
    };
    const err = codeOf(() => loadProject(JSON.stringify(doc)));
    expect(err.code).toBe('unsupported-version');
    expect(err.path).toBe('$.formatVersion');
    expect(err.message).toContain('Netloom 3.2.1');
    expect(err.message).toContain('format version 7');
    expect(err.message).toContain('Update Netloom');
  });
});
