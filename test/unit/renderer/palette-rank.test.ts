// Palette search ranking: Enter in the search box adds the best match (exact label, then label
// prefix, then word prefix, then substring, then a match elsewhere), ties in catalogue order.
import { describe, expect, it } from 'vitest';
import { bestMatch, matchRank, REGISTRY_PALETTE, type PaletteItem } from '../../../src-renderer/lib/palette';

const item = (type: string, label: string, description = ''): PaletteItem => ({
  type,
  label,
  group: 'losses',
  description,
});

describe('matchRank', () => {
  const ce = item('Loss.ce_logits', 'Cross-entropy (from logits)', 'Softmax and cross-entropy in one step');
  it('orders exact < prefix < word prefix < substring < elsewhere', () => {
    expect(matchRank(ce, 'cross-entropy (from logits)')).toBe(0);
    expect(matchRank(ce, 'Cross-ENTROPY  (from logits)')).toBe(0); // case and spaces do not count
    expect(matchRank(ce, 'cross')).toBe(1);
    expect(matchRank(ce, 'entropy')).toBe(2); // starts the word "entropy"
    expect(matchRank(ce, 'log')).toBe(2);
    expect(matchRank(ce, 'ntrop')).toBe(3); // inside a word
    expect(matchRank(ce, 'softmax')).toBe(4); // description only
    expect(matchRank(ce, 'adam')).toBeNull();
  });
  it('an exact type name counts as exact', () => {
    expect(matchRank(ce, 'loss.ce_logits')).toBe(0);
  });
});

describe('bestMatch', () => {
  it('prefers the exact label over an earlier item that also matches every word', () => {
    const items = [
      item('Loss.bce_logits', 'BCE (from logits)', 'Binary cross-entropy on raw scores'),
      item('Loss.ce_logits', 'Cross-entropy (from logits)'),
    ];
    expect(bestMatch(items, 'Cross-entropy (from logits)')?.type).toBe('Loss.ce_logits');
  });
  it('keeps catalogue order among equal ranks and returns undefined when nothing matches', () => {
    const items = [item('A', 'Dense block'), item('B', 'Dense')];
    expect(bestMatch(items, 'den')?.type).toBe('A'); // both are prefixes: the first wins
    expect(bestMatch(items, 'dense')?.type).toBe('B'); // exact beats prefix
    expect(bestMatch(items, 'zzz')).toBeUndefined();
  });
  it('on the real palette, the review case adds Cross-entropy (from logits), not BCE (from logits)', () => {
    expect(bestMatch(REGISTRY_PALETTE, 'Cross-entropy (from logits)')?.label).toBe(
      'Cross-entropy (from logits)',
    );
    expect(bestMatch(REGISTRY_PALETTE, 'BCE')?.label).toBe('BCE');
    expect(bestMatch(REGISTRY_PALETTE, 'cross-entropy')?.label).toBe('Cross-entropy');
  });
});
