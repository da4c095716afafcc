// Document state in the editor history (the wizard's Apply is one undo step that restores the previous
// import settings), and the web edition's recent-projects list (stores/browser-recent).
import { describe, expect, it } from 'vitest';
import { EditorStore } from '../../../src-renderer/editor/store';
import { templateGraph } from '../../../src-renderer/editor/project-io';
import {
  BrowserRecent,
  MAX_ENTRIES,
  MAX_TEXT_CHARS,
  RECENT_KEY,
} from '../../../src-renderer/stores/browser-recent';

describe('document state (meta) in the history', () => {
  const oldSettings = { importSettings: { read: { delimiter: ',' } } };
  const newSettings = { importSettings: { read: { delimiter: ';' } } };

  it('an Apply (meta + the Dataset file param in one gesture) is one undo step; undo restores both', () => {
    const s = new EditorStore();
    s.load(templateGraph(), false, oldSettings);
    const ds = s.graph.nodes.find((n) => n.type === 'Dataset')!;
    const fileBefore = ds.params.file;
    s.beginGesture('Apply import settings');
    s.setParam(ds.id, 'file', 'wine.csv');
    s.setMeta(newSettings, 'Apply import settings');
    s.endGesture();
    expect(s.meta).toBe(newSettings);
    expect(s.undoLabel).toBe('Apply import settings');
    expect(s.dirty).toBe(true);

    expect(s.undo()).toBe(true);
    expect(s.meta).toBe(oldSettings);
    expect(s.node(ds.id)!.params.file).toBe(fileBefore);
    expect(s.canUndo).toBe(false);
    expect(s.dirty).toBe(false);

    expect(s.redo()).toBe(true);
    expect(s.meta).toBe(newSettings);
    expect(s.node(ds.id)!.params.file).toBe('wine.csv');
  });

  it('replaceMeta sets the baseline without an undo step; the same object records nothing', () => {
    const s = new EditorStore();
    s.load(templateGraph());
    s.replaceMeta(oldSettings);
    expect(s.canUndo).toBe(false);
    s.setMeta(oldSettings, 'noop');
    expect(s.canUndo).toBe(false);
    s.setMeta(newSettings, 'Apply import settings');
    s.undo();
    expect(s.meta).toBe(oldSettings);
  });

  it('settings steps may be applied and undone while the network is locked', () => {
    const s = new EditorStore();
    s.load(templateGraph(), false, oldSettings);
    s.lock('run');
    s.setMeta(newSettings, 'Apply import settings');
    expect(s.meta).toBe(newSettings);
    expect(s.undo()).toBe(true);
    expect(s.meta).toBe(oldSettings);
  });
});

/** An in-memory Storage that can be made to refuse writes above a size. */
class MemoryStorage implements Storage {
  #m = new Map<string, string>();
  constructor(private readonly quota = Infinity) {}
  get length() {
    return this.#m.size;
  }
  clear() {
    this.#m.clear();
  }
  getItem(k: string) {
    return this.#m.get(k) ?? null;
  }
  key(i: number) {
    return [...this.#m.keys()][i] ?? null;
  }
  removeItem(k: string) {
    this.#m.delete(k);
  }
  setItem(k: string, v: string) {
    if (v.length > this.quota) throw new Error('QuotaExceededError');
    this.#m.set(k, v);
  }
}

describe('recent projects in the browser', () => {
  let t = 0;
  const clock = () => new Date(Date.UTC(2026, 0, 1, 0, t++));

  it('lists newest first, one entry per name, and reopens the text last opened or saved', () => {
    const r = new BrowserRecent(new MemoryStorage(), clock);
    r.remember('a.netloom.json', 'A1');
    r.remember('b.netloom.json', 'B1');
    r.remember('a.netloom.json', 'A2');
    const list = r.list();
    expect(list.map((e) => e.file.name)).toEqual(['a.netloom.json', 'b.netloom.json']);
    expect(Date.parse(list[0].openedAt)).toBeGreaterThan(Date.parse(list[1].openedAt));
    expect(r.open(list[0].file).text).toBe('A2');
    expect(r.open(list[1].file).text).toBe('B1');
  });

  it(`keeps at most ${MAX_ENTRIES} entries`, () => {
    const r = new BrowserRecent(new MemoryStorage(), clock);
    for (let i = 0; i < MAX_ENTRIES + 3; i++) r.remember(`p${i}.netloom.json`, `${i}`);
    const names = r.list().map((e) => e.file.name);
    expect(names).toHaveLength(MAX_ENTRIES);
    expect(names[0]).toBe(`p${MAX_ENTRIES + 2}.netloom.json`);
    expect(names).not.toContain('p0.netloom.json');
  });

  it('lists a too-large project without a copy and says so when reopened', () => {
    const r = new BrowserRecent(new MemoryStorage(), clock);
    r.remember('big.netloom.json', 'x'.repeat(MAX_TEXT_CHARS + 1));
    const [e] = r.list();
    expect(() => r.open(e.file)).toThrow(/too large.*Open…/);
    expect(() => r.open({ id: 'recent:gone', name: 'gone.json' })).toThrow(/no longer in the recent list/);
  });

  it('drops the oldest copies (keeping their names) when the storage is full, and survives junk', () => {
    const storage = new MemoryStorage(2500);
    const r = new BrowserRecent(storage, clock);
    r.remember('old.netloom.json', 'o'.repeat(1000));
    r.remember('new.netloom.json', 'n'.repeat(1000));
    r.remember('newest.netloom.json', 'w'.repeat(1000));
    const list = r.list();
    expect(list.map((e) => e.file.name)).toEqual([
      'newest.netloom.json',
      'new.netloom.json',
      'old.netloom.json',
    ]);
    expect(r.open(list[0].file).text).toHaveLength(1000);
    expect(() => r.open(list[2].file)).toThrow(/too large|Open…/);
    storage.setItem(RECENT_KEY, '{not json');
    expect(r.list()).toEqual([]);
    r.forget('x');
    expect(r.list()).toEqual([]);
  });
});
