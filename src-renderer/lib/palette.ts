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

/**
 * How well `entry` answers `query`, lower is better, or null when it does not match at all:
 * 0 the label (or type) equals the query; 1 the label starts with it; 2 it starts a word of the
 * label (every term, for several words); 3 it occurs inside the label; 4 it matches only the type,
 * group, description or keywords. Compared after normalizeSearchText.
 */
export function matchRank(entry: PaletteItem, query: string): number | null {
  const q = normalizeSearchText(query);
  if (q === '') return 4;
  if (!matchesQuery(entry, query)) return null;
  const label = normalizeSearchText(entry.label);
  if (label === q || normalizeSearchText(entry.type) === q) return 0;
  if (label.startsWith(q)) return 1;
  const words = label.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const terms = q.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (terms.length > 0 && terms.every((t) => words.some((w) => w.startsWith(t)))) return 2;
  if (label.includes(q)) return 3;
  return 4;
}

/**
 * The item Enter in the search box adds: the best matchRank, ties broken by catalogue order
 * (the order of `items`). Undefined when nothing matches.
 */
export function bestMatch(items: readonly PaletteItem[], query: string): PaletteItem | undefined {
  let best: PaletteItem | undefined;
  let bestRank = Infinity;
  for (const it of items) {
    const r = matchRank(it, query);
    if (r !== null && r < bestRank) {
      best = it;
      bestRank = r;
    }
  }
  return best;
}
