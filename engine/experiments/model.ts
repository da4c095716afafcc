/**
 * The project's model and data at initialisation, built as a training session builds them
 * (engine/session/run): the CSV prepared with the project's import settings, the graph compiled with
 * the run's seed and batch size, and the session's shuffling generator (seed ^ 0x9e3779b9), so the
 * experiments that step the model themselves (learning-rate finder, gradient flow) start from the
 * weights and see the batches of a real run.
 *
 * Not repeated here: the placement of RBF centres from the data (runSession does it after compiling;
 * experiments on a graph with an RBF layer start from the initialiser's centres).
 */
import { compileGraph, type CompiledModel } from '../compile';
import type { PreparedDataset } from '../data/prepare';
import { datasetInfoOf } from '../graph/dataset-info';
import type { Project } from '../project/types';
import { Rng } from '../random/rng';
import { prepareForTraining } from '../session/dataset';
import { projectImportSettings } from './common';

export interface InitialModel {
  model: CompiledModel;
  data: PreparedDataset;
  seed: number;
  batchSize: number;
  /** The session's shuffle/dropout generator, fresh. */
  rng: Rng;
}

/**
 * Prepares the data and compiles the project's graph at initialisation.
 * @param seed initialisation seed (default the project's training seed)
 * @throws DataImportError on bad data; CompileError when the graph cannot be trained.
 */
export function initialModel(
  project: Project,
  bytes: Uint8Array,
  opts: { seed?: number; batchSize?: number; splitSeed?: number } = {},
): InitialModel {
  const data = prepareForTraining(bytes, projectImportSettings(project), opts.splitSeed);
  if (data.trainRows.length === 0) throw new RangeError('The training split has no rows.');
  const seed = (opts.seed ?? project.training.seed) >>> 0;
  const batchSize = Math.max(
    1,
    Math.min(opts.batchSize ?? project.training.batchSize, data.trainRows.length),
  );
  const model = compileGraph(project.graph, { dataset: datasetInfoOf(data), seed, batchSize });
  return { model, data, seed, batchSize, rng: new Rng(seed ^ 0x9e3779b9) };
}
