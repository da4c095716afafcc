import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkDatasetReference,
  datasetPathProblem,
  fingerprintDataset,
  relativeDatasetPath,
  resolveDatasetPath,
  sha256Hex,
} from '../../../engine/project';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('sha256Hex (Web Crypto)', () => {
  it('matches the FIPS 180-2 examples', async () => {
    expect(await sha256Hex(utf8(''))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(await sha256Hex(utf8('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(await sha256Hex(utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('agrees with node:crypto on random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (b) => {
        expect(await sha256Hex(b)).toBe(createHash('sha256').update(b).digest('hex'));
      }),
      { numRuns: 50 },
    );
  });
});

describe('checkDatasetReference', () => {
  const bytes = utf8('a,b\n1,2\n');
  it('ok / changed (same size, other content) / changed (other size) / missing', async () => {
    const ref = await fingerprintDataset(bytes);
    expect(ref.size).toBe(8);
    expect(await checkDatasetReference(ref, bytes)).toBe('ok');
    expect(await checkDatasetReference(ref, utf8('a,b\n1,3\n'))).toBe('changed');
    expect(await checkDatasetReference(ref, utf8('a,b\n1,2\n\n'))).toBe('changed');
    expect(await checkDatasetReference(ref, null)).toBe('missing');
  });
});

describe('dataset paths', () => {
  it.each([
    ['/home/ana/p/model.netloom.json', 'data/iris.csv', '/home/ana/p/data/iris.csv'],
    ['/home/ana/p/model.netloom.json', '../data/iris.csv', '/home/ana/data/iris.csv'],
    ['/home/ana/p/model.netloom.json', './iris.csv', '/home/ana/p/iris.csv'],
    ['C:\\Users\\Ana\\p\\m.netloom.json', '../data/iris.csv', 'C:/Users/Ana/data/iris.csv'],
    ['m.netloom.json', '../iris.csv', '../iris.csv'],
  ])('resolve(%s, %s) = %s', (project, rel, abs) => {
    expect(resolveDatasetPath(project, rel)).toBe(abs);
  });

  it.each([
    ['/home/ana/p/model.netloom.json', '/home/ana/p/iris.csv', 'iris.csv'],
    ['/home/ana/p/model.netloom.json', '/home/ana/data/wine.csv', '../data/wine.csv'],
    ['/home/ana/p/model.netloom.json', '/srv/x.csv', '../../../srv/x.csv'],
    ['C:\\Users\\Ana\\p\\m.netloom.json', 'C:\\Users\\Ana\\p\\d\\x.csv', 'd/x.csv'],
  ])('relative(%s, %s) = %s, and resolves back', (project, abs, rel) => {
    expect(relativeDatasetPath(project, abs)).toBe(rel);
    expect(datasetPathProblem(rel)).toBeNull();
    expect(resolveDatasetPath(project, rel)).toBe(abs.replace(/\\/g, '/'));
  });

  it('refuses a dataset on another drive', () => {
    expect(() => relativeDatasetPath('C:\\p\\m.netloom.json', 'D:\\x.csv')).toThrow(/another drive/);
  });

  it.each(['', '/abs.csv', 'C:/x.csv', 'a\\b.csv', 'a//b.csv', 'dir/'])(
    '%j is not a valid stored path',
    (p) => {
      expect(datasetPathProblem(p)).not.toBeNull();
    },
  );
});
