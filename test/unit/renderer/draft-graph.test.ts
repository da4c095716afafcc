import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createDraftNode,
  GRID_SIZE,
  keyboardDropPosition,
  nextNodeId,
  snapToGrid,
} from '../../../src-renderer/lib/draft-graph';
import type { PaletteItem } from '../../../src-renderer/lib/palette';

const relu: PaletteItem = { type: 'ReLU', label: 'ReLU', group: 'activations', description: 'max(0, x)' };

describe('snapToGrid', () => {
  it('rounds to the nearest multiple of the grid', () => {
    expect(snapToGrid(0)).toBe(0);
    expect(snapToGrid(7.9, 16)).toBe(0);
    expect(snapToGrid(8, 16)).toBe(16);
    expect(snapToGrid(-7, 16)).toBe(0);
    expect(Object.is(snapToGrid(-7, 16), -0)).toBe(false);
    expect(snapToGrid(-25, 16)).toBe(-32);
  });
  it('is within half a grid step of the input and idempotent (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (x) => {
        const s = snapToGrid(x);
        expect(Math.abs(s - x)).toBeLessThanOrEqual(GRID_SIZE / 2 + 1e-9);
        expect(s % GRID_SIZE === 0).toBe(true);
        expect(snapToGrid(s)).toBe(s);
      }),
    );
  });
  it('rejects non-finite coordinates with a message', () => {
    expect(() => snapToGrid(Number.NaN)).toThrow(/finite/);
    expect(() => snapToGrid(Infinity)).toThrow(/finite/);
  });
});

describe('nextNodeId', () => {
  it('numbers from 1 and fills the first gap', () => {
    expect(nextNodeId('Dense', [])).toBe('dense-1');
    expect(nextNodeId('Dense', ['dense-1', 'dense-2'])).toBe('dense-3');
    expect(nextNodeId('Dense', ['dense-2'])).toBe('dense-1');
  });
  it('makes ids safe from odd type names', () => {
    expect(nextNodeId('Leaky ReLU!', [])).toBe('leaky-relu-1');
    expect(nextNodeId('', [])).toBe('node-1');
  });
  it('never returns a taken id (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 30 }), (ns) => {
        const taken = ns.map((n) => `relu-${n}`);
        expect(taken).not.toContain(nextNodeId('ReLU', taken));
      }),
    );
  });
});

describe('createDraftNode', () => {
  it('builds a snapped node carrying the palette data', () => {
    const n = createDraftNode(relu, { x: 101, y: 39 }, ['relu-1']);
    expect(n).toEqual({
      id: 'relu-2',
      type: 'netloom',
      position: { x: 96, y: 32 },
      data: { type: 'ReLU', label: 'ReLU', group: 'activations', description: 'max(0, x)' },
    });
  });
});

describe('keyboardDropPosition', () => {
  it('uses the snapped centre when free', () => {
    expect(keyboardDropPosition({ x: 100, y: 50 }, [])).toEqual({ x: 96, y: 48 });
  });
  it('steps diagonally past occupied spots', () => {
    const occupied = [
      { x: 96, y: 48 },
      { x: 96 + 2 * GRID_SIZE, y: 48 + 2 * GRID_SIZE },
    ];
    expect(keyboardDropPosition({ x: 100, y: 50 }, occupied)).toEqual({
      x: 96 + 4 * GRID_SIZE,
      y: 48 + 4 * GRID_SIZE,
    });
  });
});
