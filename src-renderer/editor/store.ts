/**
 * The editor store: the project graph being edited, every edit as a command, undo/redo as recorded
 * diffs, and dirty tracking. Framework-free (plain TS, unit-tested in Node); Svelte components
 * subscribe, render `graph` and call commands.
 *
 * Invariants:
 * - `graph` is replaced, never mutated (nodes/edges arrays and node objects are immutable), so a
 *   renderer can compare by identity.
 * - Every edit goes through `#record`, which applies a change list and files it in the history; a
 *   gesture (`beginGesture` … `endGesture`) files all its edits as one undo step.
 * - Loading a graph (`load`) is not undoable: it clears the history and counts as saved.
 * - Edges are only added through `checkConnection` (engine/graph), so the graph never holds a
 *   wire the registry refuses; a refused one comes back with its reason.
 * - While locked (`lock(reason)`, e.g. a training run is active) every command that changes the
 *   network (nodes, wires, params, labels; undo/redo of such steps) is refused: the graph stays as it
 *   is and refusal listeners get the reason. Moving nodes (layout only) stays allowed.
 */
import {
  checkConnection,
  createNode,
  getNodeType,
  type ConnectionCheck,
  type Graph,
  type GraphEdge,
  type GraphNode,
  type ProposedEdge,
} from '../../engine/graph';
import { nextNodeId, snapToGrid } from '../lib/draft-graph';
import { applyChanges, inverseOf, PendingEntry, type Change, type HistoryEntry } from './history';

/** Document state outside the graph that edits can change (opaque to the store; e.g. import settings). */
export type DocMeta = Readonly<Record<string, unknown>> | null;
type Item = GraphNode | GraphEdge | DocMeta;
type XY = { x: number; y: number };

/** What copy/cut put on the clipboard: the nodes and the edges between them (plain JSON). */
export interface ClipboardData {
  readonly kind: 'netloom-nodes';
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** The id an edge between two ports gets (unique: the same two ports cannot be wired twice). */
export function edgeId(e: ProposedEdge): string {
  return `${e.source}.${e.sourcePort}->${e.target}.${e.targetPort}`;
}

/** Horizontal distance between a node and the copy made by duplicate/paste (flow units). */
export const PASTE_OFFSET: XY = { x: 32, y: 32 };

export class EditorStore {
  #graph: Graph = { nodes: [], edges: [] };
  #meta: DocMeta = null;
  #undo: HistoryEntry<Item>[] = [];
  #redo: HistoryEntry<Item>[] = [];
  #pending: PendingEntry<Item> | null = null;
  #seq = 0;
  /** seq of the top undo entry when last saved/loaded (0 = the empty history). */
  #savedSeq = 0;
  #listeners = new Set<() => void>();
  #refusalListeners = new Set<(reason: string) => void>();
  #lockReason: string | null = null;
  /** Bumped on every change (graph, history or saved state) so subscribers can cheaply compare. */
  revision = 0;

  /** Maximum undo steps kept (oldest dropped first). */
  constructor(readonly historyLimit = 500) {}

