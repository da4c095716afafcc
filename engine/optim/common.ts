/**
 * Helpers shared by the optimizers: state construction and argument checks.
 * Invariant: every check runs before any mutation, so a rejected update leaves params and state intact.
 */
import { resolveHyper, type HyperSpec, type MethodInfo } from './hyper';
import {
  OptimizerError,
  type Optimizer,
  type OptimizerStateBase,
  type ParamVector,
  type StepContext,
} from './types';

/** Palette metadata of an optimizer (see registry.ts). */
export interface OptimizerInfo extends MethodInfo {
  /** True for full-batch second-order methods (CG, Newton, BFGS, L-BFGS). */
  secondOrder: boolean;
  /** Context functions the method needs besides the gradient. */
  needs: ('lossAndGrad' | 'hvp')[];
  /**
   * Customary starting learning rate α (first-order methods only; second-order ones ignore ctx.lr):
   * 1e-3 for RMSProp, Adam and AdamW, 1 for Adadelta, 1e-2 for the others (PyTorch/Keras defaults).
   */
  defaultLr?: number;
}

/** An optimizer together with its palette metadata. */
export interface RegisteredOptimizer<S extends OptimizerStateBase = OptimizerStateBase> extends Optimizer<S> {
  readonly info: OptimizerInfo;
}

/** Creates the common part of a state after validating `paramCount` and the hyperparameters. */
export function baseState(
  name: string,
  paramCount: number,
  specs: readonly HyperSpec[],
  hyper?: Record<string, number>,
) {
  if (!Number.isInteger(paramCount) || paramCount < 0) {
    throw new OptimizerError(name, `paramCount must be a non-negative integer, got ${paramCount}`);
  }
  let h: Record<string, number>;
  try {
    h = resolveHyper(name, specs, hyper);
  } catch (e) {
    throw new OptimizerError(name, (e as Error).message.replace(`${name}: `, ''));
  }
  return { optimizer: name, paramCount, step: 0, hyper: h };
}

/** Checks that state, params and grad agree and that the learning rate is usable. */
export function checkStep(
  name: string,
  state: OptimizerStateBase,
  params: ParamVector,
  grad: ParamVector | null,
  ctx: StepContext,
  needLr = true,
): void {
  if (state.optimizer !== name) {
    throw new OptimizerError(name, `state was created by '${state.optimizer}'; create it with ${name}.init`);
  }
  if (params.length !== state.paramCount) {
    throw new OptimizerError(
      name,
      `params has ${params.length} entries but the state was built for ${state.paramCount}`,
    );
  }
  if (grad && grad.length !== params.length) {
    throw new OptimizerError(
      name,
      `grad has ${grad.length} entries, params has ${params.length}; they must share one layout`,
    );
  }
  if (needLr && !(Number.isFinite(ctx.lr) && ctx.lr >= 0)) {
    throw new OptimizerError(name, `learning rate must be a finite number ≥ 0, got ${ctx.lr}`);
  }
}

/**
 * Throws when any entry is NaN/±∞ (naming the first bad index), before anything is mutated. Scans
 * cheaply: a float64 sum of the entries is finite whenever every entry is (a NaN or ±∞ entry makes the
 * sum NaN or ±∞), so the per-element search only runs when the sum is not finite — a diverged step, or
 * a float64 vector whose sum overflowed (then every entry is finite and nothing throws).
 */
export function checkFinite(name: string, what: string, v: ArrayLike<number>): void {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  if (Number.isFinite(s)) return;
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) {
      throw new OptimizerError(
        name,
        `${what}[${i}] is ${v[i]}; training diverged or the data contain NaN/Inf — lower the learning rate, clip gradients or check the inputs`,
      );
    }
  }
}
