import { describe, expect, it } from 'vitest';
import { nextIndex } from '../../../src-renderer/lib/roving';

describe('nextIndex (WAI-ARIA tabs / lists)', () => {
  it('moves right and wraps at the end (horizontal)', () => {
    expect(nextIndex('ArrowRight', 0, 3, 'horizontal')).toBe(1);
    expect(nextIndex('ArrowRight', 2, 3, 'horizontal')).toBe(0);
  });
  it('moves left and wraps at the start (horizontal)', () => {
    expect(nextIndex('ArrowLeft', 1, 3, 'horizontal')).toBe(0);
    expect(nextIndex('ArrowLeft', 0, 3, 'horizontal')).toBe(2);
  });
  it('uses Up/Down for vertical lists and ignores Left/Right there', () => {
    expect(nextIndex('ArrowDown', 0, 4, 'vertical')).toBe(1);
    expect(nextIndex('ArrowUp', 0, 4, 'vertical')).toBe(3);
    expect(nextIndex('ArrowRight', 0, 4, 'vertical')).toBeNull();
    expect(nextIndex('ArrowDown', 0, 4, 'horizontal')).toBeNull();
  });
  it('Home and End go to the ends', () => {
    expect(nextIndex('Home', 2, 5, 'horizontal')).toBe(0);
    expect(nextIndex('End', 2, 5, 'vertical')).toBe(4);
  });
  it('ignores other keys and empty lists; clamps an out-of-range current index', () => {
    expect(nextIndex('a', 0, 3, 'horizontal')).toBeNull();
    expect(nextIndex('ArrowRight', 0, 0, 'horizontal')).toBeNull();
    expect(nextIndex('ArrowRight', 9, 3, 'horizontal')).toBe(0);
    expect(nextIndex('ArrowLeft', -4, 3, 'horizontal')).toBe(2);
  });
});
