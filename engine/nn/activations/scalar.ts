/**
 * Activation functions on plain float64 numbers, with their derivatives, for the inspector plot and as the
 * reference the tensor kernels are tested against; plus the activation registry the editor's palette is
 * built from (name → params with defaults/ranges, LaTeX formula, one-line explanation).
 *
 * Source: lecture "Classic/Modern Activation Operators", "ReLU variants", "Other ReLU variants", "More ReLU
 * activation functions", "Other activation functions", "Output activation functions"; scaled tanh from
 * "Initialization of Y. LeCun". Conventions at kinks follow PyTorch: derivative at 0 is 0 for ReLU, the
 * negative-side slope for Leaky ReLU/PReLU (the lecture puts x = 0 on the negative branch), and α·eˣ = α for
 * ELU/SELU at 0.
 *
 * Invariants: `evaluate` never throws for finite inputs and returns finite values wherever the true function
 * is finite (stable sigmoid/softplus; Soboleva evaluated in a rescaled form).
 */
import { normalCdf, normalPdf } from '../special';

/** SELU constants (Klambauer et al. 2017) to full double precision; the lecture rounds them to 1.67326 and 1.0507. */
export const SELU_ALPHA = 1.6732632423543772;
export const SELU_LAMBDA = 1.0507009873554805;
/** LeCun's scaled tanh 1.7159·tanh(2x/3) (LeCun et al. 1998). */
export const LECUN_TANH_A = 1.7159;
export const LECUN_TANH_B = 2 / 3;
/** √(2/π) and the cubic coefficient of GELU's tanh approximation (Hendrycks & Gimpel 2016). */
export const GELU_TANH_C = 0.7978845608028654;
export const GELU_TANH_K = 0.044715;

export type ActivationName =
  | 'identity'
  | 'binary_step'
  | 'sigmoid'
  | 'tanh'
  | 'soboleva_tanh'
  | 'lecun_tanh'
  | 'relu'
  | 'leaky_relu'
  | 'prelu'
  | 'gelu'
  | 'elu'
  | 'selu'
  | 'silu'
  | 'gaussian'
  | 'softplus'
  | 'softmax';

export type ActivationParams = Record<string, number | boolean | string>;

export interface ActivationParamInfo {
  name: string;
  label: string;
  kind: 'number' | 'boolean' | 'enum';
  default: number | boolean | string;
  min?: number;
  max?: number;
  /** For kind 'enum'. */
  options?: string[];
  description: string;
}

export interface ActivationInfo {
  name: ActivationName;
  label: string;
  /** LaTeX formula of the forward function. */
  formula: string;
  /** One line for the palette/inspector. */
  explain: string;
  /** Output range as text, e.g. '(0, 1)'. */
  range: string;
  params: ActivationParamInfo[];
  /** false for softmax (acts on the feature vector); true for the element-wise ones. */
  elementwise: boolean;
  /** Has trainable parameters (PReLU's α); the layer part lives in nn/layers. */
  learnable: boolean;
  /** Where the formula comes from. */
  source: string;
}

/** Value and derivative of an element-wise activation at x (float64). */
export type ScalarFn = (x: number, p: ActivationParams) => { value: number; derivative: number };

const num = (p: ActivationParams, k: string, d: number): number =>
  typeof p[k] === 'number' ? (p[k] as number) : d;

function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Soboleva (e^{ax} − e^{−bx})/(e^{cx} + e^{−dx}), divided through by e^{cx} (x ≥ 0) or e^{−dx} (x < 0). */
function soboleva(
  x: number,
  a: number,
  b: number,
  c: number,
  d: number,
): { value: number; derivative: number } {
  // N/D with N = e^{ax} − e^{−bx}, D = e^{cx} + e^{−dx}; scale both by s = e^{−cx} or e^{dx}.
  const s = x >= 0 ? -c * x : d * x;
  const ea = Math.exp(a * x + s);
  const eb = Math.exp(-b * x + s);
  const ec = Math.exp(c * x + s);
  const ed = Math.exp(-d * x + s);
  const N = ea - eb;
  const D = ec + ed;
  const dN = a * ea + b * eb;
  const dD = c * ec - d * ed;
  return { value: N / D, derivative: (dN * D - N * dD) / (D * D) };
}

