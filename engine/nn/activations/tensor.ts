/**
 * Activations on tensors, as compositions of the core's differentiable primitives (so reverse mode,
 * forward mode and Hessian-vector products all work). Formulas: lecture "Dense Neural networks" activation
 * slides (see scalar.ts for the exact references and the kink conventions, which are the same here).
 *
 * Stability: sigmoid/tanh/erf/log1p/expm1 are stable primitives; softplus is max(x, 0) + log1p(e^{−|x|});
 * branches that could overflow on the side not taken (ELU/SELU's eˣ, Soboleva's exponentials) are evaluated
 * on inputs masked to their own side ("double where"), so no inf reaches a gradient as 0·inf = NaN.
 *
 * Invariant: every function keeps x's shape, dtype and backend; none allocates persistent state.
 * `softmax` remembers which logits produced each output (a WeakMap), so cross-entropy on a softmax output
 * can use the stable log-softmax of those logits (see losses).
 */
import {
  abs,
  add,
  div,
  erf,
  exp,
  expm1,
  greater,
  greaterEqual,
  log1p,
  log,
  max,
  stopGradient,
  sum,
  maximum,
  mul,
  neg,
  sigmoid as sigmoidOp,
  square,
  sub,
  tanh as tanhOp,
  where,
  type Tensor,
} from '../../index';
import {
  defaultParams,
  GELU_TANH_C,
  GELU_TANH_K,
  LECUN_TANH_A,
  LECUN_TANH_B,
  SELU_ALPHA,
  SELU_LAMBDA,
  validateActivationParams,
  type ActivationName,
  type ActivationParams,
} from './scalar';

/** ReLU max(0, x); derivative 0 at x = 0 (PyTorch convention). Shape: any → same. */
export function relu(x: Tensor): Tensor {
  return where(greater(x, 0), x, 0);
}

/** Leaky ReLU: x for x > 0, slope·x otherwise (lecture "ReLU variants"; slope 0.01 by default). */
export function leakyRelu(x: Tensor, slope = 0.01): Tensor {
  return where(greater(x, 0), x, mul(x, slope));
}

/**
 * PReLU: x for x > 0, α·x otherwise, with learnable α (lecture "ReLU variants"; He et al. 2015).
 * @param alpha [features] (one per feature, broadcast over the batch) or [1] (shared).
 */
export function prelu(x: Tensor, alpha: Tensor): Tensor {
  return where(greater(x, 0), x, mul(x, alpha));
}

/** ELU: x for x > 0, α(eˣ − 1) otherwise (lecture "Other ReLU variants"). */
export function elu(x: Tensor, alpha = 1): Tensor {
  const pos = greater(x, 0);
  const xn = where(pos, 0, x); // keep eˣ finite on the positive side
  return where(pos, x, mul(expm1(xn), alpha));
}

/** SELU = λ·ELU_α with α = 1.6732632423543772, λ = 1.0507009873554805 (Klambauer et al. 2017). */
export function selu(x: Tensor): Tensor {
  return mul(elu(x, SELU_ALPHA), SELU_LAMBDA);
}

