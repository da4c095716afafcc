import { describe, expect, it } from 'vitest';
import { validateGraph, type Graph } from '../../../engine/graph';
import { EditorStore, orderChain } from '../../../src-renderer/editor/store';
import { applyChanges, inverseOf, type Change } from '../../../src-renderer/editor/history';
import { templateGraph } from '../../../src-renderer/editor/project-io';

/** Dataset → Dense → ReLU → Dense(auto) → Loss ← Adam, built through commands. */
function buildChain(s: EditorStore) {
  const data = s.addNode('Dataset', { x: 0, y: 0 })!;
  const d1 = s.addNode('Dense', { x: 200, y: 0 })!;
  const act = s.addNode('Activation.relu', { x: 400, y: 0 })!;
  const d2 = s.addNode('Dense', { x: 600, y: 0 })!;
  s.setParam(d2.id, 'units', 'auto');
  const loss = s.addNode('Loss.cross_entropy_logits', { x: 800, y: 0 })!;
  const opt = s.addNode('Optimizer.adam', { x: 800, y: 200 })!;
  const ok = (r: { ok: boolean }) => expect(r.ok).toBe(true);
  ok(s.connect({ source: data.id, sourcePort: 'features', target: d1.id, targetPort: 'in' }));
  ok(s.connect({ source: d1.id, sourcePort: 'out', target: act.id, targetPort: 'in' }));
  ok(s.connect({ source: act.id, sourcePort: 'out', target: d2.id, targetPort: 'in' }));
  ok(s.connect({ source: d2.id, sourcePort: 'out', target: loss.id, targetPort: 'prediction' }));
  ok(s.connect({ source: data.id, sourcePort: 'targets', target: loss.id, targetPort: 'target' }));
  ok(s.connect({ source: opt.id, sourcePort: 'optimizer', target: loss.id, targetPort: 'optimizer' }));
  return { data, d1, act, d2, loss, opt };
}

const snapshot = (g: Graph) => JSON.parse(JSON.stringify(g));

describe('history diffs', () => {
  it('applying a change list then its inverse restores the arrays and their order', () => {
    const start = { nodes: ['a', 'b', 'c', 'd'], edges: ['x', 'y'] };
    const changes: Change<string>[] = [
      { coll: 'nodes', op: 'remove', index: 1, item: 'b' },
      { coll: 'nodes', op: 'insert', index: 0, item: 'z' },
      { coll: 'edges', op: 'update', index: 1, before: 'y', after: 'Y' },
      { coll: 'nodes', op: 'remove', index: 3, item: 'd' },
    ];
    const mid = applyChanges(start, changes);
    expect(mid).toEqual({ nodes: ['z', 'a', 'c'], edges: ['x', 'Y'] });
    expect(applyChanges(mid, inverseOf(changes))).toEqual(start);
  });

  it('refuses an index outside the array', () => {
    expect(() =>
      applyChanges({ nodes: ['a'], edges: [] }, [{ coll: 'nodes', op: 'remove', index: 3, item: 'a' }]),
    ).toThrow(/outside/);
  });
});

