/**
 * Draft-graph helpers for the canvas shell (framework-free).
 *
 * Role: turn a palette item into a canvas node (unique id, snapped position, display data)
 * and summarise a selection for the inspector. Invariants: never mutates inputs; node ids
 * are unique among `existingIds`; positions lie on the GRID_SIZE grid.
 *
 * The editor store (../editor/store.ts) uses the id and grid helpers; node contents come from
 * engine/graph's registry (createNode), not from DraftNode.
 */
import type { PaletteGroupId, PaletteItem } from './palette';

export const GRID_SIZE = 16;

/** Data carried by a canvas node (Svelte Flow's `node.data`). */
export interface DraftNodeData extends Record<string, unknown> {
  readonly type: string;
  readonly label: string;
  readonly group: PaletteGroupId;
  readonly description: string;
}

export interface DraftNode {
  readonly id: string;
  readonly type: 'netloom';
  readonly position: { x: number; y: number };
  readonly data: DraftNodeData;
}

/** Round a coordinate (flow units, i.e. canvas pixels at zoom 1) to the nearest grid line. */
export function snapToGrid(value: number, grid = GRID_SIZE): number {
  if (!Number.isFinite(value)) throw new RangeError(`snapToGrid: coordinate must be finite, got ${value}`);
  // `+ 0` turns -0 into 0 so ids/positions serialise cleanly.
  return Math.round(value / grid) * grid + 0;
}

/** First id of the form `<type-lowercase>-<n>` (n ≥ 1) not in `existingIds`. */
export function nextNodeId(type: string, existingIds: Iterable<string>): string {
  const taken = new Set(existingIds);
  const base =
    type
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'node';
  for (let n = 1; ; n++) {
    const id = `${base}-${n}`;
    if (!taken.has(id)) return id;
  }
}

/** A new canvas node for `item` at `position` (flow coordinates), snapped to the grid. */
export function createDraftNode(
  item: PaletteItem,
  position: { x: number; y: number },
  existingIds: Iterable<string>,
): DraftNode {
  return {
    id: nextNodeId(item.type, existingIds),
    type: 'netloom',
    position: { x: snapToGrid(position.x), y: snapToGrid(position.y) },
    data: { type: item.type, label: item.label, group: item.group, description: item.description },
  };
}

/**
 * Where to drop a node added by keyboard (no pointer position): the centre of the visible
 * area, nudged down-right by one grid step per node already there so new nodes don't stack.
 */
export function keyboardDropPosition(
  centre: { x: number; y: number },
  occupied: readonly { x: number; y: number }[],
): { x: number; y: number } {
  let x = snapToGrid(centre.x);
  let y = snapToGrid(centre.y);
  const isTaken = (px: number, py: number) => occupied.some((p) => p.x === px && p.y === py);
  let guard = 0;
  while (isTaken(x, y) && guard++ < 1000) {
    x += GRID_SIZE * 2;
    y += GRID_SIZE * 2;
  }
  return { x, y };
}

/** MIME type used for palette → canvas drag and drop. */
export const PALETTE_DRAG_MIME = 'application/x-netloom-node-type';
