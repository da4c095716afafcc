/**
 * Public entry of engine/export: a trained project → JSON weights, safetensors, ONNX, or a PyTorch
 * script (docs/export.md). Platform-neutral: every exporter returns bytes/text; hosts write the files.
 */
export * from './model';
export * from './tensors';
export { encodeSafetensors, exportMetadata, exportSafetensors, float32LeBytes } from './safetensors';
export {
  exportWeightsJson,
  weightsJson,
  WEIGHTS_JSON_FORMAT,
  WEIGHTS_JSON_VERSION,
  type WeightsJson,
} from './json';
export { exportOnnx, categoricalInputName, ONNX_OPSET, ONNX_ML_OPSET } from './onnx';
export { exportPytorch } from './pytorch';
