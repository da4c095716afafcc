/**
 * The Help window's table of contents and search, over the hand-written panel pages and the
 * generated node pages. Framework-free so it is unit-tested directly.
 *
 * Search: case-insensitive; every word of the query must occur in a page's title, keywords or text.
 * Ranking: exact title match, then title prefix, then title contains the query, then keyword hits,
 * then text-only hits; ties keep contents order.
 */
import { nodeHelpPages, type NodeHelpPage } from './node-pages';
import { PANEL_PAGES, type HelpBlock, type PanelHelpPage } from './panel-pages';
import { plainText } from './help-text';

export type HelpPage = ({ kind: 'panel' } & PanelHelpPage) | ({ kind: 'node' } & NodeHelpPage);

export interface TocEntry {
  readonly id: string;
  readonly title: string;
}
export interface TocGroup {
  readonly label: string;
  readonly entries: readonly TocEntry[];
}

export const FIRST_PAGE = 'getting-started';

let cache: { pages: readonly HelpPage[]; byId: Map<string, HelpPage>; text: Map<string, string> } | null =
  null;

function blockText(b: HelpBlock): string {
  if ('p' in b) return plainText(b.p);
  if ('ul' in b) return b.ul.map(plainText).join(' ');
  return [...b.table.head, ...b.table.rows.flat()].map(plainText).join(' ');
}

function pageText(page: HelpPage): string {
  if (page.kind === 'panel')
    return [page.summary, ...page.sections.flatMap((s) => [s.heading, ...s.blocks.map(blockText)])].join(' ');
  return [
    page.purpose,
    page.lecture,
    ...page.tips,
    ...page.params.flatMap((r) => [r.label, r.name, r.description]),
    ...page.ports.map((r) => r.label),
  ].join(' ');
}

function index() {
  if (!cache) {
    const pages: HelpPage[] = [
      ...PANEL_PAGES.map((p) => ({ kind: 'panel' as const, ...p })),
      ...nodeHelpPages().map((p) => ({ kind: 'node' as const, ...p })),
    ];
    cache = {
      pages,
      byId: new Map(pages.map((p) => [p.id, p])),
      text: new Map(pages.map((p) => [p.id, pageText(p).toLowerCase()])),
    };
  }
  return cache;
}

/** Every page: panel pages first, then node pages in palette order. */
export function allHelpPages(): readonly HelpPage[] {
  return index().pages;
}

/** The page with `id`, or undefined. */
export function helpPage(id: string): HelpPage | undefined {
  return index().byId.get(id);
}

/** Contents: the panel pages ("Guide"), then one group per palette group of node pages. */
export function helpToc(): TocGroup[] {
  const groups: TocGroup[] = [
    { label: 'Guide', entries: PANEL_PAGES.map((p) => ({ id: p.id, title: p.title })) },
  ];
  for (const p of nodeHelpPages()) {
    const label = `Nodes · ${p.groupLabel}`;
    let g = groups.find((x) => x.label === label);
    if (!g) {
      g = { label, entries: [] };
      groups.push(g);
    }
    (g.entries as TocEntry[]).push({ id: p.id, title: p.title });
  }
  return groups;
}

/** Pages matching `query` (see the module comment), best first; [] for a blank query. */
export function searchHelp(query: string): HelpPage[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const words = q.split(/\s+/);
  const { pages, text } = index();
  const scored: { page: HelpPage; score: number; order: number }[] = [];
  pages.forEach((page, order) => {
    const title = page.title.toLowerCase();
    const keys = (page.kind === 'node' ? page.keywords : []).join(' ').toLowerCase();
    const body = text.get(page.id) ?? '';
    const all = `${title} ${keys} ${body}`;
    if (!words.every((w) => all.includes(w))) return;
    let score = 1;
    if (title === q) score = 5;
    else if (title.startsWith(q)) score = 4;
    else if (title.includes(q)) score = 3;
    else if (words.every((w) => `${title} ${keys}`.includes(w))) score = 2;
    scored.push({ page, score, order });
  });
  return scored.sort((a, b) => b.score - a.score || a.order - b.order).map((s) => s.page);
}
