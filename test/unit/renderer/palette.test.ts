import { describe, expect, it } from 'vitest';
import { nodeTypes } from '../../../engine/graph';
import {
  filterPalette,
  findPaletteItem,
  matchesQuery,
  normalizeSearchText,
  PALETTE_GROUPS,
  REGISTRY_PALETTE,
  type PaletteItem,
} from '../../../src-renderer/lib/palette';

const sample: PaletteItem[] = [
  { type: 'Dense', label: 'Dense', group: 'layers', description: 'Fully connected', keywords: ['linear'] },
  { type: 'ReLU', label: 'ReLU', group: 'activations', description: 'max(0, x)' },
  { type: 'Glorot', label: 'Glorot (Xavier)', group: 'initializers', description: 'Variance 2/(in+out)' },
  { type: 'Adam', label: 'Adam', group: 'optimizers', description: 'Adaptive moments' },
  { type: 'CsvInput', label: 'CSV input', group: 'data', description: 'Columns of a file' },
];

describe('palette catalogue', () => {
  it('has the seven lecture groups in order', () => {
    expect(PALETTE_GROUPS.map((g) => g.label)).toEqual([
      'Data',
      'Layers',
      'Activations',
      'Initializers',
      'Losses',
      'Optimizers',
      'Schedules',
    ]);
  });

  it('is generated from the node registry: every registry type, once, at least one per group', () => {
    const registryTypes = [...nodeTypes().keys()].sort();
    expect(REGISTRY_PALETTE.map((it) => it.type).sort()).toEqual(registryTypes);
    for (const g of PALETTE_GROUPS)
      expect(
        REGISTRY_PALETTE.some((it) => it.group === g.id),
        g.id,
      ).toBe(true);
  });

  it('covers the activations, optimizers and initializers the lecture names', () => {
    const group = (label: string) => REGISTRY_PALETTE.find((it) => it.label === label)?.group;
    for (const t of [
      'Sigmoid',
      'Tanh',
      'ReLU',
      'Leaky ReLU',
      'PReLU',
      'ELU',
      'SELU',
      'GELU',
      'Softplus',
      'Softmax',
    ])
      expect(group(t), t).toBe('activations');
    for (const t of ['SGD', 'SGD + momentum', 'Nesterov momentum', 'Adagrad', 'RMSProp', 'Adam'])
      expect(group(t), t).toBe('optimizers');
    expect(findPaletteItem(REGISTRY_PALETTE, 'Initializer.he_normal')?.group).toBe('initializers');
    // Search finds registry entries by type key too.
    expect(filterPalette(REGISTRY_PALETTE, 'he_normal').flatMap((s) => s.items.map((i) => i.type))).toContain(
      'Initializer.he_normal',
    );
  });
});

describe('normalizeSearchText', () => {
  it('lower-cases, strips accents and collapses spaces', () => {
    expect(normalizeSearchText('  Glorot   (XAVIER) ')).toBe('glorot (xavier)');
    expect(normalizeSearchText('Réseau')).toBe('reseau');
  });
});

describe('matchesQuery', () => {
  const dense = sample[0];
  it('matches everything for an empty or blank query', () => {
    expect(matchesQuery(dense, '')).toBe(true);
    expect(matchesQuery(dense, '   ')).toBe(true);
  });
  it('searches label, type, group label, description and keywords', () => {
    expect(matchesQuery(dense, 'dense')).toBe(true);
    expect(matchesQuery(dense, 'LAYERS')).toBe(true);
    expect(matchesQuery(dense, 'connected')).toBe(true);
    expect(matchesQuery(dense, 'linear')).toBe(true);
    expect(matchesQuery(dense, 'relu')).toBe(false);
  });
  it('requires every term to match', () => {
    expect(matchesQuery(sample[2], 'xavier glorot')).toBe(true);
    expect(matchesQuery(sample[2], 'xavier he')).toBe(false);
  });
});

describe('filterPalette', () => {
  it('returns sections in group order regardless of item order', () => {
    const ids = filterPalette([...sample].reverse(), '').map((s) => s.group.id);
    expect(ids).toEqual(['data', 'layers', 'activations', 'initializers', 'optimizers']);
  });
  it('drops empty sections unless asked to keep them', () => {
    expect(filterPalette(sample, 'adam').map((s) => s.group.id)).toEqual(['optimizers']);
    const kept = filterPalette(sample, 'adam', true);
    expect(kept).toHaveLength(PALETTE_GROUPS.length);
    expect(kept.filter((s) => s.items.length > 0)).toHaveLength(1);
  });
  it('returns nothing when nothing matches, and does not mutate the input', () => {
    const copy = JSON.stringify(sample);
    expect(filterPalette(sample, 'no-such-node')).toEqual([]);
    expect(JSON.stringify(sample)).toBe(copy);
  });
  it('keeps catalogue order inside a group', () => {
    const items: PaletteItem[] = [
      { type: 'B', label: 'B', group: 'layers', description: '' },
      { type: 'A', label: 'A', group: 'layers', description: '' },
    ];
    expect(filterPalette(items, '')[0].items.map((i) => i.type)).toEqual(['B', 'A']);
  });
});