  get graph(): Graph {
    return this.#graph;
  }
  /** The document state recorded with the graph (setMeta; restored by undo/redo). */
  get meta(): DocMeta {
    return this.#meta;
  }
  get canUndo(): boolean {
    return this.#undo.length > 0 || (this.#pending?.changes.length ?? 0) > 0;
  }
  get canRedo(): boolean {
    return this.#redo.length > 0;
  }
  /** Label of the step Undo would revert (for menus/tooltips), or null. */
  get undoLabel(): string | null {
    return this.#undo.at(-1)?.label ?? null;
  }
  get redoLabel(): string | null {
    return this.#redo.at(-1)?.label ?? null;
  }
  /** True when the graph differs from the last load/save (by history position, so undoing back is clean). */
  get dirty(): boolean {
    if (this.#pending && this.#pending.changes.length > 0) return true;
    return (this.#undo.at(-1)?.seq ?? 0) !== this.#savedSeq;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Called with the reason whenever a command is refused because the store is locked. */
  onRefused(listener: (reason: string) => void): () => void {
    this.#refusalListeners.add(listener);
    return () => this.#refusalListeners.delete(listener);
  }

  /** Why edits are refused now, or null when editing is allowed. */
  get lockReason(): string | null {
    return this.#lockReason;
  }
  get locked(): boolean {
    return this.#lockReason !== null;
  }

  /**
   * Refuses every command that changes the network until `unlock` (see module header). Ends an open
   * gesture first, so a half-done edit is filed before the lock.
   */
  lock(reason: string): void {
    this.endGesture();
    this.#lockReason = reason;
    this.#emit();
  }

  unlock(): void {
    if (this.#lockReason === null) return;
    this.#lockReason = null;
    this.#emit();
  }

  /** True (and listeners told why) when locked: the caller must not change the network. */
  #refused(): boolean {
    const reason = this.#lockReason;
    if (reason === null) return false;
    for (const l of this.#refusalListeners) l(reason);
    return true;
  }

  node(id: string): GraphNode | undefined {
    return this.#graph.nodes.find((n) => n.id === id);
  }

  // ---- document state ---------------------------------------------------------------------

  /**
   * Replaces the graph (open, new, recover). Not undoable: the history is cleared. The result counts
   * as saved unless `unsaved` (a recovered snapshot, which must not be lost again by closing).
   */
  load(graph: Graph, unsaved = false, meta: DocMeta = null): void {
    this.#graph = { nodes: [...graph.nodes], edges: [...graph.edges] };
    this.#meta = meta;
    this.#undo = [];
    this.#redo = [];
    this.#pending = null;
    this.#savedSeq = unsaved ? -1 : 0;
    this.#emit();
  }

  /**
   * Replaces the document state without an undo step (a change the user did not make as an edit, e.g.
   * the project's CSV found next to it). Does not notify: the caller already shows the new state.
   */
  replaceMeta(meta: DocMeta): void {
    this.#meta = meta;
  }

  /**
   * Sets the document state as an undoable step (inside a gesture: part of it). Allowed while locked:
   * it does not change the network.
   */
  setMeta(meta: DocMeta, label: string): void {
    if (meta === this.#meta) return;
    this.#record(label, [{ coll: 'meta', op: 'update', index: 0, before: this.#meta, after: meta }]);
  }

  /** Records that the current graph was saved (clears `dirty`). */
  markSaved(): void {
    this.endGesture();
    this.#savedSeq = this.#undo.at(-1)?.seq ?? 0;
    this.#emit();
  }

  // ---- gestures and history ----------------------------------------------------------------

  /** Starts a gesture (drag, parameter edit): its edits become one undo step. Ends any open gesture. */
  beginGesture(label: string): void {
    this.endGesture();
    this.#pending = new PendingEntry(label);
  }

  /** Ends the open gesture, filing its edits as one undo step (nothing when it changed nothing). */
  endGesture(): void {
    const p = this.#pending;
    if (!p) return;
    this.#pending = null;
    if (p.changes.length > 0) this.#file(p.label, p.changes);
  }

  undo(): boolean {
    this.endGesture();
    const top = this.#undo.at(-1);
    if (top && !isLayoutOnly(top.changes) && this.#refused()) return false;
    const entry = this.#undo.pop();
    if (!entry) return false;
    this.#apply(inverseOf(entry.changes));
    this.#redo.push(entry);
    this.#emit();
    return true;
  }

  redo(): boolean {
    this.endGesture();
    const top = this.#redo.at(-1);
    if (top && !isLayoutOnly(top.changes) && this.#refused()) return false;
    const entry = this.#redo.pop();
    if (!entry) return false;
    this.#apply(entry.changes);
    this.#undo.push(entry);
    this.#emit();
    return true;
  }

  // ---- commands ----------------------------------------------------------------------------

  /**
   * Adds a node of registry type `type` at `position` (flow units, snapped to the grid).
   * @returns the new node, or null when the store is locked (refused).
   * @throws Error when the registry has no such type (the message names it).
   */
  addNode(type: string, position: XY): GraphNode | null {
    if (this.#refused()) return null;
    const id = nextNodeId(
      type,
      this.#graph.nodes.map((n) => n.id),
    );
    const node = createNode(type, id, { x: snapToGrid(position.x), y: snapToGrid(position.y) });
    this.#record(`Add ${getNodeType(type)?.label ?? type}`, [this.#insertNode(node)]);
    return node;
  }

  /**
   * Wires an output port to an input port if engine/graph's connection check allows it.
   * @returns the check (with the refusal's reason) and, when accepted, the new edge.
   */
  connect(proposed: ProposedEdge): ConnectionCheck & { edge?: GraphEdge } {
    if (this.#refused()) return { ok: false, reason: this.#lockReason! };
    const check = checkConnection(this.#graph, proposed);
    if (!check.ok) return check;
    const edge: GraphEdge = { id: edgeId(proposed), ...proposed };
    this.#record('Connect', [{ coll: 'edges', op: 'insert', index: this.#graph.edges.length, item: edge }]);
    return { ok: true, edge };
  }

  /** Deletes nodes (and every edge touching them) and edges; one undo step. No-op for unknown ids. */
  remove(nodeIds: Iterable<string>, edgeIds: Iterable<string> = []): void {
    if (this.#refused()) return;
    const nodes = new Set(nodeIds);
    const edges = new Set(edgeIds);
    const changes: Change<Item>[] = [];
    // Remove from the end so recorded indices stay valid in order.
    const es = this.#graph.edges;
    for (let i = es.length - 1; i >= 0; i--) {
      const e = es[i];
      if (edges.has(e.id) || nodes.has(e.source) || nodes.has(e.target))
        changes.push({ coll: 'edges', op: 'remove', index: i, item: e });
    }
    const ns = this.#graph.nodes;
    for (let i = ns.length - 1; i >= 0; i--)
      if (nodes.has(ns[i].id)) changes.push({ coll: 'nodes', op: 'remove', index: i, item: ns[i] });
    if (changes.length) this.#record(nodes.size ? 'Delete' : 'Delete connection', changes);
  }

  /** Moves nodes to new positions (rounded to whole units). Inside a gesture the whole drag is one step. */
  moveNodes(positions: ReadonlyMap<string, XY>, label = 'Move'): void {
    const changes: Change<Item>[] = [];
    this.#graph.nodes.forEach((n, index) => {
      const p = positions.get(n.id);
      if (!p) return;
      const x = Math.round(p.x);
      const y = Math.round(p.y);
      if (x === n.position.x && y === n.position.y) return;
      changes.push({ coll: 'nodes', op: 'update', index, before: n, after: { ...n, position: { x, y } } });
    });
    if (changes.length) this.#record(label, changes);
  }

  /** Sets one param of a node. Validation of the value is the inspector's job (engine/graph paramError). */
  setParam(nodeId: string, name: string, value: unknown): void {
    if (this.#refused()) return;
    const index = this.#graph.nodes.findIndex((n) => n.id === nodeId);
    if (index < 0) throw new Error(`setParam: no node '${nodeId}' in the graph.`);
    const n = this.#graph.nodes[index];
    if (Object.is(n.params[name], value)) return;
    const after: GraphNode = { ...n, params: { ...n.params, [name]: value } };
    this.#record(`Edit ${name}`, [{ coll: 'nodes', op: 'update', index, before: n, after }]);
  }

  /** Sets (or, with an empty string, clears) a node's user-visible label. */
  setLabel(nodeId: string, label: string): void {
    if (this.#refused()) return;
    const index = this.#graph.nodes.findIndex((n) => n.id === nodeId);
    if (index < 0) throw new Error(`setLabel: no node '${nodeId}' in the graph.`);
    const n = this.#graph.nodes[index];
    const trimmed = label.trim();
    if ((n.label ?? '') === trimmed) return;
    const after: GraphNode = { ...n };
    if (trimmed) (after as { label?: string }).label = trimmed;
    else delete (after as { label?: string }).label;
    this.#record('Rename', [{ coll: 'nodes', op: 'update', index, before: n, after }]);
  }

  /** The nodes `ids` and the edges between them, as clipboard data (deep copies). */
  copy(ids: Iterable<string>): ClipboardData {
    const set = new Set(ids);
    const nodes = this.#graph.nodes.filter((n) => set.has(n.id));
    const edges = this.#graph.edges.filter((e) => set.has(e.source) && set.has(e.target));
    return structuredClone({ kind: 'netloom-nodes', nodes, edges });
  }

  /** Copy, then delete; one undo step for the delete. */
  cut(ids: Iterable<string>): ClipboardData | null {
    if (this.#refused()) return null;
    const list = [...ids];
    const data = this.copy(list);
    this.remove(list);
    return data;
  }

  /**
   * Inserts clipboard nodes with fresh ids, moved by `offset`, and the edges between them.
   * Unknown node types are refused as a whole (nothing is pasted).
   * @returns the new node ids, in clipboard order.
   * @throws Error naming the first node type the registry does not know.
   */
  paste(data: ClipboardData, offset: XY = PASTE_OFFSET): string[] {
    if (this.#refused()) return [];
    for (const n of data.nodes)
      if (!getNodeType(n.type)) throw new Error(`Cannot paste node '${n.id}': unknown type '${n.type}'.`);
    const { changes, idMap } = this.#copyNodes(data.nodes, data.edges, offset);
    if (changes.length) this.#record('Paste', changes);
    return data.nodes.map((n) => idMap.get(n.id)!);
  }

  /** Duplicates nodes `ids` (with the edges between them) next to the originals; returns the new ids. */
  duplicate(ids: Iterable<string>): string[] {
    if (this.#refused()) return [];
    const data = this.copy(ids);
    const { changes, idMap } = this.#copyNodes(data.nodes, data.edges, PASTE_OFFSET);
    if (changes.length) this.#record('Duplicate', changes);
    return data.nodes.map((n) => idMap.get(n.id)!);
  }

  /**
   * 'Repeat': appends `times` wired copies of a selected chain (e.g. Dense → ReLU) after it.
   * The chain is the selected nodes linked one after another through tensor edges; each copy's head
   * is fed by the previous tail, initializer/schedule inputs from outside are wired to the copies too,
   * and whatever the original tail fed (e.g. the next layer) is fed by the last copy instead.
   * @returns the ids of all new nodes.
   * @throws Error when the selection is not a single tensor chain, or `times` is not an integer in [1, 50].
   */
  repeatChain(ids: Iterable<string>, times: number): string[] {
    if (!Number.isInteger(times) || times < 1 || times > 50)
      throw new Error(`Repeat: the number of copies must be a whole number from 1 to 50 (got ${times}).`);
    if (this.#refused()) return [];
    const chain = orderChain(this.#graph, [...ids]);
    const set = new Set(chain.map((n) => n.id));
    const head = chain[0];
    const tail = chain[chain.length - 1];
    const inner = this.#graph.edges.filter((e) => set.has(e.source) && set.has(e.target));
    const sideInputs = this.#graph.edges.filter(
      (e) => set.has(e.target) && !set.has(e.source) && !isTensorPort(e.target, e.targetPort, this.#graph),
    );
    const tailOut = this.#graph.edges.filter((e) => e.source === tail.id && !set.has(e.target));
    const xs = chain.map((n) => n.position.x);
    const span = Math.max(...xs) - Math.min(...xs) + 192;
    const headIn = getNodeType(head.type)?.inputs.find((p) => p.type === 'tensor')?.name ?? 'in';
    const tailOutPort = getNodeType(tail.type)?.outputs.find((p) => p.type === 'tensor')?.name ?? 'out';

    this.beginGesture(`Repeat ×${times}`);
    const created: string[] = [];
    try {
      // Detach the outside consumers of the tail; they are re-fed by the last copy.
      if (tailOut.length)
        this.remove(
          [],
          tailOut.map((e) => e.id),
        );
      let prevTail = tail.id;
      for (let k = 1; k <= times; k++) {
        const { changes, idMap } = this.#copyNodes(chain, inner, { x: span * k, y: 0 });
        this.#record('Repeat', changes);
        created.push(...chain.map((n) => idMap.get(n.id)!));
        this.#mustConnect({
          source: prevTail,
          sourcePort: tailOutPort,
          target: idMap.get(head.id)!,
          targetPort: headIn,
        });
        for (const e of sideInputs) this.#mustConnect({ ...stripId(e), target: idMap.get(e.target)! });
        prevTail = idMap.get(tail.id)!;
      }
      for (const e of tailOut) this.#mustConnect({ ...stripId(e), source: prevTail });
    } finally {
      this.endGesture();
    }
    return created;
  }

  /** Sets many positions as one undo step (auto-layout). */
  setPositions(positions: ReadonlyMap<string, XY>, label = 'Auto-layout'): void {
    this.beginGesture(label);
    this.moveNodes(positions, label);
    this.endGesture();
  }

  // ---- internals ---------------------------------------------------------------------------

  #mustConnect(p: ProposedEdge): void {
    const r = this.connect(p);
    if (!r.ok) throw new Error(`Repeat could not wire ${p.source} → ${p.target}: ${r.reason}`);
  }

  #insertNode(node: GraphNode): Change<Item> {
    return { coll: 'nodes', op: 'insert', index: this.#graph.nodes.length, item: node };
  }

  /** Changes that insert copies of `nodes` (fresh ids, moved by `offset`) and of `edges` among them. */
  #copyNodes(
    nodes: readonly GraphNode[],
    edges: readonly GraphEdge[],
    offset: XY,
  ): { changes: Change<Item>[]; idMap: Map<string, string> } {
    const taken = this.#graph.nodes.map((n) => n.id);
    const idMap = new Map<string, string>();
    const changes: Change<Item>[] = [];
    let nodeCount = this.#graph.nodes.length;
    for (const n of nodes) {
      const id = nextNodeId(n.type, taken);
      taken.push(id);
      idMap.set(n.id, id);
      const copy: GraphNode = {
        ...structuredClone(n),
        id,
        position: { x: n.position.x + offset.x, y: n.position.y + offset.y },
      };
      changes.push({ coll: 'nodes', op: 'insert', index: nodeCount++, item: copy });
    }
    let edgeCount = this.#graph.edges.length;
    for (const e of edges) {
      const source = idMap.get(e.source);
      const target = idMap.get(e.target);
      if (!source || !target) continue;
      const p = { source, sourcePort: e.sourcePort, target, targetPort: e.targetPort };
      changes.push({ coll: 'edges', op: 'insert', index: edgeCount++, item: { id: edgeId(p), ...p } });
    }
    return { changes, idMap };
  }

  #apply(changes: readonly Change<Item>[]): void {
    const next = applyChanges<Item>({ ...this.#graph, meta: [this.#meta] }, changes);
    this.#graph = toGraph(next);
    this.#meta = (next.meta?.[0] ?? null) as DocMeta;
  }

  #record(label: string, changes: Change<Item>[]): void {
    this.#apply(changes);
    if (this.#pending) for (const c of changes) this.#pending.push(c);
    else this.#file(label, changes);
    this.#emit();
  }

  #file(label: string, changes: readonly Change<Item>[]): void {
    this.#undo.push({ seq: ++this.#seq, label, changes });
    if (this.#undo.length > this.historyLimit) this.#undo.shift();
    this.#redo = [];
  }

  #emit(): void {
    this.revision++;
    for (const l of this.#listeners) l();
  }
}

/**
 * True when every change only moves nodes or sets document state (meta): such steps do not change
 * the network, so they may be undone while it is locked.
 */
function isLayoutOnly(changes: readonly Change<Item>[]): boolean {
  return changes.every((c) => {
    if (c.coll === 'meta') return true;
    if (c.op !== 'update' || c.coll !== 'nodes') return false;
    const a = c.before as GraphNode;
    const b = c.after as GraphNode;
    // moveNodes copies the node with a new position only, so the rest is the same objects.
    return a.id === b.id && a.type === b.type && a.params === b.params && a.label === b.label;
  });
}

function toGraph(c: { nodes: readonly Item[]; edges: readonly Item[] }): Graph {
  // Nodes and edges collections only ever hold GraphNode / GraphEdge items.
  return { nodes: c.nodes as GraphNode[], edges: c.edges as GraphEdge[] };
}

function stripId(e: GraphEdge): ProposedEdge {
  return { source: e.source, sourcePort: e.sourcePort, target: e.target, targetPort: e.targetPort };
}

function isTensorPort(nodeId: string, port: string, graph: Graph): boolean {
  const node = graph.nodes.find((n) => n.id === nodeId);
  return getNodeType(node?.type ?? '')?.inputs.find((p) => p.name === port)?.type === 'tensor';
}

/**
 * Orders the selected nodes as a chain linked by tensor edges (head first).
 * @throws Error when they are not one unbranched chain.
 */
export function orderChain(graph: Graph, ids: readonly string[]): GraphNode[] {
  const set = new Set(ids);
  const nodes = graph.nodes.filter((n) => set.has(n.id));
  if (nodes.length === 0)
    throw new Error('Repeat: select the chain of nodes to repeat (e.g. Dense and ReLU).');
  const tensorEdges = graph.edges.filter(
    (e) => set.has(e.source) && set.has(e.target) && isTensorPort(e.target, e.targetPort, graph),
  );
  const next = new Map<string, string>();
  const hasPrev = new Set<string>();
  for (const e of tensorEdges) {
    if (next.has(e.source) || hasPrev.has(e.target))
      throw new Error('Repeat: the selected nodes branch; select one chain such as Dense → ReLU.');
    next.set(e.source, e.target);
    hasPrev.add(e.target);
  }
  const heads = nodes.filter((n) => !hasPrev.has(n.id));
  if (heads.length !== 1)
    throw new Error(
      'Repeat: the selected nodes are not connected one after another; wire them as a chain first.',
    );
  const out: GraphNode[] = [];
  for (let id: string | undefined = heads[0].id; id; id = next.get(id))
    out.push(nodes.find((n) => n.id === id)!);
  if (out.length !== nodes.length) throw new Error('Repeat: the selection is not a single chain.');
  const tensorIo = (n: GraphNode) => {
    const def = getNodeType(n.type);
    return !!def?.inputs.some((p) => p.type === 'tensor') && !!def?.outputs.some((p) => p.type === 'tensor');
  };
  const bad = out.find((n) => !tensorIo(n));
  if (bad)
    throw new Error(
      `Repeat: '${bad.label ?? bad.id}' has no tensor input and output, so it cannot be chained.`,
    );
  return out;
}
