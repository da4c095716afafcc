/**
 * Weight initializers: fill a Float32Array for a parameter of a given shape from the seeded Rng.
 *
 * Source: lecture "Initialization mechanisms" (slides "Initialization of Y. LeCun", "Glorot Initialization",
 * "He Initialization"); LeCun et al. 1998, Glorot & Bengio 2010, He et al. 2015.
 *
 * Fan convention (lecture: W_i ∈ ℝ^{N_i × N_{i−1}}): fan_in = number of inputs of the layer (N_{i−1}),
 * fan_out = number of outputs (N_i). Netloom stores Dense weights as [in, out] row-major, so for a
 * 2-D shape [a, b] fan_in = a and fan_out = b; a 1-D shape [n] has fan_in = fan_out = n; for rank > 2,
 * [in, out, ...k] the trailing dimensions are a receptive field multiplied into both fans.
 *
 * Standard definitions vs. the lecture:
 * - He: the Kaiming paper and PyTorch/Keras use σ² = 2/fan_in (mode 'fan_in', the default). The lecture's
 *   "compromise" line says σ² = 2/fan_out while its formulas use fan_in; choose mode 'fan_out' for the former.
 * - Glorot normal: σ = √(2/(fan_in+fan_out)) (lecture writes N(0, √2/√(fan_in+fan_out)) with σ as 2nd arg).
 * - Normal distributions are untruncated by default. `truncated: true` redraws values beyond 2σ (Keras
 *   convention); for the variance-scaling families (LeCun, Glorot, He) σ is then divided by 0.8796256610342398
 *   (std of a standard normal truncated to [−2, 2]) so the variance still equals the formula; for plain
 *   `normal(μ, σ)` no correction is applied (variance becomes ≈ 0.7737·σ²), as in PyTorch's trunc_normal_.
 *
 * Invariants: every draw comes from the Rng passed in (bit-for-bit reproducible); no allocation besides the
 * output when none is given.
 */
import type { Rng } from '../random/rng';

/** Which fan a variance-scaling initializer divides by. 'fan_avg' = (fan_in + fan_out)/2. */
export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg';

export type InitSpec =
  | { kind: 'zeros' }
  | { kind: 'ones' }
  | { kind: 'constant'; value: number }
  | { kind: 'uniform'; a: number; b: number }
  | { kind: 'normal'; mean: number; std: number; truncated?: boolean }
  | { kind: 'lecun_normal' | 'glorot_normal' | 'he_normal'; mode?: FanMode; truncated?: boolean }
  | { kind: 'lecun_uniform' | 'glorot_uniform' | 'he_uniform'; mode?: FanMode };

export type InitKind = InitSpec['kind'];

/** std of N(0,1) truncated to [−2, 2]: √(1 − 2·2φ(2)/(2Φ(2)−1)). */
export const TRUNC2_STD = 0.8796256610342398;

/** fan_in and fan_out of a parameter shape (see the module header for the convention). @throws RangeError on an empty or non-positive shape. */
export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) throw new RangeError('computeFans: a scalar parameter has no fan; give a shape');
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 1)
      throw new RangeError(`computeFans: shape [${shape.join(', ')}] must hold positive integers`);
  }
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  let field = 1;
  for (let i = 2; i < shape.length; i++) field *= shape[i];
  return { fanIn: shape[0] * field, fanOut: shape[1] * field };
}

function pickFan(mode: FanMode, fanIn: number, fanOut: number): number {
  if (mode === 'fan_in') return fanIn;
  if (mode === 'fan_out') return fanOut;
  return (fanIn + fanOut) / 2;
}

/**
 * Mean and variance of the distribution an initializer samples from, in closed form (for the inspector and
 * documentation). Truncated variance-scaling normals keep the formula's variance; truncated plain normal
 * reports the truncated variance.
 */
export function initMoments(
  spec: InitSpec,
  fans: { fanIn: number; fanOut: number },
): { mean: number; variance: number } {
  const scale = variance(spec, fans);
  switch (spec.kind) {
    case 'zeros':
      return { mean: 0, variance: 0 };
    case 'ones':
      return { mean: 1, variance: 0 };
    case 'constant':
      return { mean: spec.value, variance: 0 };
    case 'uniform':
      return { mean: (spec.a + spec.b) / 2, variance: ((spec.b - spec.a) * (spec.b - spec.a)) / 12 };
    case 'normal':
      return {
        mean: spec.mean,
        variance: spec.truncated ? spec.std * spec.std * TRUNC2_STD * TRUNC2_STD : spec.std * spec.std,
      };
    default:
      return { mean: 0, variance: scale };
  }
}

