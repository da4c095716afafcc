/**
 * Palette catalogue and search (framework-free).
 *
 * Role: the list of node kinds shown in the left-hand palette, grouped as in the lecture
 * (data, layers, activations, initializers, losses, optimizers, schedules), and the search
 * that narrows it. Invariants: groups always come out in PALETTE_GROUPS order; item order
 * inside a group is the catalogue order; search never mutates the catalogue.
 *
 * The items come from engine/graph's `paletteEntries()` (REGISTRY_PALETTE).
 */
import { paletteEntries } from '../../engine/graph';

export type PaletteGroupId =
  'data' | 'layers' | 'activations' | 'initializers' | 'losses' | 'optimizers' | 'schedules';

export interface PaletteGroup {
  readonly id: PaletteGroupId;
  readonly label: string;
}

export interface PaletteItem {
  /** Stable node type name as it will appear in saved projects, e.g. 'Dense'. */
  readonly type: string;
  /** Human label shown in the palette. */
  readonly label: string;
  readonly group: PaletteGroupId;
  /** One-line description; also searched. */
  readonly description: string;
  /** Extra search words (synonyms, abbreviations). */
  readonly keywords?: readonly string[];
}

export interface PaletteSection {
  readonly group: PaletteGroup;
  readonly items: readonly PaletteItem[];
}

export const PALETTE_GROUPS: readonly PaletteGroup[] = [
  { id: 'data', label: 'Data' },
  { id: 'layers', label: 'Layers' },
  { id: 'activations', label: 'Activations' },
  { id: 'initializers', label: 'Initializers' },
  { id: 'losses', label: 'Losses' },
  { id: 'optimizers', label: 'Optimizers' },
  { id: 'schedules', label: 'Schedules' },
];

/** The palette, generated from engine/graph's node registry (no hand-kept list). */
export const REGISTRY_PALETTE: readonly PaletteItem[] = paletteEntries();

/** Lower-case, strip accents and collapse whitespace so 'Glorot  (Xavier)' ≈ 'glorot (xavier)'. */
export function normalizeSearchText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** True when every whitespace-separated term of `query` occurs in the item's label, type,
 * group, description or keywords. An empty query matches everything. */
export function matchesQuery(entry: PaletteItem, query: string): boolean {
  const terms = normalizeSearchText(query).split(' ').filter(Boolean);
  if (terms.length === 0) return true;
  const group = PALETTE_GROUPS.find((g) => g.id === entry.group)?.label ?? entry.group;
  const haystack = normalizeSearchText(
    [entry.label, entry.type, group, entry.description, ...(entry.keywords ?? [])].join(' '),
  );
  return terms.every((t) => haystack.includes(t));
}

/**
 * Group `items` into sections in PALETTE_GROUPS order, keeping only those matching `query`.
 * Sections left empty by the search are dropped unless `keepEmpty` is set.
 */
export function filterPalette(
  items: readonly PaletteItem[],
  query: string,
  keepEmpty = false,
): PaletteSection[] {
  const sections: PaletteSection[] = [];
  for (const group of PALETTE_GROUPS) {
    const matched = items.filter((it) => it.group === group.id && matchesQuery(it, query));
    if (matched.length > 0 || keepEmpty) sections.push({ group, items: matched });
  }
  return sections;
}

/** Look up a palette item by node type; undefined when unknown. */
export function findPaletteItem(items: readonly PaletteItem[], type: string): PaletteItem | undefined {
  return items.find((it) => it.type === type);
}
