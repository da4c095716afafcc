/**
 * Adaptive first-order methods: Adagrad, RMSProp (optional momentum), Adadelta, Adam, AdamW
 * (lecture "Adaptive first order"; Duchi et al. 2011; Tieleman & Hinton 2012; Zeiler 2012;
 * Kingma & Ba 2015; Loshchilov & Hutter 2019).
 * Invariants: accumulators are float64 and allocated in init; no allocation per step; δ is added
 * OUTSIDE the square root as in the lecture (α / (δ + √r)).
 */
import { adamStepWasm, stageUpdate } from './update-wasm';
import { baseState, checkFinite, checkStep, type RegisteredOptimizer } from './common';
import type { HyperSpec } from './hyper';
import { OptimizerError, type OptimizerStateBase, type ParamVector } from './types';

const DELTA: HyperSpec = {
  name: 'delta',
  label: 'δ',
  default: 1e-8,
  min: 0,
  max: 1,
  scale: 'log',
  description: 'small constant that keeps the step finite where the accumulated gradient is 0',
};

export interface AdagradState extends OptimizerStateBase {
  /** Accumulated squared gradient r. */
  r: Float64Array;
}

/** r ← r + g⊙g; θ ← θ − α/(δ + √r) ⊙ g. */
export const adagrad: RegisteredOptimizer<AdagradState> = {
  name: 'adagrad',
  info: {
    name: 'adagrad',
    label: 'Adagrad',
    formula:
      'r_{t+1} = r_t + g_t \\odot g_t,\\quad \\theta_{t+1} = \\theta_t - \\frac{\\alpha}{\\delta + \\sqrt{r_{t+1}}} \\odot g_t',
    summary: 'Per-parameter learning rates that shrink with the total squared gradient seen so far.',
    hyper: [DELTA],
    secondOrder: false,
    defaultLr: 1e-2,
    needs: [],
  },
  init(n, hyper) {
    return { ...baseState('adagrad', n, [DELTA], hyper), r: new Float64Array(n) };
  },
  update(state, params, grad, ctx) {
    checkStep('adagrad', state, params, grad, ctx);
    checkFinite('adagrad', 'gradient', grad);
    const { delta } = state.hyper;
    const a = ctx.lr;
    const r = state.r;
    for (let i = 0; i < params.length; i++) {
      const g = grad[i];
      r[i] += g * g;
      params[i] -= (a / (delta + Math.sqrt(r[i]))) * g;
    }
    state.step++;
  },
};

const RHO: HyperSpec = {
  name: 'rho',
  label: 'ρ',
  default: 0.9,
  min: 0,
  max: 0.999999,
  scale: 'linear',
  description: 'decay of the moving average of squared gradients',
};
const MU: HyperSpec = {
  name: 'momentum',
  label: 'μ',
  default: 0,
  min: 0,
  max: 0.999999,
  scale: 'linear',
  description: 'optional momentum on the scaled step (0 = plain RMSProp)',
};

export interface RmspropState extends OptimizerStateBase {
  r: Float64Array;
  /** Velocity of the momentum variant (zeros when μ = 0). */
  v: Float64Array;
}

/** r ← ρr + (1−ρ) g⊙g; v ← μv − α/(δ + √r) ⊙ g; θ ← θ + v (μ = 0: the lecture's RMSProp). */
export const rmsprop: RegisteredOptimizer<RmspropState> = {
  name: 'rmsprop',
  info: {
    name: 'rmsprop',
    label: 'RMSProp',
    formula:
      'r_{t+1} = \\rho r_t + (1-\\rho) g_t \\odot g_t,\\quad v_{t+1} = \\mu v_t - \\frac{\\alpha}{\\delta + \\sqrt{r_{t+1}}} \\odot g_t,\\quad \\theta_{t+1} = \\theta_t + v_{t+1}',
    summary: 'Adagrad with an exponential moving average, so old gradients are forgotten; optional momentum.',
    hyper: [RHO, MU, DELTA],
    secondOrder: false,
    defaultLr: 1e-3,
    needs: [],
  },
  init(n, hyper) {
    return {
      ...baseState('rmsprop', n, [RHO, MU, DELTA], hyper),
      r: new Float64Array(n),
      v: new Float64Array(n),
    };
  },
  update(state, params, grad, ctx) {
    checkStep('rmsprop', state, params, grad, ctx);
    checkFinite('rmsprop', 'gradient', grad);
    const { rho, momentum: mu, delta } = state.hyper;
    const a = ctx.lr;
    const { r, v } = state;
    for (let i = 0; i < params.length; i++) {
      const g = grad[i];
      r[i] = rho * r[i] + (1 - rho) * g * g;
      v[i] = mu * v[i] - (a / (delta + Math.sqrt(r[i]))) * g;
      params[i] += v[i];
    }
    state.step++;
  },
};

