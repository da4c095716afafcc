/**
 * Minibatch SGD, SGD with momentum and Nesterov momentum, in the lecture's notation
 * ("Gradient descent algorithms", Algorithms 1–3).
 * Batch size is the trainer's business: M = 1 gives stochastic GD, M = N batch GD.
 * Invariants: no allocation per step (Nesterov allocates its look-ahead buffers on the first
 * step, matching the params' element type); momentum vectors are float64.
 */
import { baseState, checkFinite, checkStep, type RegisteredOptimizer } from './common';
import { momentumStepWasm, sgdStepWasm, stageUpdate } from './update-wasm';
import type { HyperSpec } from './hyper';
import { OptimizerError, type OptimizerStateBase, type ParamVector, type StepContext } from './types';

const BETA: HyperSpec = {
  name: 'beta',
  label: 'β',
  default: 0.9,
  min: 0,
  max: 0.999999,
  scale: 'linear',
  description: 'momentum: fraction of the previous velocity kept at each step',
};

/** θ ← θ − α∇J(θ) (Algorithm 1). */
export const sgd: RegisteredOptimizer = {
  name: 'sgd',
  info: {
    name: 'sgd',
    label: 'SGD',
    formula: '\\theta_{t+1} = \\theta_t - \\alpha \\nabla_\\theta J(\\theta_t)',
    summary: 'Plain (minibatch) gradient descent: step against the gradient, scaled by the learning rate.',
    hyper: [],
    secondOrder: false,
    defaultLr: 1e-2,
    needs: [],
  },
  init(paramCount, hyper) {
    return baseState('sgd', paramCount, [], hyper);
  },
  update(state, params, grad, ctx) {
    checkStep('sgd', state, params, grad, ctx);
    const ws = stageUpdate(state, params, grad, 0);
    if (ws !== null && ws !== 'nonfinite') {
      sgdStepWasm(ws, params as Float32Array, ctx.lr);
      state.step++;
      return;
    }
    checkFinite('sgd', 'gradient', grad);
    const a = ctx.lr;
    const n = params.length;
    for (let i = 0; i < n; i++) params[i] -= a * grad[i];
    state.step++;
  },
};

export interface MomentumState extends OptimizerStateBase {
  /** Velocity v (float64). */
  v: Float64Array;
}

/** v ← βv − α∇J(θ); θ ← θ + v (Algorithm 2). */
export const momentum: RegisteredOptimizer<MomentumState> = {
  name: 'momentum',
  info: {
    name: 'momentum',
    label: 'SGD + momentum',
    formula:
      'v_{t+1} = \\beta v_t - \\alpha \\nabla_\\theta J(\\theta_t),\\quad \\theta_{t+1} = \\theta_t + v_{t+1}',
    summary: 'Low-pass filters the gradient: accelerates along consistent directions, damps oscillations.',
    hyper: [BETA],
    secondOrder: false,
    defaultLr: 1e-2,
    needs: [],
  },
  init(paramCount, hyper) {
    return { ...baseState('momentum', paramCount, [BETA], hyper), v: new Float64Array(paramCount) };
  },
  update(state, params, grad, ctx) {
    checkStep('momentum', state, params, grad, ctx);
    const ws = stageUpdate(state, params, grad, 1);
    if (ws !== null && ws !== 'nonfinite') {
      momentumStepWasm(ws, state, params as Float32Array, ctx.lr);
      state.step++;
      return;
    }
    checkFinite('momentum', 'gradient', grad);
    const { beta } = state.hyper;
    const a = ctx.lr;
    const v = state.v;
    const n = params.length;
    for (let i = 0; i < n; i++) {
      const vi = beta * v[i] - a * grad[i];
      v[i] = vi;
      params[i] += vi;
    }
    state.step++;
  },
};

export interface NesterovState extends OptimizerStateBase {
  v: Float64Array;
  /** Look-ahead point θ + βv and its gradient; allocated on the first step with the params' type. */
  lookahead: ParamVector | null;
  lookGrad: ParamVector | null;
}

/**
 * v ← βv − α∇J(θ + βv); θ ← θ + v (Algorithm 3, the lecture's look-ahead form).
 * Needs ctx.lossAndGrad (on the same minibatch) to evaluate the look-ahead gradient; `grad` is unused.
 */
export const nesterov: RegisteredOptimizer<NesterovState> = {
  name: 'nesterov',
  info: {
    name: 'nesterov',
    label: 'Nesterov momentum',
    formula:
      'v_{t+1} = \\beta v_t - \\alpha \\nabla_\\theta J(\\theta_t + \\beta v_t),\\quad \\theta_{t+1} = \\theta_t + v_{t+1}',
    summary: 'Momentum that evaluates the gradient at the look-ahead point θ + βv to correct the step early.',
    hyper: [{ ...BETA, default: 0.9 }],
    secondOrder: false,
    defaultLr: 1e-2,
    needs: ['lossAndGrad'],
  },
  init(paramCount, hyper) {
    return {
      ...baseState('nesterov', paramCount, [BETA], hyper),
      v: new Float64Array(paramCount),
      lookahead: null,
      lookGrad: null,
    };
  },
  update(state, params, _grad, ctx: StepContext) {
    checkStep('nesterov', state, params, null, ctx);
    if (!ctx.lossAndGrad) {
      throw new OptimizerError(
        'nesterov',
        'needs ctx.lossAndGrad to evaluate the gradient at the look-ahead point θ + βv (on the same minibatch)',
      );
    }
    const n = params.length;
    const make = (): ParamVector =>
      params instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
    if (!state.lookahead || state.lookahead.constructor !== params.constructor) state.lookahead = make();
    if (!state.lookGrad || state.lookGrad.constructor !== params.constructor) state.lookGrad = make();
    const { beta } = state.hyper;
    const v = state.v;
    const la = state.lookahead;
    const g = state.lookGrad;
    for (let i = 0; i < n; i++) la[i] = params[i] + beta * v[i];
    const loss = ctx.lossAndGrad(la, g);
    if (!Number.isFinite(loss)) {
      throw new OptimizerError(
        'nesterov',
        `loss at the look-ahead point is ${loss}; lower the learning rate or β`,
      );
    }
    checkFinite('nesterov', 'look-ahead gradient', g);
    const a = ctx.lr;
    for (let i = 0; i < n; i++) {
      v[i] = beta * v[i] - a * g[i];
      params[i] += v[i];
    }
    state.step++;
  },
};