/** Element-wise activations (softmax is excluded: it acts on whole rows). */
export const SCALAR_ACTIVATIONS: Record<Exclude<ActivationName, 'softmax'>, ScalarFn> = {
  identity: (x) => ({ value: x, derivative: 1 }),
  binary_step: (x) => ({ value: x >= 0 ? 1 : 0, derivative: 0 }),
  sigmoid: (x) => {
    const s = sigmoid(x);
    return { value: s, derivative: s * (1 - s) };
  },
  tanh: (x) => {
    const t = Math.tanh(x);
    return { value: t, derivative: 1 - t * t };
  },
  soboleva_tanh: (x, p) => soboleva(x, num(p, 'a', 1), num(p, 'b', 1), num(p, 'c', 1), num(p, 'd', 1)),
  lecun_tanh: (x) => {
    const t = Math.tanh(LECUN_TANH_B * x);
    return { value: LECUN_TANH_A * t, derivative: LECUN_TANH_A * LECUN_TANH_B * (1 - t * t) };
  },
  relu: (x) => ({ value: x > 0 ? x : 0, derivative: x > 0 ? 1 : 0 }),
  leaky_relu: (x, p) => {
    const k = num(p, 'slope', 0.01);
    return { value: x > 0 ? x : k * x, derivative: x > 0 ? 1 : k };
  },
  prelu: (x, p) => {
    const k = num(p, 'alpha', 0.25);
    return { value: x > 0 ? x : k * x, derivative: x > 0 ? 1 : k };
  },
  gelu: (x, p) => {
    if (p.approximate === 'tanh') {
      const u = GELU_TANH_C * (x + GELU_TANH_K * x * x * x);
      const t = Math.tanh(u);
      const du = GELU_TANH_C * (1 + 3 * GELU_TANH_K * x * x);
      return { value: 0.5 * x * (1 + t), derivative: 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du };
    }
    const cdf = normalCdf(x);
    return { value: x * cdf, derivative: cdf + x * normalPdf(x) };
  },
  elu: (x, p) => {
    const a = num(p, 'alpha', 1);
    if (x > 0) return { value: x, derivative: 1 };
    const e = Math.exp(x);
    return { value: a * (e - 1), derivative: a * e };
  },
  selu: (x) => {
    if (x > 0) return { value: SELU_LAMBDA * x, derivative: SELU_LAMBDA };
    const e = Math.exp(x);
    return { value: SELU_LAMBDA * SELU_ALPHA * (e - 1), derivative: SELU_LAMBDA * SELU_ALPHA * e };
  },
  silu: (x) => {
    const s = sigmoid(x);
    return { value: x * s, derivative: s * (1 + x * (1 - s)) };
  },
  gaussian: (x) => {
    const e = Math.exp(-x * x);
    return { value: e, derivative: -2 * x * e };
  },
  softplus: (x) => ({ value: Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))), derivative: sigmoid(x) }),
};

/**
 * Value and derivative of an element-wise activation at x, for the inspector plot.
 * @throws RangeError for softmax (not element-wise) or an unknown name.
 */
export function evaluateActivation(
  name: ActivationName,
  x: number,
  params: ActivationParams = {},
): { value: number; derivative: number } {
  if (name === 'softmax')
    throw new RangeError('softmax acts on a whole row of features; it has no scalar plot');
  const f = SCALAR_ACTIVATIONS[name];
  if (!f) throw new RangeError(`unknown activation '${String(name)}'`);
  return f(x, { ...defaultParams(name), ...params });
}