/** Target variance σ² of a variance-scaling initializer (LeCun 1/fan, Glorot 1/fan_avg, He 2/fan). */
function variance(spec: InitSpec, fans: { fanIn: number; fanOut: number }): number {
  switch (spec.kind) {
    case 'lecun_normal':
    case 'lecun_uniform':
      return 1 / pickFan(spec.mode ?? 'fan_in', fans.fanIn, fans.fanOut);
    case 'glorot_normal':
    case 'glorot_uniform':
      return 1 / pickFan(spec.mode ?? 'fan_avg', fans.fanIn, fans.fanOut);
    case 'he_normal':
    case 'he_uniform':
      return 2 / pickFan(spec.mode ?? 'fan_in', fans.fanIn, fans.fanOut);
    default:
      return 0;
  }
}

/** A normal draw restricted to [−2, 2] by rejection (acceptance ≈ 95.4 %). */
function truncatedStandardNormal(rng: Rng): number {
  for (;;) {
    const z = rng.normal();
    if (z >= -2 && z <= 2) return z;
  }
}

/**
 * Fill `out` (length = product of `shape`) with draws from `spec`.
 * @param shape parameter shape, e.g. [in, out] for a Dense weight; used for fan_in/fan_out.
 * @param fans overrides the fans computed from `shape` (layers whose weight layout differs pass their own).
 * @returns `out` (allocated when omitted).
 * @throws RangeError on a bad shape, a length mismatch, or invalid parameters (a > b, std < 0, non-finite).
 */
export function initialize<T extends Float32Array | Float64Array = Float32Array>(
  spec: InitSpec,
  shape: readonly number[],
  rng: Rng,
  out?: T,
  fans?: { fanIn: number; fanOut: number },
): T {
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`initialize: bad shape [${shape.join(', ')}]`);
    n *= d;
  }
  const dst = (out ?? new Float32Array(n)) as T;
  if (dst.length !== n)
    throw new RangeError(
      `initialize: output has length ${dst.length}, shape [${shape.join(', ')}] needs ${n}`,
    );
  validateInit(spec);
  switch (spec.kind) {
    case 'zeros':
      dst.fill(0);
      return dst;
    case 'ones':
      dst.fill(1);
      return dst;
    case 'constant':
      dst.fill(spec.value);
      return dst;
    case 'uniform':
      for (let i = 0; i < n; i++) dst[i] = rng.uniform(spec.a, spec.b);
      return dst;
    case 'normal':
      for (let i = 0; i < n; i++)
        dst[i] = spec.mean + spec.std * (spec.truncated ? truncatedStandardNormal(rng) : rng.normal());
      return dst;
  }
  if (n === 0) return dst;
  const f = fans ?? computeFans(shape);
  const v = variance(spec, f);
  if (spec.kind === 'lecun_uniform' || spec.kind === 'glorot_uniform' || spec.kind === 'he_uniform') {
    const lim = Math.sqrt(3 * v); // U(−l, l) has variance l²/3
    for (let i = 0; i < n; i++) dst[i] = rng.uniform(-lim, lim);
  } else {
    const std = Math.sqrt(v);
    if ('truncated' in spec && spec.truncated) {
      const s = std / TRUNC2_STD;
      for (let i = 0; i < n; i++) dst[i] = s * truncatedStandardNormal(rng);
    } else {
      for (let i = 0; i < n; i++) dst[i] = std * rng.normal();
    }
  }
  return dst;
}

/** @throws RangeError naming the parameter when an initializer's settings are invalid. */
export function validateInit(spec: InitSpec): void {
  const fin = (x: number, what: string) => {
    if (!Number.isFinite(x))
      throw new RangeError(`initializer ${spec.kind}: ${what} must be a finite number, got ${x}`);
  };
  switch (spec.kind) {
    case 'constant':
      fin(spec.value, 'value');
      break;
    case 'uniform':
      fin(spec.a, 'a');
      fin(spec.b, 'b');
      if (spec.a > spec.b)
        throw new RangeError(`initializer uniform: need a ≤ b, got a=${spec.a}, b=${spec.b}`);
      break;
    case 'normal':
      fin(spec.mean, 'mean');
      fin(spec.std, 'std');
      if (spec.std < 0) throw new RangeError(`initializer normal: std must be ≥ 0, got ${spec.std}`);
      break;
    case 'zeros':
    case 'ones':
      break;
    default:
      if (!INITIALIZERS.some((i) => i.kind === spec.kind))
        throw new RangeError(
          `unknown initializer '${String(spec.kind)}'; choose one of ${INITIALIZERS.map((i) => i.kind).join(', ')}`,
        );
      if (spec.mode !== undefined && !['fan_in', 'fan_out', 'fan_avg'].includes(spec.mode))
        throw new RangeError(
          `initializer ${spec.kind}: mode must be fan_in, fan_out or fan_avg, got ${spec.mode}`,
        );
  }
}

