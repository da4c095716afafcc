/**
 * Public entry of the graph model: node-type registry, connection check, shape inference, validation,
 * default initializers and the model summary. Framework-free pure functions over plain graph data.
 */
export * from './types';
export {
  PALETTE_GROUPS,
  createNode,
  defaultParams,
  getNodeType,
  nodeTypes,
  paletteEntries,
  paramValue,
  sameFamilyTypes,
  type PaletteEntry,
} from './registry';
export { checkConnection, type ConnectionCheck, type ProposedEdge } from './connect';
export { indexGraph, type GraphIndex } from './graph-index';
export { expectedOutputWidth, formatShape, inferShapes, type ShapeInference } from './infer';
export { checkParams, paramError } from './params';
export { hasErrors, validateGraph, type ValidationResult } from './validate';
export { defaultWeightInitKey, initSpecOf, resolveInitializer, type ResolvedInit } from './init-defaults';
export { modelSummary, summarize, type ModelSummary, type SummaryRow } from './summary';
export { graphProjectHooks, migrateNodeParams, validateNodeParams } from './project-hooks';
export {
  outputWidth as nodeOutputWidth,
  paramCount as nodeParamCount,
  toLayerConfig,
  type LayerInits,
} from './layers';
export { datasetInfoOf } from './dataset-info';
export {
  PARAM_MEMORY_LIMIT_BYTES,
  estimateParamMemory,
  optimizerStateCopies,
  type MemoryEstimate,
} from './memory';