/** Softmax of one row (float64, stable: shifts by the row maximum). */
export function softmaxRow(x: readonly number[]): number[] {
  const m = Math.max(...x);
  const e = x.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

const P = (
  name: string,
  label: string,
  def: number,
  description: string,
  min?: number,
  max?: number,
): ActivationParamInfo => ({
  name,
  label,
  kind: 'number',
  default: def,
  description,
  ...(min !== undefined ? { min } : {}),
  ...(max !== undefined ? { max } : {}),
});

export const ACTIVATIONS: readonly ActivationInfo[] = [
  {
    name: 'identity',
    label: 'Identity',
    formula: '\\rho(x) = x',
    explain: 'Passes values through; the output activation for regression.',
    range: '(-\\infty, \\infty)',
    params: [],
    elementwise: true,
    learnable: false,
    source: 'lecture: Classic Activation Operators',
  },
  {
    name: 'binary_step',
    label: 'Binary step',
    formula: '\\rho(x) = \\begin{cases} 0 & x < 0 \\\\ 1 & x \\ge 0 \\end{cases}',
    explain:
      'Outputs 0 or 1. Its derivative is 0 everywhere (undefined at 0), so no gradient flows through it.',
    range: '\\{0, 1\\}',
    params: [],
    elementwise: true,
    learnable: false,
    source: 'lecture: Classic Activation Operators',
  },
  {
    name: 'sigmoid',
    label: 'Sigmoid',
    formula: '\\rho(x) = \\frac{1}{1 + e^{-x}}',
    explain:
      'Squashes to (0, 1); the output activation for binary classification. Saturates (vanishing gradient).',
    range: '(0, 1)',
    params: [],
    elementwise: true,
    learnable: false,
    source: 'lecture: Classic Activation Operators',
  },
  {
    name: 'tanh',
    label: 'Tanh',
    formula: '\\rho(x) = \\frac{e^x - e^{-x}}{e^x + e^{-x}}',
    explain: 'Zero-centred squashing to (−1, 1). Saturates for large |x|.',
    range: '(-1, 1)',
    params: [],
    elementwise: true,
    learnable: false,
    source: 'lecture: Classic Activation Operators',
  },
  {
    name: 'soboleva_tanh',
    label: 'Soboleva modified tanh',
    formula: '\\rho(x) = \\frac{e^{ax} - e^{-bx}}{e^{cx} + e^{-dx}}',
    explain: 'Tanh with separate rates for each exponential; a = b = c = d = 1 gives tanh.',
    range: 'depends on a, b, c, d',
    params: [
      P('a', 'a', 1, 'rate of the positive numerator exponential'),
      P('b', 'b', 1, 'rate of the negative numerator exponential'),
      P('c', 'c', 1, 'rate of the positive denominator exponential'),
      P('d', 'd', 1, 'rate of the negative denominator exponential'),
    ],
    elementwise: true,
    learnable: false,
    source: 'lecture: Classic Activation Operators (Soboleva)',
  },
  {
    name: 'lecun_tanh',
    label: 'LeCun scaled tanh',
    formula: '\\rho(x) = 1.7159 \\tanh\\left(\\tfrac{2}{3}x\\right)',
    explain: 'Symmetric tanh scaled so that ρ(±1) ≈ ±1; pairs with LeCun initialisation.',
    range: '(-1.7159, 1.7159)',
    params: [],
    elementwise: true,
    learnable: false,
    source: 'lecture: Initialization of Y. LeCun',
  },
  {
    name: 'relu',
    label: 'ReLU',
    formula: '\\rho(x) = \\max(0, x)',
    explain: 'Rectified linear unit: good gradient flow, but units can "die" (stay at 0).',
    range: '[0, \\infty)',
    params: [],
    elementwise: true,
    learnable: false,
    source: 'lecture: Modern Activation Operators',
  },
  {
    name: 'leaky_relu',
    label: 'Leaky ReLU',
    formula: '\\rho(x) = \\begin{cases} s x & x \\le 0 \\\\ x & x > 0 \\end{cases}',
    explain: 'ReLU with a small slope s for negative inputs, so units cannot die.',
    range: '(-\\infty, \\infty)',
    params: [P('slope', 'Negative slope', 0.01, 'slope s for x ≤ 0', 0, 1)],
    elementwise: true,
    learnable: false,
    source: 'lecture: ReLU variants',
  },
  {
    name: 'prelu',
    label: 'PReLU',
    formula: '\\rho(x) = \\begin{cases} \\alpha x & x \\le 0 \\\\ x & x > 0 \\end{cases}',
    explain: 'Leaky ReLU whose negative slope α is learned, one per feature.',
    range: '(-\\infty, \\infty)',
    params: [
      P('alpha', 'Initial α', 0.25, 'initial value of the learnable slope (He et al. 2015 use 0.25)', 0, 1),
      {
        name: 'shared',
        label: 'One α for all features',
        kind: 'boolean',
        default: false,
        description: 'learn a single α instead of one per feature',
      },
    ],
    elementwise: true,
    learnable: true,
    source: 'lecture: ReLU variants',
  },
  {
    name: 'gelu',
    label: 'GELU',
    formula:
      '\\rho(x) = \\tfrac{1}{2}x\\left(1 + \\operatorname{erf}\\left(\\tfrac{x}{\\sqrt{2}}\\right)\\right) = x\\Phi(x)',
    explain: 'Gaussian error linear unit: x weighted by the normal cdf. Optional tanh approximation.',
    range: '[-0.17, \\infty)',
    params: [
      {
        name: 'approximate',
        label: 'Approximation',
        kind: 'enum',
        default: 'none',
        options: ['none', 'tanh'],
        description: "'none' = exact erf form; 'tanh' = ½x(1 + tanh(√(2/π)(x + 0.044715x³)))",
      },
    ],
    elementwise: true,
    learnable: false,
    source: 'lecture: Other ReLU variants; Hendrycks & Gimpel 2016',
  },
  {
    name: 'elu',
    label: 'ELU',
    formula: '\\rho(x) = \\begin{cases} \\alpha(e^x - 1) & x \\le 0 \\\\ x & x > 0 \\end{cases}',
    explain: 'Exponential linear unit: smooth negative saturation at −α.',
    range: '[-\\alpha, \\infty)',
    params: [P('alpha', 'α', 1, 'negative saturation value', 0)],
    elementwise: true,
    learnable: false,
    source: 'lecture: Other ReLU variants',
  },
  {
    name: 'selu',
    label: 'SELU',
    formula: '\\rho(x) = \\lambda \\begin{cases} \\alpha(e^x - 1) & x \\le 0 \\\\ x & x > 0 \\end{cases}',
    explain:
      'Self-normalising ELU with α = 1.6732632423543772, λ = 1.0507009873554805 (the lecture rounds them); use with LeCun normal init.',
    range: '[-\\alpha\\lambda, \\infty)',
    params: [],
    elementwise: true,
    learnable: false,
    source: 'lecture: More ReLU activation functions; Klambauer et al. 2017',
  },
  {
    name: 'silu',
    label: 'SiLU (swish)',
    formula: '\\rho(x) = \\frac{x}{1 + e^{-x}}',
    explain: 'Sigmoid-weighted linear unit: smooth, non-monotone near 0.',
    range: '[-0.278, \\infty)',
    params: [],
    elementwise: true,
    learnable: false,
    source: 'lecture: More ReLU activation functions',
  },
  {
    name: 'gaussian',
    label: 'Gaussian',
    formula: '\\rho(x) = e^{-x^2}',
    explain: 'Bell-shaped bump, 1 at 0; gradient vanishes far from 0.',
    range: '(0, 1]',
    params: [],
    elementwise: true,
    learnable: false,
    source: 'lecture: Other activation functions',
  },
  {
    name: 'softplus',
    label: 'Softplus',
    formula: '\\rho(x) = \\ln(1 + e^x)',
    explain: 'Smooth ReLU; computed as max(x, 0) + ln(1 + e^{−|x|}) so large |x| never overflows.',
    range: '(0, \\infty)',
    params: [],
    elementwise: true,
    learnable: false,
    source: 'lecture: Other activation functions',
  },
  {
    name: 'softmax',
    label: 'Softmax',
    formula: '\\rho_i(x) = \\frac{e^{x_i}}{\\sum_j e^{x_j}}',
    explain:
      'Turns a row of scores into class probabilities; the output activation for multi-class classification (computed stably, shifted by the row max).',
    range: '(0, 1), rows sum to 1',
    params: [],
    elementwise: false,
    learnable: false,
    source: 'lecture: Output activation functions',
  },
];

/** Registry lookup. @throws RangeError naming the valid choices for an unknown name. */
export function activationInfo(name: string): ActivationInfo {
  const a = ACTIVATIONS.find((x) => x.name === name);
  if (!a)
    throw new RangeError(
      `unknown activation '${name}'; choose one of ${ACTIVATIONS.map((x) => x.name).join(', ')}`,
    );
  return a;
}

/** Default parameter values of an activation, from the registry. */
export function defaultParams(name: ActivationName): ActivationParams {
  return Object.fromEntries(activationInfo(name).params.map((p) => [p.name, p.default]));
}

/**
 * Checks an activation's parameters against the registry ranges.
 * @throws RangeError naming the activation and the parameter.
 */
export function validateActivationParams(name: ActivationName, params: ActivationParams): void {
  for (const p of activationInfo(name).params) {
    const v = params[p.name];
    if (v === undefined) continue;
    if (p.kind === 'number') {
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new RangeError(`${name}: parameter ${p.name} must be a finite number, got ${String(v)}`);
      if ((p.min !== undefined && v < p.min) || (p.max !== undefined && v > p.max))
        throw new RangeError(
          `${name}: parameter ${p.name} = ${v} is outside [${p.min ?? '−∞'}, ${p.max ?? '∞'}]`,
        );
    } else if (p.kind === 'enum' && !p.options!.includes(String(v))) {
      throw new RangeError(
        `${name}: parameter ${p.name} must be one of ${p.options!.join(', ')}, got ${String(v)}`,
      );
    } else if (p.kind === 'boolean' && typeof v !== 'boolean') {
      throw new RangeError(`${name}: parameter ${p.name} must be true or false, got ${String(v)}`);
    }
  }
}
