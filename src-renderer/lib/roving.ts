/**
 * Keyboard navigation helpers for tab lists and lists with a roving focus (framework-free).
 *
 * Role: map a key press to the index that should receive focus, following the WAI-ARIA
 * Authoring Practices for tabs (Left/Right, Home/End, wrapping) and vertical lists (Up/Down).
 * Invariant: the result is always a valid index in [0, count) or null (key not handled).
 */

export type Orientation = 'horizontal' | 'vertical';

/**
 * Next focus index after `key` when `current` is focused among `count` items.
 * Returns null for keys the list does not handle, or when `count` is 0.
 */
export function nextIndex(
  key: string,
  current: number,
  count: number,
  orientation: Orientation,
): number | null {
  if (count <= 0) return null;
  const prevKey = orientation === 'horizontal' ? 'ArrowLeft' : 'ArrowUp';
  const nextKey = orientation === 'horizontal' ? 'ArrowRight' : 'ArrowDown';
  const from = Math.min(Math.max(current, 0), count - 1);
  switch (key) {
    case prevKey:
      return (from - 1 + count) % count;
    case nextKey:
      return (from + 1) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
