/**
 * Public API of the optimization module: optimizer contract and registry, clipping, early stopping.
 * Schedules live in engine/schedules, the eigen/Cholesky solvers in engine/linalg (see docs/optimization.md).
 */
export * from './types';
export type { HyperSpec, MethodInfo } from './hyper';
export { resolveHyper } from './hyper';
export {
  OPTIMIZERS,
  checkOptimizerFits,
  getOptimizer,
  optimizerInfos,
  type OptimizerInfo,
  type RegisteredOptimizer,
} from './registry';
export { sgd, momentum, nesterov } from './sgd';
export { adagrad, rmsprop, adadelta, adam, adamw } from './adaptive';
export {
  DENSE_LIMIT,
  bfgs,
  cg,
  hvpByFiniteDifference,
  lbfgs,
  newton,
  saddleFreeNewton,
} from './second-order';
export { clipGradNorm, clipGradValue } from './clip';
export { earlyStopping, type EarlyStoppingDecision, type EarlyStoppingOptions } from './early-stopping';
