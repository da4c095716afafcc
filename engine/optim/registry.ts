/**
 * Optimizer registry for the editor palette and the trainer: name → optimizer with metadata
 * (hyperparameters with defaults and ranges, LaTeX formula, one-line summary, second-order flag).
 * Invariant: names are stable identifiers saved in project files; never rename one.
 */
import type { OptimizerInfo, RegisteredOptimizer } from './common';
import { adadelta, adagrad, adam, adamw, rmsprop } from './adaptive';
import { DENSE_LIMIT, bfgs, cg, lbfgs, newton, saddleFreeNewton } from './second-order';
import { momentum, nesterov, sgd } from './sgd';
import type { OptimizerStateBase } from './types';

export type { OptimizerInfo, RegisteredOptimizer } from './common';

const ALL = [
  sgd,
  momentum,
  nesterov,
  adagrad,
  rmsprop,
  adadelta,
  adam,
  adamw,
  cg,
  newton,
  saddleFreeNewton,
  bfgs,
  lbfgs,
];

/** All optimizers by name, in palette order (first-order first). */
export const OPTIMIZERS: ReadonlyMap<string, RegisteredOptimizer> = new Map(
  ALL.map((o) => [o.name, o as unknown as RegisteredOptimizer]),
);

/** Metadata of every optimizer, in palette order. */
export function optimizerInfos(): OptimizerInfo[] {
  return ALL.map((o) => o.info);
}

/**
 * Looks an optimizer up by name.
 * @throws RangeError listing the known names when `name` is unknown.
 */
export function getOptimizer(name: string): RegisteredOptimizer<OptimizerStateBase> {
  const o = OPTIMIZERS.get(name);
  if (!o) throw new RangeError(`unknown optimizer '${name}'; known: ${[...OPTIMIZERS.keys()].join(', ')}`);
  return o;
}

/**
 * Checks that an optimizer suits the training setup before training starts.
 * @param batchSize minibatch size M; @param datasetSize N (training rows); @param paramCount model size.
 * @returns null when fine, else a message saying why and what to choose instead.
 */
export function checkOptimizerFits(
  name: string,
  batchSize: number,
  datasetSize: number,
  paramCount: number,
): string | null {
  const o = getOptimizer(name);
  if (!o.info.secondOrder) return null;
  if (batchSize < datasetSize) {
    return `${o.info.label} is a full-batch method (its line search compares losses at different points, which minibatch noise makes meaningless): set the batch size to ${datasetSize} (the whole training set), or choose Adam or SGD with momentum for minibatches of ${batchSize}.`;
  }
  if ((name === 'newton' || name === 'saddle-free-newton' || name === 'bfgs') && paramCount > DENSE_LIMIT) {
    return `${o.info.label} stores an n×n matrix and this network has ${paramCount} parameters (limit ${DENSE_LIMIT}): choose L-BFGS instead.`;
  }
  return null;
}
