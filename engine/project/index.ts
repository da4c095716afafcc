/**
 * Public surface of the project-file module (`.netloom.json`, format v1). Platform-neutral;
 * Node hosts add `file.node.ts` (read/save/check dataset) and `atomic-write.node.ts`.
 */
export * from './types';
export { ProjectFileError, formatJsonPath } from './errors';
export type { ProjectFileErrorCode, ProjectFileErrorData, ProjectIssue, TextPosition } from './errors';
export type { JsonObject, JsonPrimitive, JsonValue } from './json-value';
export type { ParamMigrator, ParamProblem, ParamValidator, ProjectHooks } from './hooks';
export { loadProject, type LoadOptions } from './load';
export { serializeProject, pruneCheckpoints, createProject, defaultTrainingSettings } from './save';
export { CURRENT_FORMAT_VERSION, MIGRATIONS, type Migration } from './migrations';
export {
  checkDatasetReference,
  fingerprintDataset,
  resolveDatasetPath,
  relativeDatasetPath,
  datasetPathProblem,
  type DatasetStatus,
} from './dataset-ref';
export { sha256Hex } from './sha256';
export {
  bytesToBase64,
  base64ToBytes,
  float32ToBase64,
  base64ToFloat32,
  float32ToBytesLE,
  bytesLEToFloat32,
} from './base64';
