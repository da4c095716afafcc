import { describe, expect, it } from 'vitest';
import { ProjectFileError, loadProject, serializeProject } from '../../../engine/project';
import type { ProjectHooks } from '../../../engine/project';
import { sampleProject } from './helpers';

function failure(input: string | Uint8Array, hooks?: ProjectHooks): ProjectFileError {
  try {
    loadProject(input, hooks ? { hooks } : {});
  } catch (e) {
    if (e instanceof ProjectFileError) return e;
    throw e;
  }
  throw new Error('expected loadProject to throw');
}

// The tests edit arbitrary paths of a parsed document, so its type is deliberately loose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;
const valid = (): Doc => JSON.parse(serializeProject(sampleProject()));
const withDoc = (edit: (d: Doc) => void): string => {
  const d = valid();
  edit(d);
  return JSON.stringify(d, null, 2);
};

describe('loadProject errors', () => {
  it('corrupt JSON: code invalid-json with line and column of the first error', () => {
    const text = serializeProject(sampleProject()).replace('"name": "Sample",', '"name": "Sample"');
    const line = text.split('\n').findIndex((l) => l.includes('"name": "Sample"')) + 2; // the error is on the next line
    const err = failure(text);
    expect(err.code).toBe('invalid-json');
    expect(err.position?.line).toBe(line);
    expect(err.position?.column).toBe(3); // two spaces of indentation, then the unexpected '"'
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('ProjectFileError');
  });

  it('not UTF-8: not-utf8', () => {
    expect(failure(new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d])).code).toBe('not-utf8');
  });

  it.each([
    ['[1, 2]', 'not-a-project'],
    ['{"format": "something-else", "formatVersion": 1}', 'not-a-project'],
    ['{"format": "netloom-project"}', 'unsupported-version'],
    ['{"format": "netloom-project", "formatVersion": "1"}', 'unsupported-version'],
    ['{"format": "netloom-project", "formatVersion": 1.5}', 'unsupported-version'],
  ])('%s → %s', (text, code) => {
    expect(failure(text).code).toBe(code);
  });

  it.each<[string, (d: Doc) => void, string, RegExp]>([
    ['a missing field', (d) => delete d.training, '$.training', /expected object/],
    ['an unknown field', (d) => (d.graph.nodes[0].colour = 'red'), '$.graph.nodes[0]', /colour/],
    [
      'a wrong type',
      (d) => (d.graph.nodes[2].version = '1'),
      '$.graph.nodes[2].version',
      /expected int|number/,
    ],
    ['a bad backend', (d) => (d.training.backend = 'gpu'), '$.training.backend', /auto|cpu|webgpu/],
    [
      'a duplicate node id',
      (d) => (d.graph.nodes[2].id = 'in'),
      '$.graph.nodes[2]',
      /duplicate node id 'in'/,
    ],
    [
      'an edge to nowhere',
      (d) => (d.graph.edges[1].source = 'ghost'),
      '$.graph.edges[1].source',
      /'ghost' is not a node/,
    ],
    [
      'a dataset path with backslashes',
      (d) => (d.dataset.path = 'data\\iris.csv'),
      '$.dataset.path',
      /'\/' separators/,
    ],
    ['an uppercase sha256', (d) => (d.dataset.sha256 = 'A'.repeat(64)), '$.dataset.sha256', /lowercase hex/],
    [
      'epochs out of order',
      (d) => (d.runs[0].history[1].epoch = 1),
      '$.runs[0].history[1].epoch',
      /does not come after/,
    ],
    [
      'a bad metric string',
      (d) => (d.runs[0].history[0].train.loss = 'nan'),
      '$.runs[0].history[0].train.loss',
      /.*/,
    ],
    [
      'a "__proto__" metric name',
      (d) => Object.defineProperty(d.runs[0].final.train, '__proto__', { value: 1, enumerable: true }),
      '$.runs[0].final.train.__proto__',
      /reserved/,
    ],
    [
      'weights not matching their shape',
      (d) => (d.runs[0].checkpoint.weights[0].shape = [3, 2]),
      '$.runs[0].checkpoint.weights[0].data',
      /holds 32 bytes but shape \[3, 2\] needs 24/,
    ],
    [
      'broken base64',
      (d) => (d.runs[0].checkpoint.weights[0].data = 'AAA*'),
      '$.runs[0].checkpoint.weights[0].data',
      /invalid base64 character at index 3/,
    ],
    [
      'a reserved $ key in optimizer state',
      (d) => (d.runs[0].checkpoint.optimizerState.$foo = 1),
      '$.runs[0].checkpoint.optimizerState',
      /reserved/,
    ],
    [
      'a bad $float64 payload',
      (d) => (d.runs[0].checkpoint.optimizerState = { v: { $float64: 'AAAAAA==' } }),
      '$.runs[0].checkpoint.optimizerState.v.$float64',
      /multiple of 8 bytes/,
    ],
    ['a bad date', (d) => (d.runs[0].startedAt = 'yesterday'), '$.runs[0].startedAt', /.*/],
    ['a duplicate run id', (d) => d.runs.push(d.runs[0]), '$.runs[1]', /duplicate run id/],
  ])('schema: %s → invalid-schema at the right path', (_what, edit, path, message) => {
    const err = failure(withDoc(edit));
    expect(err.code).toBe('invalid-schema');
    expect(err.path).toBe(path);
    expect(err.issues[0].message).toMatch(message);
    expect(err.message).toContain(path);
  });

  it('survives a process boundary as plain data (toJSON / fromJSON)', () => {
    const err = failure('{\n  "a": ]');
    const data = structuredClone(err.toJSON());
    expect(data).toMatchObject({
      name: 'ProjectFileError',
      code: 'invalid-json',
      position: { line: 2, column: 8 },
    });
    const back = ProjectFileError.fromJSON(data);
    expect(back).toBeInstanceOf(ProjectFileError);
    expect([back.code, back.message, back.position]).toEqual([err.code, err.message, err.position]);
  });

  it('lists every schema problem in issues', () => {
    const err = failure(withDoc((d) => ((d.training.epochs = 0), (d.training.seed = -1))));
    expect(err.issues.map((i) => i.path).sort()).toEqual(['$.training.epochs', '$.training.seed']);
    expect(err.message).toContain('1 more problem');
  });
});