const ADADELTA_RHO: HyperSpec = {
  ...RHO,
  default: 0.95,
  description: 'decay of both moving averages (Zeiler: 0.95)',
};
const ADADELTA_EPS: HyperSpec = {
  name: 'eps',
  label: 'ε',
  default: 1e-6,
  min: 1e-12,
  max: 1,
  scale: 'log',
  description: 'added inside both square roots; sets the size of the first steps',
};

export interface AdadeltaState extends OptimizerStateBase {
  /** E[g²] */
  eg2: Float64Array;
  /** E[Δθ²] */
  edx2: Float64Array;
}

/**
 * Adadelta (Zeiler 2012): E[g²] ← ρE[g²] + (1−ρ)g²; Δ = −√(E[Δθ²]+ε)/√(E[g²]+ε) ⊙ g;
 * E[Δθ²] ← ρE[Δθ²] + (1−ρ)Δ²; θ ← θ + α·Δ. Adadelta needs no learning rate: α = ctx.lr is only a
 * multiplier (use a constant schedule at 1.0, as in the paper).
 */
export const adadelta: RegisteredOptimizer<AdadeltaState> = {
  name: 'adadelta',
  info: {
    name: 'adadelta',
    label: 'Adadelta',
    formula:
      '\\Delta\\theta_t = -\\frac{\\sqrt{E[\\Delta\\theta^2]_{t-1} + \\epsilon}}{\\sqrt{E[g^2]_t + \\epsilon}} \\odot g_t,\\quad \\theta_{t+1} = \\theta_t + \\alpha\\,\\Delta\\theta_t',
    summary: 'Step sizes from the ratio of RMS past steps to RMS gradients; set the learning rate to 1.',
    hyper: [ADADELTA_RHO, ADADELTA_EPS],
    secondOrder: false,
    defaultLr: 1,
    needs: [],
  },
  init(n, hyper) {
    return {
      ...baseState('adadelta', n, [ADADELTA_RHO, ADADELTA_EPS], hyper),
      eg2: new Float64Array(n),
      edx2: new Float64Array(n),
    };
  },
  update(state, params, grad, ctx) {
    checkStep('adadelta', state, params, grad, ctx);
    checkFinite('adadelta', 'gradient', grad);
    const { rho, eps } = state.hyper;
    const a = ctx.lr;
    const { eg2, edx2 } = state;
    for (let i = 0; i < params.length; i++) {
      const g = grad[i];
      eg2[i] = rho * eg2[i] + (1 - rho) * g * g;
      const dx = -(Math.sqrt(edx2[i] + eps) / Math.sqrt(eg2[i] + eps)) * g;
      edx2[i] = rho * edx2[i] + (1 - rho) * dx * dx;
      params[i] += a * dx;
    }
    state.step++;
  },
};

const BETA1: HyperSpec = {
  name: 'beta1',
  label: 'β₁',
  default: 0.9,
  min: 0,
  max: 0.999999,
  scale: 'linear',
  description: 'decay of the first-moment (mean gradient) average',
};
const BETA2: HyperSpec = {
  name: 'beta2',
  label: 'β₂',
  default: 0.999,
  min: 0,
  max: 0.9999999,
  scale: 'linear',
  description: 'decay of the second-moment (squared gradient) average',
};
const WD: HyperSpec = {
  name: 'weightDecay',
  label: 'λ',
  default: 0.01,
  min: 0,
  max: 1,
  scale: 'log',
  description: 'decoupled weight decay: θ shrinks by αλθ each step, independent of the gradient scaling',
};

export interface AdamState extends OptimizerStateBase {
  m: Float64Array;
  v: Float64Array;
}

/**
 * One Adam/AdamW step in a single pass over each vector. Speed only, same formula: the bias
 * corrections are computed once per step as reciprocals (m̂ = m·(1/(1−β₁ᵗ)), v̂ = v·(1/(1−β₂ᵗ)),
 * which differs from the divisions by at most one rounding), leaving one division and one square
 * root per element; the masked, decayed and plain variants are separate loops so the hot loop has
 * no branch, and every value is read once and written once.
 */
