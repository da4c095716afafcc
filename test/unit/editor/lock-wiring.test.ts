// The editor store while a training run is active (locked: every change to the network refused with
// its reason, moves allowed), and wiring by keyboard (editor/wiring: the "Connect to…" list).
import { describe, expect, it } from 'vitest';
import { checkConnection, type Graph } from '../../../engine/graph';
import { EditorStore } from '../../../src-renderer/editor/store';
import { connectOptions, filterOptions } from '../../../src-renderer/editor/wiring';
import { templateGraph } from '../../../src-renderer/editor/project-io';

const snapshot = (g: Graph) => JSON.parse(JSON.stringify(g));
const REASON = 'A run is active.';

describe('a locked store refuses changes to the network', () => {
  function lockedTemplate() {
    const s = new EditorStore();
    s.load(templateGraph());
    const dense = s.graph.nodes.find((n) => n.type === 'Dense')!;
    s.setParam(dense.id, 'units', 8); // an undoable step from before the lock
    const refusals: string[] = [];
    s.onRefused((r) => refusals.push(r));
    s.lock(REASON);
    return { s, dense, refusals };
  }

  it('refuses every command that changes the network, graph and history unchanged, with the reason', () => {
    const { s, dense, refusals } = lockedTemplate();
    const before = snapshot(s.graph);
    const relu = s.graph.nodes.find((n) => n.type === 'Activation.relu')!;
    const edge = s.graph.edges[0];

    expect(s.addNode('Dense', { x: 0, y: 0 })).toBeNull();
    expect(s.connect({ source: relu.id, sourcePort: 'out', target: dense.id, targetPort: 'in' })).toEqual({
      ok: false,
      reason: REASON,
    });
    s.remove([dense.id]);
    s.remove([], [edge.id]);
    s.setParam(dense.id, 'units', 99);
    s.setLabel(dense.id, 'renamed');
    expect(s.cut([dense.id])).toBeNull();
    expect(s.paste(s.copy([dense.id]))).toEqual([]);
    expect(s.duplicate([dense.id])).toEqual([]);
    expect(s.repeatChain([dense.id, relu.id], 1)).toEqual([]);
    expect(s.undo()).toBe(false); // the last step edited a param: not undone while locked

    expect(snapshot(s.graph)).toEqual(before);
    expect(refusals).toHaveLength(11);
    expect(new Set(refusals)).toEqual(new Set([REASON]));
    expect(s.locked).toBe(true);
    expect(s.lockReason).toBe(REASON);
  });

  it('still lets nodes move (layout only), and undo such a move', () => {
    const { s, dense, refusals } = lockedTemplate();
    s.moveNodes(new Map([[dense.id, { x: 1000, y: 500 }]]));
    expect(s.node(dense.id)!.position).toEqual({ x: 1000, y: 500 });
    expect(s.undo()).toBe(true);
    expect(s.node(dense.id)!.position).not.toEqual({ x: 1000, y: 500 });
    expect(refusals).toEqual([]);
  });

  it('accepts edits again after unlock, and the step from before the lock is undoable', () => {
    const { s, dense, refusals } = lockedTemplate();
    s.unlock();
    expect(s.locked).toBe(false);
    expect(s.undo()).toBe(true);
    expect(s.node(dense.id)!.params.units).toBe(16);
    expect(s.addNode('Dropout', { x: 0, y: 0 })).not.toBeNull();
    expect(refusals).toEqual([]);
  });

  it('files an open gesture before locking', () => {
    const s = new EditorStore();
    s.load(templateGraph());
    const id = s.graph.nodes[1].id;
    s.beginGesture('Edit units');
    s.setParam(id, 'units', 4);
    s.lock(REASON);
    expect(s.undoLabel).toBe('Edit units');
  });
});

describe('wiring by keyboard', () => {
  /** Template without the ReLU → output Dense wire: the output Dense's input is free. */
  function graphWithFreeInput() {
    const s = new EditorStore();
    s.load(templateGraph());
    const relu = s.graph.nodes.find((n) => n.type === 'Activation.relu')!;
    const cut = s.graph.edges.find((e) => e.source === relu.id)!;
    s.remove([], [cut.id]);
    return { s, relu, freed: cut };
  }

  it('lists allowed wires first and gives the checker’s reason for every refused one', () => {
    const { s, relu, freed } = graphWithFreeInput();
    const options = connectOptions(s.graph, relu.id);
    const firstRefused = options.findIndex((o) => !o.ok);
    expect(firstRefused).toBeGreaterThan(0);
    expect(options.slice(firstRefused).every((o) => !o.ok)).toBe(true);
    // Every option agrees with engine/graph's own check; refused ones carry a reason.
    for (const o of options) {
      expect(o.ok).toBe(checkConnection(s.graph, o.edge).ok);
      if (!o.ok) expect(o.reason).toMatch(/\w/);
      expect(o.edge.source === relu.id || o.edge.target === relu.id).toBe(true);
    }
    // The wire just removed is offered again.
    const back = options.find(
      (o) =>
        o.edge.target === freed.target && o.edge.targetPort === freed.targetPort && o.direction === 'out',
    );
    expect(back?.ok).toBe(true);
    // Its own input is already fed by the first Dense: offering a second wire into it is refused.
    const dense1 = s.graph.edges.find((e) => e.target === relu.id)!.source;
    const dup = options.find((o) => o.direction === 'in' && o.edge.source === dense1);
    expect(dup?.ok).toBe(false);
    // An optimizer output into a tensor input is refused by type.
    const adam = s.graph.nodes.find((n) => n.type.startsWith('Optimizer.'))!;
    const typed = options.find((o) => o.edge.source === adam.id && o.edge.target === relu.id);
    expect(typed?.ok).toBe(false);
    expect(typed?.reason).toMatch(/optimizer/);
  });

  it('connecting the chosen option is one undo step', () => {
    const { s, relu } = graphWithFreeInput();
    const option = connectOptions(s.graph, relu.id).find((o) => o.ok)!;
    const edges = s.graph.edges.length;
    expect(s.connect(option.edge).ok).toBe(true);
    expect(s.graph.edges).toHaveLength(edges + 1);
    expect(s.undoLabel).toBe('Connect');
    s.undo();
    expect(s.graph.edges).toHaveLength(edges);
  });

  it('filters by every typed word, case-insensitively', () => {
    const { s, relu } = graphWithFreeInput();
    const options = connectOptions(s.graph, relu.id);
    const dense = filterOptions(options, 'DENSE input');
    expect(dense.length).toBeGreaterThan(0);
    expect(dense.every((o) => /dense/i.test(o.label) && /input/i.test(o.label))).toBe(true);
    expect(filterOptions(options, '')).toHaveLength(options.length);
    expect(filterOptions(options, 'no-such-node-xyz')).toEqual([]);
    expect(connectOptions(s.graph, 'missing')).toEqual([]);
  });
});