describe('node registry hooks', () => {
  const hooks: ProjectHooks = {
    validateNode: (type, _version, params) =>
      type === 'Dense' && !(typeof params.units === 'number' && params.units >= 1)
        ? [{ path: ['units'], message: 'units must be ≥ 1' }]
        : [],
  };

  it('pass valid params through', () => {
    expect(loadProject(serializeProject(sampleProject()), { hooks }).graph.nodes[1].params.units).toBe(2);
  });

  it('report a bad param with its JSON path, in the project graph and in a run snapshot', () => {
    const p = sampleProject();
    p.graph.nodes[1].params.units = 0;
    let err = failure(serializeProject(p), hooks);
    expect(err.code).toBe('invalid-params');
    expect(err.path).toBe('$.graph.nodes[1].params.units');
    expect(err.message).toContain("Node 'd1' (Dense v1)");

    const q = sampleProject();
    q.runs[0].graph.nodes[1].params.units = -3;
    err = failure(serializeProject(q), hooks);
    expect(err.path).toBe('$.runs[0].graph.nodes[1].params.units');
    expect(err.message).toContain("in run 'run-1'");
  });

  it('migrate node params before validating them (per-type versions)', () => {
    const p = sampleProject();
    p.graph.nodes[1] = { ...p.graph.nodes[1], version: 1, params: { neurons: 5 } };
    const migrateNode: ProjectHooks['migrateNode'] = (type, version, params) =>
      type === 'Dense' && version === 1 && 'neurons' in params
        ? { version: 2, params: { units: params.neurons } }
        : { version, params };
    const loaded = loadProject(serializeProject(p), { hooks: { ...hooks, migrateNode } });
    expect(loaded.graph.nodes[1]).toMatchObject({ version: 2, params: { units: 5 } });
  });

  it('wrap a hook that throws or returns garbage into invalid-params', () => {
    const text = serializeProject(sampleProject());
    const boom = failure(text, {
      validateNode: () => {
        throw new TypeError('registry exploded');
      },
    });
    expect(boom.code).toBe('invalid-params');
    expect(boom.path).toBe('$.graph.nodes[0]');
    expect(boom.message).toContain('registry exploded');
    const garbage = failure(text, { migrateNode: () => ({ version: 0, params: {} }) });
    expect(garbage.code).toBe('invalid-params');
  });
});
