/**
 * Undo/redo as recorded diffs over ordered collections: nodes, edges, and 'meta' (a one-item
 * collection holding document state outside the graph, e.g. the applied import settings).
 *
 * A change is an insert, remove or update of one item at an index. Applying a change list in order
 * and its inverse in reverse order restores the exact previous arrays, order included (Concat
 * joins its inputs in edge order, so order is meaningful). Invariants: never mutates the arrays it
 * is given; an entry with no changes is never recorded.
 */

export type Collection = 'nodes' | 'edges' | 'meta';

export type Change<T> =
  | { readonly coll: Collection; readonly op: 'insert'; readonly index: number; readonly item: T }
  | { readonly coll: Collection; readonly op: 'remove'; readonly index: number; readonly item: T }
  | {
      readonly coll: Collection;
      readonly op: 'update';
      readonly index: number;
      readonly before: T;
      readonly after: T;
    };

export interface HistoryEntry<T> {
  /** Unique, increasing; used for dirty tracking. */
  readonly seq: number;
  readonly label: string;
  readonly changes: readonly Change<T>[];
}

export interface Collections<T> {
  nodes: readonly T[];
  edges: readonly T[];
  meta?: readonly T[];
}

/** The inverse of one change. */
export function invert<T>(c: Change<T>): Change<T> {
  if (c.op === 'insert') return { coll: c.coll, op: 'remove', index: c.index, item: c.item };
  if (c.op === 'remove') return { coll: c.coll, op: 'insert', index: c.index, item: c.item };
  return { coll: c.coll, op: 'update', index: c.index, before: c.after, after: c.before };
}

/**
 * Applies `changes` in order to copies of the collections.
 * @throws Error when a change's index is out of range (a corrupt history; a bug, never user input).
 */
export function applyChanges<T>(state: Collections<T>, changes: readonly Change<T>[]): Collections<T> {
  const out: Record<Collection, T[] | null> = { nodes: null, edges: null, meta: null };
  const arr = (coll: Collection): T[] => (out[coll] ??= [...(state[coll] ?? [])]);
  for (const c of changes) {
    const a = arr(c.coll);
    if (c.index < 0 || c.index > a.length || (c.op !== 'insert' && c.index >= a.length))
      throw new Error(`history: ${c.op} at ${c.index} outside ${c.coll}[0..${a.length})`);
    if (c.op === 'insert') a.splice(c.index, 0, c.item);
    else if (c.op === 'remove') a.splice(c.index, 1);
    else a[c.index] = c.after;
  }
  const result: Collections<T> = { nodes: out.nodes ?? state.nodes, edges: out.edges ?? state.edges };
  const meta = out.meta ?? state.meta;
  if (meta) result.meta = meta;
  return result;
}

/** The changes that undo `changes`. */
export function inverseOf<T>(changes: readonly Change<T>[]): Change<T>[] {
  return changes.map(invert).reverse();
}

/**
 * Collects the changes of one user gesture (a whole drag, one parameter edit) so they become a single
 * undo step. Consecutive updates of the same item merge (first `before`, last `after`), so a long drag
 * stores one update per moved node; the merge is only done while no insert/remove intervened, because
 * those shift indices.
 */
export class PendingEntry<T> {
  readonly changes: Change<T>[] = [];
  #updates = new Map<string, number>();

  constructor(readonly label: string) {}

  push(c: Change<T>): void {
    if (c.op !== 'update') {
      this.#updates.clear();
      this.changes.push(c);
      return;
    }
    const key = `${c.coll}:${c.index}`;
    const at = this.#updates.get(key);
    if (at !== undefined) {
      const prev = this.changes[at] as Extract<Change<T>, { op: 'update' }>;
      this.changes[at] = { ...prev, after: c.after };
      return;
    }
    this.#updates.set(key, this.changes.length);
    this.changes.push(c);
  }
}