describe('EditorStore commands', () => {
  it('builds a trainable graph through commands; shapes come from engine/graph', () => {
    const s = new EditorStore();
    buildChain(s);
    const ds = {
      featureWidth: 4,
      task: 'multiclass' as const,
      targetWidth: 1,
      numClasses: 3,
      trainRows: 120,
    };
    const v = validateGraph(s.graph, { dataset: ds, batchSize: 16 });
    expect(v.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('refuses an invalid connection with its reason and leaves the graph unchanged', () => {
    const s = new EditorStore();
    const { data, opt } = buildChain(s);
    const before = s.graph;
    const r = s.connect({ source: opt.id, sourcePort: 'optimizer', target: data.id, targetPort: 'features' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason.length).toBeGreaterThan(10);
    expect(s.graph).toBe(before);
  });

  it('undo of a deleted connected node restores the node and all its edges, in their places', () => {
    const s = new EditorStore();
    const { act } = buildChain(s);
    const before = snapshot(s.graph);
    s.remove([act.id]);
    expect(s.graph.nodes.some((n) => n.id === act.id)).toBe(false);
    expect(s.graph.edges).toHaveLength(4);
    expect(s.undo()).toBe(true);
    expect(snapshot(s.graph)).toEqual(before);
    expect(s.redo()).toBe(true);
    expect(s.graph.edges).toHaveLength(4);
  });

  it('a drag (many moves inside a gesture) is one undo step', () => {
    const s = new EditorStore();
    const { d1, act } = buildChain(s);
    const before = snapshot(s.graph);
    s.beginGesture('Move');
    for (let i = 1; i <= 20; i++)
      s.moveNodes(
        new Map([
          [d1.id, { x: 200 + i * 3, y: i }],
          [act.id, { x: 400 + i * 3, y: i }],
        ]),
      );
    s.endGesture();
    expect(s.node(d1.id)!.position).toEqual({ x: 260, y: 20 });
    expect(s.undoLabel).toBe('Move');
    s.undo();
    expect(snapshot(s.graph)).toEqual(before);
  });

  it('paste assigns fresh ids and keeps only the edges inside the selection', () => {
    const s = new EditorStore();
    const { d1, act, d2 } = buildChain(s);
    const clip = s.copy([d1.id, act.id]);
    const ids = s.paste(clip);
    expect(ids).toHaveLength(2);
    const existing = [d1.id, act.id, d2.id];
    for (const id of ids) expect(existing).not.toContain(id);
    expect(new Set(s.graph.nodes.map((n) => n.id)).size).toBe(s.graph.nodes.length);
    const newEdges = s.graph.edges.filter((e) => ids.includes(e.source) || ids.includes(e.target));
    expect(newEdges).toEqual([expect.objectContaining({ source: ids[0], target: ids[1], targetPort: 'in' })]);
    expect(s.node(ids[0])!.position).toEqual({ x: d1.position.x + 32, y: d1.position.y + 32 });
    // Pasting twice gives yet other ids.
    const again = s.paste(clip);
    expect(again.some((id) => ids.includes(id))).toBe(false);
  });

  it('cut removes the nodes in one step; undo restores them', () => {
    const s = new EditorStore();
    const { d1 } = buildChain(s);
    const before = snapshot(s.graph);
    const clip = s.cut([d1.id])!;
    expect(clip.nodes).toHaveLength(1);
    expect(s.node(d1.id)).toBeUndefined();
    s.undo();
    expect(snapshot(s.graph)).toEqual(before);
  });

  it('a parameter edit is one step, and an unchanged value records nothing', () => {
    const s = new EditorStore();
    const { d1 } = buildChain(s);
    s.setParam(d1.id, 'units', 32);
    expect(s.node(d1.id)!.params.units).toBe(32);
    const label = s.undoLabel;
    s.setParam(d1.id, 'units', 32);
    expect(s.undoLabel).toBe(label);
    s.undo();
    expect(s.node(d1.id)!.params.units).toBe(16);
  });

  it('a new edit clears the redo stack', () => {
    const s = new EditorStore();
    s.addNode('Dense', { x: 0, y: 0 })!;
    s.undo();
    expect(s.canRedo).toBe(true);
    s.addNode('Dropout', { x: 0, y: 0 })!;
    expect(s.canRedo).toBe(false);
  });

  it('repeat appends N wired copies of a chain and re-feeds what the tail fed', () => {
    const s = new EditorStore();
    const { d1, act, d2 } = buildChain(s);
    const created = s.repeatChain([d1.id, act.id], 2);
    expect(created).toHaveLength(4);
    const ds = {
      featureWidth: 4,
      task: 'multiclass' as const,
      targetWidth: 1,
      numClasses: 3,
      trainRows: 120,
    };
    expect(
      validateGraph(s.graph, { dataset: ds, batchSize: 16 }).problems.filter((p) => p.severity === 'error'),
    ).toEqual([]);
    // d2 is now fed by the last copy of ReLU.
    const into = s.graph.edges.find((e) => e.target === d2.id)!;
    expect(into.source).toBe(created[3]);
    // Walk the tensor chain from the Dataset: Dense, ReLU three times, then the output Dense.
    const types: string[] = [];
    let id = s.graph.edges.find((e) => e.sourcePort === 'features')!.target;
    while (id !== d2.id) {
      types.push(s.node(id)!.type);
      id = s.graph.edges.find((e) => e.source === id && e.sourcePort === 'out')!.target;
    }
    expect(types).toEqual([
      'Dense',
      'Activation.relu',
      'Dense',
      'Activation.relu',
      'Dense',
      'Activation.relu',
    ]);
    expect(s.undoLabel).toBe('Repeat ×2');
    s.undo();
    expect(s.graph.nodes).toHaveLength(6);
    expect(s.graph.edges.find((e) => e.target === d2.id)!.source).toBe(act.id);
  });

  it('repeat refuses a selection that is not a chain, naming why', () => {
    const s = new EditorStore();
    const { d1, loss } = buildChain(s);
    expect(() => s.repeatChain([d1.id, loss.id], 1)).toThrow(/chain|connected/);
    expect(() => orderChain(s.graph, [])).toThrow(/select/);
    expect(() => s.repeatChain([d1.id], 0)).toThrow(/1 to 50/);
  });

  it('duplicate gives new ids next to the originals', () => {
    const s = new EditorStore();
    const { d1 } = buildChain(s);
    const [copy] = s.duplicate([d1.id]);
    expect(copy).not.toBe(d1.id);
    expect(s.node(copy)!.type).toBe('Dense');
  });
});

describe('dirty tracking', () => {
  it('is clean after load and save, dirty after an edit, clean again after undoing back', () => {
    const s = new EditorStore();
    s.load(templateGraph());
    expect(s.dirty).toBe(false);
    expect(s.canUndo).toBe(false);
    const id = s.graph.nodes[1].id;
    s.setParam(id, 'units', 8);
    expect(s.dirty).toBe(true);
    s.undo();
    expect(s.dirty).toBe(false);
    s.redo();
    expect(s.dirty).toBe(true);
    s.markSaved();
    expect(s.dirty).toBe(false);
    s.undo();
    expect(s.dirty).toBe(true);
  });

  it('loading is not undoable and clears the history', () => {
    const s = new EditorStore();
    s.addNode('Dense', { x: 0, y: 0 })!;
    s.load(templateGraph());
    expect(s.canUndo).toBe(false);
    expect(s.undo()).toBe(false);
    expect(s.graph.nodes).toHaveLength(6);
  });

  it('notifies subscribers on every change', () => {
    const s = new EditorStore();
    let calls = 0;
    const off = s.subscribe(() => calls++);
    s.addNode('Dense', { x: 0, y: 0 })!;
    s.undo();
    off();
    s.redo();
    expect(calls).toBe(2);
  });
});

describe('recovered graphs', () => {
  it('load(graph, unsaved) starts dirty until saved', () => {
    const s = new EditorStore();
    s.load(templateGraph(), true);
    expect(s.dirty).toBe(true);
    expect(s.canUndo).toBe(false);
    s.markSaved();
    expect(s.dirty).toBe(false);
  });
});
