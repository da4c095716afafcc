/**
 * The examples gallery of the welcome screen, built from the shipped `examples/*.netloom.json`
 * (bundled at build time by ./examples-bundle.ts) — no hand-kept list.
 *
 * Framework-free: `buildExamples` takes the raw texts and CSV URLs, so it is unit-tested in Node.
 * Invariants: an example whose file does not load is listed with its error (never hidden, never a
 * crash); entries are sorted by a teaching order (simple first), unknown ones last by name.
 */
import type { Graph } from '../../engine/graph';
import type { Project } from '../../engine/project';
import { parseProject } from '../editor/project-io';

export interface ExampleEntry {
  /** File stem, e.g. 'iris'. */
  readonly id: string;
  readonly title: string;
  /** One line on what it teaches. */
  readonly blurb: string;
  readonly project: Project | null;
  readonly error: string | null;
  /** URL of the bundled CSV, or null when it was not shipped. */
  readonly csvUrl: string | null;
  readonly csvName: string | null;
}

/** What each shipped example teaches (keyed by file stem); others fall back to their project name. */
const LESSONS: Record<string, string> = {
  xor: 'The classic non-linear problem: try several seeds — does the starting point matter?',
  'linear-regression': 'A single Dense layer is linear regression: the computational graph of the lecture.',
  'sgd-line':
    "The lecture's SGD example: from θ₀ = [10, 5] to about [2, 3]; swap in momentum or Nesterov to compare.",
  iris: 'Three species from four measurements — your first multiclass network with cross-entropy.',
  'breast-cancer': 'Malignant or benign: binary classification with BCE and class weights.',
  wine: 'Three cultivars from chemistry; shows why feature scaling matters.',
  diabetes: 'Disease progression: regression with an identity output and MSE.',
  digits: '8×8 handwritten digits: softmax over ten classes.',
  'rbf-sine': 'An RBF network fits y = sin(x): centres, widths and a linear read-out.',
};
const ORDER = Object.keys(LESSONS);

const stem = (path: string) => path.replace(/^.*\//, '').replace(/\.netloom\.json$/, '');

/**
 * @param projects raw `.netloom.json` texts keyed by path (as import.meta.glob gives them).
 * @param csvUrls bundled CSV URLs keyed by path.
 */
export function buildExamples(
  projects: Record<string, string>,
  csvUrls: Record<string, string>,
): ExampleEntry[] {
  const csvByName = new Map(Object.entries(csvUrls).map(([p, url]) => [p.replace(/^.*\//, ''), url]));
  const out = Object.entries(projects).map(([path, text]): ExampleEntry => {
    const id = stem(path);
    try {
      const project = parseProject(text);
      const csvName = project.dataset?.path.replace(/^.*\//, '') ?? null;
      return {
        id,
        title: project.name || id,
        blurb: LESSONS[id] ?? project.name,
        project,
        error: null,
        csvName,
        csvUrl: csvName ? (csvByName.get(csvName) ?? null) : null,
      };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return { id, title: id, blurb: '', project: null, error: message, csvUrl: null, csvName: null };
    }
  });
  const rank = (id: string) => (ORDER.includes(id) ? ORDER.indexOf(id) : ORDER.length);
  return out.sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id));
}

/**
 * The shipped example a recovered (untitled) project was copied from, judged by its dataset: the
 * same CSV file name and, when both record one, the same SHA-256. Null when none matches or the
 * project has no dataset (the recovery snapshot does not record which example it came from).
 */
export function exampleForDataset(
  examples: readonly ExampleEntry[],
  dataset: { readonly path: string; readonly sha256?: string | null } | null,
): ExampleEntry | null {
  if (!dataset) return null;
  const name = dataset.path.replace(/^.*[\\/]/, '');
  return (
    examples.find((ex) => {
      const ref = ex.project?.dataset;
      if (!ex.csvUrl || ex.csvName !== name || !ref) return false;
      return !ref.sha256 || !dataset.sha256 || ref.sha256.toLowerCase() === dataset.sha256.toLowerCase();
    }) ?? null
  );
}

/**
 * A small SVG thumbnail of a graph (nodes as rounded boxes coloured by palette group, edges as
 * lines), as an SVG path list scaled into a `w`×`h` box. Pure data, drawn by the welcome screen.
 */
export function thumbnail(
  graph: Graph,
  groupOf: (type: string) => string,
  w = 240,
  h = 84,
): {
  boxes: { x: number; y: number; w: number; h: number; group: string }[];
  lines: { x1: number; y1: number; x2: number; y2: number }[];
} {
  if (graph.nodes.length === 0) return { boxes: [], lines: [] };
  const NW = 160;
  const NH = 56;
  const xs = graph.nodes.map((n) => n.position.x);
  const ys = graph.nodes.map((n) => n.position.y);
  const minX = Math.min(...xs);
  const minY = Math.min(...ys);
  const spanX = Math.max(...xs) - minX + NW;
  const spanY = Math.max(...ys) - minY + NH;
  const k = Math.min((w - 8) / spanX, (h - 8) / spanY);
  const ox = (w - spanX * k) / 2;
  const oy = (h - spanY * k) / 2;
  const pos = new Map(
    graph.nodes.map((n) => [n.id, { x: ox + (n.position.x - minX) * k, y: oy + (n.position.y - minY) * k }]),
  );
  const boxes = graph.nodes.map((n) => ({ ...pos.get(n.id)!, w: NW * k, h: NH * k, group: groupOf(n.type) }));
  const lines = graph.edges
    .filter((e) => pos.has(e.source) && pos.has(e.target))
    .map((e) => {
      const s = pos.get(e.source)!;
      const t = pos.get(e.target)!;
      return { x1: s.x + NW * k, y1: s.y + (NH * k) / 2, x2: t.x, y2: t.y + (NH * k) / 2 };
    });
  return { boxes, lines };
}
