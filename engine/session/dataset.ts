/**
 * The session's data pipeline: a project's dataset reference (import settings) + the CSV bytes →
 * a PreparedDataset (split, encoded, scaled; engine/data), and the reverse for prediction.
 *
 * Import settings in the project file (`dataset.importSettings`, also accepted as the Dataset node's
 * `settings` param): `{ read?: ReadOptions, prepare?: PrepareOptions }` (docs/data-import.md §6).
 * The fitted recipe (`DataRecipe`) is stored as `dataset.preprocessing`.
 *
 * Invariant: platform-neutral; bytes come from the caller (a host adapter reads files).
 */
import { prepareDataset, type DataRecipe, type PreparedDataset } from '../data/prepare';
import { readTable } from '../data/reader';
import type { PrepareOptions, ReadOptions } from '../data/types';
import type { DatasetInfo, Graph } from '../graph/types';
import type { Project } from '../project/types';

export interface ImportSettings {
  read?: ReadOptions;
  prepare?: PrepareOptions;
}

/** Import settings from a JSON value; unknown shapes become defaults (the data module checks values). */
export function importSettingsOf(value: unknown): ImportSettings {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const v = value as Record<string, unknown>;
  const obj = (x: unknown) => (typeof x === 'object' && x !== null && !Array.isArray(x) ? x : undefined);
  return {
    ...(obj(v.read) ? { read: v.read as ReadOptions } : {}),
    ...(obj(v.prepare) ? { prepare: v.prepare as PrepareOptions } : {}),
  };
}

/**
 * The import settings a training session uses for `project`: the dataset reference's, else the
 * Dataset node's `settings` param (in `graph`, default the project's; a continued run passes its own).
 */
export function projectImportSettings(project: Project, graph: Graph = project.graph): ImportSettings {
  const datasetNode = graph.nodes.find((n) => n.type === 'Dataset');
  return importSettingsOf(project.dataset?.importSettings ?? datasetNode?.params.settings);
}

/**
 * Reads and prepares a CSV for training.
 * @param bytes the file's bytes; @param settings import settings; @param splitSeed overrides
 *   `prepare.seed` (the split shuffle) when given.
 * @throws DataImportError (engine/data) naming line, row and column on bad data.
 */
export function prepareForTraining(
  bytes: Uint8Array,
  settings: ImportSettings,
  splitSeed?: number,
): PreparedDataset {
  const table = readTable(bytes, settings.read ?? {});
  const prepare: PrepareOptions = { ...(settings.prepare ?? {}) };
  if (splitSeed !== undefined) prepare.seed = splitSeed;
  return prepareDataset(table, prepare);
}

/** The graph's DatasetInfo from a stored recipe (prediction: no training data at hand). */
export function datasetInfoOfRecipe(recipe: DataRecipe): DatasetInfo {
  return {
    featureWidth: recipe.featureWidth,
    task: recipe.task,
    targetWidth: recipe.task === 'regression' ? recipe.targets.length : 1,
    ...(recipe.task === 'regression' ? {} : { numClasses: recipe.classes.length }),
  };
}

/** A recipe as plain JSON for the project file (typed arrays become number arrays). */
export function recipeToJson(recipe: DataRecipe): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(recipe, (_k, v: unknown) =>
      ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v,
    ),
  ) as Record<string, unknown>;
}
