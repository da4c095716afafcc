/**
 * Project documents for the editor (framework-free): the New template, opening a `.netloom.json`
 * into the editor's graph, building the document to save, and reading a CSV into the dataset facts
 * that shape inference needs.
 *
 * Invariants: opening always goes through engine/project's loader with engine/graph's per-node hooks,
 * so the editor never holds a graph the file format would refuse; saving re-uses everything of the
 * opened document (dataset reference, training settings, runs) except the graph and name.
 */
import { readTable, prepareDataset, type PrepareOptions, type ReadOptions } from '../../engine/data';
import {
  createNode,
  datasetInfoOf,
  graphProjectHooks,
  type DatasetInfo,
  type Graph,
} from '../../engine/graph';
import {
  createProject,
  fingerprintDataset,
  loadProject,
  serializeProject,
  type DatasetReference,
  type Project,
} from '../../engine/project';

/**
 * The New-project template, which trains as it is once a CSV is chosen:
 * Dataset → Dense(16) → ReLU → Dense(auto) → Cross-entropy (from logits) ← Adam.
 */
export function templateGraph(): Graph {
  const at = (i: number, y = 80) => ({ x: 40 + i * 224, y });
  const nodes = [
    createNode('Dataset', 'dataset-1', at(0)),
    { ...createNode('Dense', 'dense-1', at(1)), label: 'Hidden' },
    createNode('Activation.relu', 'activation-relu-1', at(2)),
    { ...createNode('Dense', 'dense-2', at(3)), label: 'Output', params: { units: 'auto', bias: true } },
    createNode('Loss.cross_entropy_logits', 'loss-cross-entropy-logits-1', at(4)),
    createNode('Optimizer.adam', 'optimizer-adam-1', at(4, 288)),
  ];
  const wire = (source: string, sourcePort: string, target: string, targetPort: string) => ({
    id: `${source}.${sourcePort}->${target}.${targetPort}`,
    source,
    sourcePort,
    target,
    targetPort,
  });
  const edges = [
    wire('dataset-1', 'features', 'dense-1', 'in'),
    wire('dense-1', 'out', 'activation-relu-1', 'in'),
    wire('activation-relu-1', 'out', 'dense-2', 'in'),
    wire('dense-2', 'out', 'loss-cross-entropy-logits-1', 'prediction'),
    wire('dataset-1', 'targets', 'loss-cross-entropy-logits-1', 'target'),
    wire('optimizer-adam-1', 'optimizer', 'loss-cross-entropy-logits-1', 'optimizer'),
  ];
  return { nodes, edges };
}

/**
 * Parses project text (throws engine/project's ProjectFileError with a code and JSON path on a bad
 * file; its message says what is wrong).
 */
export function parseProject(text: string | Uint8Array): Project {
  return loadProject(text, { hooks: graphProjectHooks });
}

/** A new empty document for `name`. */
export function newDocument(name: string, appVersion: string): Project {
  return createProject({ name, appVersion });
}

/**
 * The document to save: `base` (the opened one, or a fresh one) with the editor's name, graph and
 * dataset reference. Returns canonical text (throws ProjectFileError 'invalid-project' naming the
 * JSON path of anything unwritable).
 */
export function serializeEditorProject(
  base: Project,
  name: string,
  graph: Graph,
  dataset: DatasetReference | null,
  appVersion: string,
): string {
  const doc: Project = {
    ...base,
    app: { name: 'Netloom', version: appVersion },
    name,
    graph: structuredClone(graph) as Project['graph'],
    dataset,
  };
  return serializeProject(doc);
}

/** The import settings' `prepare` part (engine/data PrepareOptions), or {} when absent. */
export function prepareOptionsOf(importSettings: unknown): PrepareOptions {
  if (importSettings && typeof importSettings === 'object' && 'prepare' in importSettings) {
    const p = (importSettings as { prepare: unknown }).prepare;
    if (p && typeof p === 'object') return p as PrepareOptions;
  }
  return {};
}

export interface LoadedCsv {
  readonly name: string;
  readonly info: DatasetInfo;
  readonly rows: number;
  readonly columns: readonly string[];
  readonly reference: DatasetReference;
}

/**
 * Reads and prepares CSV bytes as the Dataset node would (engine/data), giving the facts shape
 * inference needs and a dataset reference for the project file.
 * @param path the reference path (relative to the project; in the browser, the file name).
 * @throws engine/data's DataImportError (message names line/row/column) when the file cannot be used.
 */
export async function loadCsv(
  name: string,
  bytes: Uint8Array,
  importSettings: Record<string, unknown> = {},
  path = name,
): Promise<LoadedCsv> {
  const read = importSettings.read;
  const table = readTable(bytes, read && typeof read === 'object' ? (read as ReadOptions) : {});
  const prepared = prepareDataset(table, prepareOptionsOf(importSettings));
  const fp = await fingerprintDataset(bytes);
  return {
    name,
    info: datasetInfoOf(prepared),
    rows: table.rowCount,
    columns: table.columns.map((c) => c.name),
    reference: {
      path,
      sha256: fp.sha256,
      size: fp.size,
      importSettings: importSettings as never,
      preprocessing: null,
    },
  };
}

/** Plain-JSON copy of the wizard's settings (they must survive structured cloning and the schema). */
function jsonCopy<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

/**
 * The document with the import wizard's settings stored as `dataset.importSettings` (a new object;
 * `doc` is not mutated). Without a dataset reference yet (no CSV chosen), `doc` is returned as is: the
 * settings reach the reference when the CSV is loaded with them (`loadCsv`).
 * Changing how the CSV is read invalidates the fitted preprocessing, so it is reset to null.
 */
export function withImportSettings(doc: Project, settings: object): Project {
  if (!doc.dataset) return doc;
  return {
    ...doc,
    dataset: { ...doc.dataset, importSettings: jsonCopy(settings) as never, preprocessing: null },
  };
}

/** What a finished/stopped/failed trainer event carries (engine/session/protocol `RunOutcome`). */
export interface RunOutcomeLike {
  run: unknown;
  preprocessing: Record<string, unknown> | null;
}

/**
 * The document after a run ended: `outcome.run` appended to `runs` (oldest first, so it becomes the
 * latest run whose checkpoint Save keeps) and `dataset.preprocessing` set to the fitted recipe.
 * A run whose id is already in the project is replaced, not duplicated (an event delivered twice).
 * @throws Error when `outcome.run` is not an object with a string `id`.
 */
export function withRunOutcome(doc: Project, outcome: RunOutcomeLike): Project {
  const run = outcome.run as Project['runs'][number] | null;
  if (!run || typeof run !== 'object' || typeof run.id !== 'string')
    throw new Error('The trainer sent a run without an id; the run was not added to the project.');
  const runs = [...doc.runs.filter((r) => r.id !== run.id), run];
  const dataset = doc.dataset
    ? { ...doc.dataset, preprocessing: (outcome.preprocessing as never) ?? null }
    : doc.dataset;
  return { ...doc, runs, dataset };
}

/**
 * The dataset reference to save: the loaded CSV's (path, hash, settings) keeping the document's fitted
 * preprocessing when it belongs to the same bytes and settings; else the document's own reference.
 */
export function datasetReferenceToSave(
  loaded: DatasetReference | null | undefined,
  doc: DatasetReference | null,
): DatasetReference | null {
  if (!loaded) return doc;
  const same =
    doc !== null &&
    doc.sha256 === loaded.sha256 &&
    JSON.stringify(doc.importSettings) === JSON.stringify(loaded.importSettings);
  return { ...loaded, preprocessing: same ? doc.preprocessing : null };
}