/** GELU x·Φ(x): exact ½x(1 + erf(x/√2)), or the tanh approximation ½x(1 + tanh(√(2/π)(x + 0.044715x³))). */
export function gelu(x: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor {
  if (approximate === 'tanh') {
    const inner = mul(add(x, mul(mul(square(x), x), GELU_TANH_K)), GELU_TANH_C);
    return mul(mul(x, 0.5), add(tanhOp(inner), 1));
  }
  return mul(mul(x, 0.5), add(erf(mul(x, Math.SQRT1_2)), 1));
}

/** SiLU x·σ(x) (lecture "More ReLU activation functions"). */
export function silu(x: Tensor): Tensor {
  return mul(x, sigmoidOp(x));
}

/** Softplus ln(1 + eˣ) = max(x, 0) + log1p(e^{−|x|}); finite for any x, softplus(−100) ≈ 3.7e−44. */
export function softplus(x: Tensor): Tensor {
  return add(maximum(x, 0), log1p(exp(neg(abs(x)))));
}

/** Gaussian e^{−x²} (lecture "Other activation functions"). */
export function gaussian(x: Tensor): Tensor {
  return exp(neg(square(x)));
}

/** LeCun's scaled tanh 1.7159·tanh(2x/3) (lecture "Initialization of Y. LeCun"). */
export function lecunTanh(x: Tensor): Tensor {
  return mul(tanhOp(mul(x, LECUN_TANH_B)), LECUN_TANH_A);
}

/**
 * Soboleva modified tanh (e^{ax} − e^{−bx})/(e^{cx} + e^{−dx}) (lecture "Classic Activation Operators").
 * Evaluated as (e^{(a−c)x} − e^{−(b+c)x})/(1 + e^{−(c+d)x}) for x ≥ 0 and (e^{(a+d)x} − e^{(d−b)x})/(e^{(c+d)x} + 1)
 * for x < 0 (numerator and denominator divided by e^{cx} resp. e^{−dx}); a = b = c = d = 1 uses the tanh primitive.
 */
export function sobolevaTanh(x: Tensor, a = 1, b = 1, c = 1, d = 1): Tensor {
  if (a === 1 && b === 1 && c === 1 && d === 1) return tanhOp(x);
  const pos = greaterEqual(x, 0);
  const xp = where(pos, x, 0);
  const xn = where(pos, 0, x);
  const fp = div(sub(exp(mul(xp, a - c)), exp(mul(xp, -(b + c)))), add(exp(mul(xp, -(c + d))), 1));
  const fn = div(sub(exp(mul(xn, a + d)), exp(mul(xn, d - b))), add(exp(mul(xn, c + d)), 1));
  return where(pos, fp, fn);
}

/** Binary step: 1 for x ≥ 0, else 0. Its derivative is 0 everywhere (undefined at 0): no gradient flows. */
export function binaryStep(x: Tensor): Tensor {
  return greaterEqual(x, 0);
}

/** Logits each softmax output was computed from (for the fused softmax + cross-entropy). */
const SOFTMAX_SOURCE = new WeakMap<Tensor, Tensor>();

/**
 * Log-softmax over the last axis: (x − m) − ln Σ e^{x − m}, m = row max held constant (the result does not
 * depend on m). Stable for any magnitude; subtracting m first keeps float32 precision. Shape: [..., C] → same.
 */
export function logSoftmax(x: Tensor): Tensor {
  const xs = sub(x, stopGradient(max(x, -1, true)));
  return sub(xs, log(sum(exp(xs), -1, true)));
}

/**
 * Softmax over the last (feature) axis, ρᵢ(x) = e^{xᵢ}/Σⱼe^{xⱼ} (lecture "Output activation functions"),
 * computed as e^{x − m}/Σ e^{x − m} with m the row max, so softmax([1000, 1000]) = [0.5, 0.5] exactly.
 * Shape: [..., C] → [..., C].
 */
export function softmax(x: Tensor): Tensor {
  const e = exp(sub(x, stopGradient(max(x, -1, true))));
  const y = div(e, sum(e, -1, true));
  SOFTMAX_SOURCE.set(y, x);
  return y;
}

/** The logits a tensor was produced from by `softmax`, or null. */
export function softmaxLogits(y: Tensor): Tensor | null {
  const x = SOFTMAX_SOURCE.get(y);
  return x && !x.disposed ? x : null;
}

/**
 * Applies a registry activation by name with its parameters (defaults from the registry).
 * @param alpha PReLU's learnable slopes ([features] or [1]); required for 'prelu'.
 * @throws RangeError on an unknown name, invalid parameters, or PReLU without alpha.
 */
export function activation(
  name: ActivationName,
  x: Tensor,
  params: ActivationParams = {},
  alpha?: Tensor,
): Tensor {
  validateActivationParams(name, params);
  const p = { ...defaultParams(name), ...params };
  const n = (k: string) => p[k] as number;
  switch (name) {
    case 'identity':
      return x;
    case 'binary_step':
      return binaryStep(x);
    case 'sigmoid':
      return sigmoidOp(x);
    case 'tanh':
      return tanhOp(x);
    case 'soboleva_tanh':
      return sobolevaTanh(x, n('a'), n('b'), n('c'), n('d'));
    case 'lecun_tanh':
      return lecunTanh(x);
    case 'relu':
      return relu(x);
    case 'leaky_relu':
      return leakyRelu(x, n('slope'));
    case 'prelu':
      if (!alpha)
        throw new RangeError(
          'prelu: needs its learnable α tensor (declare it with layerParams({type: "prelu"}))',
        );
      return prelu(x, alpha);
    case 'gelu':
      return gelu(x, p.approximate === 'tanh' ? 'tanh' : 'none');
    case 'elu':
      return elu(x, n('alpha'));
    case 'selu':
      return selu(x);
    case 'silu':
      return silu(x);
    case 'gaussian':
      return gaussian(x);
    case 'softplus':
      return softplus(x);
    case 'softmax':
      return softmax(x);
    default:
      throw new RangeError(`unknown activation '${String(name)}'`);
  }
}