/** Palette metadata for one initializer (the editor builds its menu from INITIALIZERS). */
export interface InitInfo {
  kind: InitKind;
  label: string;
  /** LaTeX of the distribution. */
  formula: string;
  explain: string;
  params: { name: string; default: number | string | boolean; options?: string[] }[];
}

export const INITIALIZERS: readonly InitInfo[] = [
  {
    kind: 'zeros',
    label: 'Zeros',
    formula: 'w = 0',
    explain: 'All zeros; fine for biases, breaks nothing but symmetry for weights.',
    params: [],
  },
  {
    kind: 'ones',
    label: 'Ones',
    formula: 'w = 1',
    explain: 'All ones (e.g. BatchNorm scale γ).',
    params: [],
  },
  {
    kind: 'constant',
    label: 'Constant',
    formula: 'w = c',
    explain: 'Every value equals c.',
    params: [{ name: 'value', default: 0 }],
  },
  {
    kind: 'uniform',
    label: 'Uniform',
    formula: '\\mathcal{U}(a, b)',
    explain: 'Uniform between a and b.',
    params: [
      { name: 'a', default: -0.05 },
      { name: 'b', default: 0.05 },
    ],
  },
  {
    kind: 'normal',
    label: 'Normal',
    formula: '\\mathcal{N}(\\mu, \\sigma^2)',
    explain: 'Gaussian with mean μ and standard deviation σ; optionally truncated at ±2σ.',
    params: [
      { name: 'mean', default: 0 },
      { name: 'std', default: 0.05 },
      { name: 'truncated', default: false },
    ],
  },
  {
    kind: 'lecun_normal',
    label: 'LeCun normal',
    formula: '\\mathcal{N}\\left(0, \\tfrac{1}{fan_{in}}\\right)',
    explain:
      'Keeps pre-activation variance 1 for symmetric activations (LeCun 1998); pair with SELU or scaled tanh.',
    params: [
      { name: 'mode', default: 'fan_in', options: ['fan_in', 'fan_out', 'fan_avg'] },
      { name: 'truncated', default: false },
    ],
  },
  {
    kind: 'lecun_uniform',
    label: 'LeCun uniform',
    formula: '\\mathcal{U}\\left(-\\sqrt{3/fan_{in}}, \\sqrt{3/fan_{in}}\\right)',
    explain: 'Uniform with the LeCun variance 1/fan_in.',
    params: [{ name: 'mode', default: 'fan_in', options: ['fan_in', 'fan_out', 'fan_avg'] }],
  },
  {
    kind: 'glorot_uniform',
    label: 'Glorot (Xavier) uniform',
    formula:
      '\\mathcal{U}\\left(-\\tfrac{\\sqrt{6}}{\\sqrt{fan_{in}+fan_{out}}}, \\tfrac{\\sqrt{6}}{\\sqrt{fan_{in}+fan_{out}}}\\right)',
    explain: 'Compromise between forward and backward variance, for sigmoid/tanh (Glorot & Bengio 2010).',
    params: [{ name: 'mode', default: 'fan_avg', options: ['fan_in', 'fan_out', 'fan_avg'] }],
  },
  {
    kind: 'glorot_normal',
    label: 'Glorot (Xavier) normal',
    formula: '\\mathcal{N}\\left(0, \\tfrac{2}{fan_{in}+fan_{out}}\\right)',
    explain: 'Gaussian with the Glorot variance 2/(fan_in + fan_out).',
    params: [
      { name: 'mode', default: 'fan_avg', options: ['fan_in', 'fan_out', 'fan_avg'] },
      { name: 'truncated', default: false },
    ],
  },
  {
    kind: 'he_uniform',
    label: 'He (Kaiming) uniform',
    formula: '\\mathcal{U}\\left(-\\sqrt{6/fan_{in}}, \\sqrt{6/fan_{in}}\\right)',
    explain: "For ReLU networks (He et al. 2015). Mode fan_out gives the lecture's σ² = 2/fan_out variant.",
    params: [{ name: 'mode', default: 'fan_in', options: ['fan_in', 'fan_out', 'fan_avg'] }],
  },
  {
    kind: 'he_normal',
    label: 'He (Kaiming) normal',
    formula: '\\mathcal{N}\\left(0, \\tfrac{2}{fan_{in}}\\right)',
    explain:
      "Gaussian with variance 2/fan_in for ReLU networks; mode fan_out gives the lecture's compromise line.",
    params: [
      { name: 'mode', default: 'fan_in', options: ['fan_in', 'fan_out', 'fan_avg'] },
      { name: 'truncated', default: false },
    ],
  },
];