export function adamStep(
  state: AdamState,
  params: ParamVector,
  grad: ParamVector,
  a: number,
  decay: number,
  mask: Uint8Array | undefined,
) {
  const { beta1, beta2, delta } = state.hyper;
  const t = state.step + 1;
  const ic1 = 1 / (1 - Math.pow(beta1, t));
  const ic2 = 1 / (1 - Math.pow(beta2, t));
  const k1 = 1 - beta1;
  const k2 = 1 - beta2;
  const { m, v } = state;
  const n = params.length;
  // Three loops rather than one with per-element branches: a step without decay or without a
  // mask reads no mask and tests nothing per element (the update runs on every parameter).
  if (decay === 0) {
    for (let i = 0; i < n; i++) {
      const g = grad[i];
      const mi = beta1 * m[i] + k1 * g;
      const vi = beta2 * v[i] + k2 * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] -= (a / (delta + Math.sqrt(vi * ic2))) * (mi * ic1);
    }
  } else if (mask) {
    // AdamW: decay uses the current θ, decoupled from the adaptive scaling; masked entries only.
    for (let i = 0; i < n; i++) {
      const g = grad[i];
      const mi = beta1 * m[i] + k1 * g;
      const vi = beta2 * v[i] + k2 * g * g;
      m[i] = mi;
      v[i] = vi;
      const p = params[i];
      params[i] = p - (a * (decay * mask[i]) * p + (a / (delta + Math.sqrt(vi * ic2))) * (mi * ic1));
    }
  } else {
    for (let i = 0; i < n; i++) {
      const g = grad[i];
      const mi = beta1 * m[i] + k1 * g;
      const vi = beta2 * v[i] + k2 * g * g;
      m[i] = mi;
      v[i] = vi;
      const p = params[i];
      params[i] = p - (a * decay * p + (a / (delta + Math.sqrt(vi * ic2))) * (mi * ic1));
    }
  }
  state.step = t;
}

/**
 * Checks g is finite, then one Adam/AdamW step: the WebAssembly kernel (update-wasm.ts, bit-identical)
 * for float32 parameters where it runs, else adamStep. @throws OptimizerError on a non-finite g.
 */
function adamUpdate(
  name: string,
  state: AdamState,
  params: ParamVector,
  grad: ParamVector,
  a: number,
  decay: number,
  mask: Uint8Array | undefined,
): void {
  const ws = stageUpdate(state, params, grad, 2);
  if (ws !== null && ws !== 'nonfinite') {
    adamStepWasm(ws, state, params as Float32Array, a, decay, mask);
    return;
  }
  checkFinite(name, 'gradient', grad);
  adamStep(state, params, grad, a, decay, mask);
}

/** Adam with bias correction: θ ← θ − α m̂/(δ + √v̂), m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ). */
export const adam: RegisteredOptimizer<AdamState> = {
  name: 'adam',
  info: {
    name: 'adam',
    label: 'Adam',
    formula:
      'm_{t+1} = \\beta_1 m_t + (1-\\beta_1) g_t,\\; v_{t+1} = \\beta_2 v_t + (1-\\beta_2) g_t\\odot g_t,\\; \\theta_{t+1} = \\theta_t - \\frac{\\alpha}{\\delta + \\sqrt{\\hat v_{t+1}}} \\hat m_{t+1}',
    summary:
      'Moving averages of the gradient and its square, bias-corrected; a robust default (α ≈ 3e-4 … 1e-3).',
    hyper: [BETA1, BETA2, DELTA],
    secondOrder: false,
    defaultLr: 1e-3,
    needs: [],
  },
  init(n, hyper) {
    return {
      ...baseState('adam', n, [BETA1, BETA2, DELTA], hyper),
      m: new Float64Array(n),
      v: new Float64Array(n),
    };
  },
  update(state, params, grad, ctx) {
    checkStep('adam', state, params, grad, ctx);
    adamUpdate('adam', state, params, grad, ctx.lr, 0, undefined);
  },
};

/** AdamW: θ ← θ − αλθ − α m̂/(δ + √v̂) (decoupled weight decay). */
export const adamw: RegisteredOptimizer<AdamState> = {
  name: 'adamw',
  info: {
    name: 'adamw',
    label: 'AdamW',
    formula:
      '\\theta_{t+1} = \\theta_t - \\alpha\\lambda\\theta_t - \\frac{\\alpha}{\\delta + \\sqrt{\\hat v_{t+1}}} \\hat m_{t+1}',
    summary: 'Adam with weight decay applied directly to the weights instead of through the gradient.',
    hyper: [BETA1, BETA2, DELTA, WD],
    secondOrder: false,
    defaultLr: 1e-3,
    needs: [],
  },
  init(n, hyper) {
    return {
      ...baseState('adamw', n, [BETA1, BETA2, DELTA, WD], hyper),
      m: new Float64Array(n),
      v: new Float64Array(n),
    };
  },
  update(state, params, grad, ctx) {
    checkStep('adamw', state, params, grad, ctx);
    if (ctx.decayMask && ctx.decayMask.length !== params.length) {
      throw new OptimizerError(
        'adamw',
        `decayMask has ${ctx.decayMask.length} entries, params has ${params.length}`,
      );
    }
    adamUpdate('adamw', state, params, grad, ctx.lr, state.hyper.weightDecay, ctx.decayMask);
  },
};
