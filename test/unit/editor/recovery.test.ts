import { describe, expect, it } from 'vitest';
import { RECOVERY_KEY, RecoveryFile, type KeyValueStorage } from '../../../src-renderer/editor/recovery';
import {
  parseProject,
  serializeEditorProject,
  newDocument,
  templateGraph,
} from '../../../src-renderer/editor/project-io';
import { validateGraph } from '../../../engine/graph';

class MapStorage implements KeyValueStorage {
  map = new Map<string, string>();
  writes = 0;
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.writes++;
    this.map.set(k, v);
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
}

describe('recovery file', () => {
  const at = () => new Date('2026-01-02T03:04:05Z');

  it('writes only when dirty and changed, and a later session reads it back', () => {
    const st = new MapStorage();
    const r = new RecoveryFile(st, at);
    expect(r.tick(false, () => ({ name: 'p', fileName: null, text: 'A' }))).toBe(false);
    expect(r.tick(true, () => ({ name: 'p', fileName: null, text: 'A' }))).toBe(true);
    expect(r.tick(true, () => ({ name: 'p', fileName: null, text: 'A' }))).toBe(false);
    expect(r.tick(true, () => ({ name: 'p', fileName: 'p.netloom.json', text: 'B' }))).toBe(true);
    expect(st.writes).toBe(2);
    const next = new RecoveryFile(st, at);
    expect(next.read()).toEqual({
      name: 'p',
      fileName: 'p.netloom.json',
      savedAt: '2026-01-02T03:04:05.000Z',
      text: 'B',
    });
  });

  it('clear removes the snapshot; a corrupt one reads as none and is removed', () => {
    const st = new MapStorage();
    const r = new RecoveryFile(st, at);
    r.tick(true, () => ({ name: 'p', fileName: null, text: 'A' }));
    r.clear();
    expect(r.read()).toBeNull();
    st.map.set(RECOVERY_KEY, '{not json');
    expect(r.read()).toBeNull();
    expect(st.map.has(RECOVERY_KEY)).toBe(false);
  });

  it('a storage that throws (quota, private mode) never interrupts editing', () => {
    const bad: KeyValueStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    const r = new RecoveryFile(bad, at);
    expect(r.tick(true, () => ({ name: 'p', fileName: null, text: 'A' }))).toBe(false);
    expect(r.read()).toBeNull();
    expect(() => r.clear()).not.toThrow();
  });
});

describe('project documents', () => {
  it('the New template saves, loads back identically, and has no errors once a dataset is known', () => {
    const g = templateGraph();
    const text = serializeEditorProject(newDocument('T', '0.1.0'), 'T', g, null, '0.1.0');
    const back = parseProject(text);
    expect(back.name).toBe('T');
    expect(back.graph).toEqual(JSON.parse(JSON.stringify(g)));
    const ds = {
      featureWidth: 4,
      task: 'multiclass' as const,
      targetWidth: 1,
      numClasses: 3,
      trainRows: 120,
    };
    expect(
      validateGraph(back.graph, { dataset: ds, batchSize: 16 }).problems.filter(
        (p) => p.severity === 'error',
      ),
    ).toEqual([]);
  });

  it('a bad file is refused with the file format error, not a crash', () => {
    expect(() => parseProject('{"format":"other"}')).toThrow();
  });
});
