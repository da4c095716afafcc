/** Public entry of the WebGPU backend (engine code; the Node adapter is webgpu.node.ts). */
export { WebGpuBackend, GpuBuffer, createWebGpuBackend, type WebGpuBackendOptions } from './backend';
export { WebGpuError, acquireDevice, type DeviceOptions, type GpuDeviceInfo } from './device';
export type { WGpu } from './gpu-api';
export { WebGpuOptimizer, type WebGpuOptimizerName } from './optim';
export { denseForward, softmaxRows, type FusedActivation } from './extras';
export {
  chooseBackend,
  clearBackendChoices,
  type BackendChoice,
  type ChooseBackendOptions,
} from './autoselect';
