/**
 * The dataset facts the graph needs, taken from engine/data's import result (PreparedDataset): encoded
 * feature width, task, number of targets or classes, and training rows.
 *
 * Invariant: classification targets are class indices, one per row, so their target width is 1.
 */
import type { PreparedDataset } from '../data/prepare';
import type { DatasetInfo } from './types';

/** DatasetInfo of an imported dataset (for inferShapes / validateGraph / modelSummary contexts). */
export function datasetInfoOf(prepared: PreparedDataset): DatasetInfo {
  const task = prepared.recipe.task;
  return {
    featureWidth: prepared.featureWidth,
    task,
    targetWidth: task === 'regression' ? prepared.targetWidth : 1,
    ...(task === 'regression' ? {} : { numClasses: prepared.recipe.classes.length }),
    trainRows: prepared.trainRows.length,
  };
}
