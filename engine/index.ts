/**
 * Public barrel of the engine core: tensors, ops, autodiff, memory, backends, gradcheck.
 * See engine/CORE_API.md for usage. Other engine modules (nn, losses, optim…) export their
 * own APIs from their folders.
 */
export type { Backend, BackendBuffer, BackendStats, DType, HostArray } from './backend/types';
export { CpuBackend, type CpuBackendOptions } from './backend/cpu';
export { Tensor } from './tensor/tensor';
export { broadcastShapes, fmtShape, sameShape, sizeOf, stridesOf, type Shape } from './tensor/shape';
export {
  cast,
  defaultBackend,
  full,
  fullLike,
  ones,
  onesLike,
  randn,
  randu,
  scalar,
  tensor,
  zeros,
  zerosLike,
  type CreateOptions,
} from './tensor/create';
export * from './ops/ops';
export { erf as erfScalar } from './ops/erf';
export type { PrimName, PrimAttrs } from './ops/prims';
export { RULES } from './ops/rules';
export { grad, hvp, jvp, valueAndGrad, vjp, type FnResult, type ValueAndGrad } from './autodiff/grad';
export type { Tree } from './autodiff/tree';
export { keep, scopeDepth, tidy } from './memory/scope';
export { ALIGN, ParamStore, type ParamInit, type ParamSpec } from './memory/param-store';
export { assertGradcheck, gradcheck, type GradcheckOptions, type GradcheckReport } from './gradcheck';
export { Rng, type RngState } from './random/rng';
