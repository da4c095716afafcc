/**
 * Data import: from a user's CSV bytes to training tensors and a JSON-able recipe.
 * Pipeline: readTable / readTableStream (decode, sniff, parse) → prepareDataset (types, roles,
 * task, missing values, split, encoders and scalers fitted on training rows) → tensors;
 * applyRecipe / inverseTargets at prediction time; summarizeTable and inspectTable for the UI/CLI.
 */
export * from './types';
export { DataImportError, ImportCancelledError } from './problems';
export {
  readTable,
  readTableStream,
  type RawTable,
  type ReadHooks,
  type ReadProgress,
  type CancelSignal,
} from './reader';
export { prepareDataset, applyRecipe, inverseTargets, inverseFeatures } from './prepare';
export type {
  DataRecipe,
  PreparedDataset,
  PrepareReport,
  FittedColumn,
  ClassReport,
  AppliedData,
  DroppedRow,
} from './prepare';
export { summarizeTable, type ColumnSummary, type Histogram } from './summary';
export { inspectTable, inspectFailure, type InspectReport, type InspectColumn } from './inspect';
export { fitZca, applyZca, invertZca, type ZcaParams } from './zca';
export {
  columnStats,
  fitScaler,
  applyScaler,
  invertScaler,
  type AffineScaler,
  type ColumnStats,
} from './scaling';
export { splitRows, assignFolds, classCounts, classWeights, resolveFractions } from './split';
export { inferTask, MAX_CLASSES, MIN_ROWS_PER_CLASS } from './infer';
export { writeCsv, csvField } from './csv-writer';
