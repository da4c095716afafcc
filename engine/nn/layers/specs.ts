/**
 * Layer configurations, output-shape functions and parameter declarations — pure and allocation-free apart
 * from the small result objects, because the graph editor calls them on every connection.
 *
 * Shapes: every tensor is [batch, width] (tabular data), so a layer's shape function maps input widths to
 * an output width; `layerOutputShape` wraps it for [batch, width] tuples. Parameters are only *declared*
 * here (name, shape, initializer, trainable); they are created in the core's flat parameter store by
 * whoever builds the model.
 *
 * Weight layout: Dense/Maxout weights are [in, out] row-major (y = x·W + b), i.e. the transpose of the
 * lecture's W_i ∈ ℝ^{N_i × N_{i−1}}; fan_in = in, fan_out = out either way.
 *
 * Invariants: each function throws `LayerConfigError` naming the node and the parameter or input at fault.
 */
import type { InitSpec } from '../../init/initializers';

/** Thrown for an invalid layer configuration or incompatible inputs; `node` and `param` locate it. */
export class LayerConfigError extends Error {
  constructor(
    readonly node: string,
    readonly param: string | null,
    message: string,
  ) {
    super(`${node}: ${message}`);
    this.name = 'LayerConfigError';
  }
}

export interface DenseConfig {
  type: 'dense';
  /** Number of output features (≥ 1). */
  units: number;
  /** Add a bias vector b (default true). */
  bias?: boolean;
  weightInit?: InitSpec;
  biasInit?: InitSpec;
}

/** RBF layer (lecture "Radial Basis Function Nets"): φ(x) = [1, exp(−‖x−μᵢ‖²/2σᵢ²) for i < N]. */
export interface RbfConfig {
  type: 'rbf';
  /** Number of centres N (≥ 1). */
  centres: number;
  /** Prepend the constant 1 of the lecture's φ(x) (default true); output width N + 1, else N. */
  includeConstant?: boolean;
  /** Train the centres μ (default true). Freeze them for step 2 of the 2-/3-step recipes. */
  trainCentres?: boolean;
  /** Train the widths σ (default true). */
  trainWidths?: boolean;
  /** Initializer of the centres [N, d] (default U(−1, 1); usually overwritten by K-means++). */
  centreInit?: InitSpec;
  /** Initial width σ of every centre (default 1, must be > 0). */
  initialWidth?: number;
}

/** Maxout (Goodfellow et al. 2013; lecture "Output activation functions"): Dense of units·k outputs, max over each group of k. */
export interface MaxoutConfig {
  type: 'maxout';
  units: number;
  /** Pieces per unit k (≥ 2). */
  pieces: number;
  bias?: boolean;
  weightInit?: InitSpec;
  biasInit?: InitSpec;
}

/** Inverted dropout: in training, zero each value with probability `rate` and scale the rest by 1/(1−rate). */
export interface DropoutConfig {
  type: 'dropout';
  /** Drop probability in [0, 1). */
  rate: number;
}

/** Batch normalisation over features (Ioffe & Szegedy 2015). */
export interface BatchNormConfig {
  type: 'batchnorm';
  /** Running-statistics update r ← (1 − momentum)·r + momentum·batch (PyTorch convention; default 0.1). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Learnable scale γ and shift β (default true). */
  affine?: boolean;
}

/** Element-wise sum of ≥ 2 inputs of equal width (skip connections). */
export interface AddConfig {
  type: 'add';
}

/** Concatenation of ≥ 1 inputs along the feature axis. */
export interface ConcatConfig {
  type: 'concat';
}

/** PReLU's learnable slopes α live here because they are parameters (see activations for the others). */
export interface PReluConfig {
  type: 'prelu';
  /** Initial α (default 0.25, He et al. 2015). */
  initialAlpha?: number;
  /** One α per feature (default) or one shared α. */
  shared?: boolean;
}

export type LayerConfig =
  | DenseConfig
  | RbfConfig
  | MaxoutConfig
  | DropoutConfig
  | BatchNormConfig
  | AddConfig
  | ConcatConfig
  | PReluConfig;

export type LayerType = LayerConfig['type'];

/** A parameter (or running statistic) a layer needs, before it exists in the parameter store. */
export interface ParamDecl {
  /** Local name within the layer, e.g. 'weight', 'bias', 'centres', 'running_mean'. */
  name: string;
  shape: number[];
  init: InitSpec;
  /** Updated by the optimizer (false for frozen groups and for running statistics). */
  trainable: boolean;
  /** 'state' marks buffers updated by the forward pass itself (BatchNorm running statistics). */
  role: 'param' | 'state';
  /** fan_in/fan_out for variance-scaling initializers when they differ from the shape's default. */
  fans?: { fanIn: number; fanOut: number };
}

/** Defaults used when a weight/bias initializer port is unwired: Glorot uniform weights, zero biases (Keras). */
export const DEFAULT_WEIGHT_INIT: InitSpec = { kind: 'glorot_uniform' };
export const DEFAULT_BIAS_INIT: InitSpec = { kind: 'zeros' };

/**
 * Largest layer sizes accepted (the graph inspector reads them through the node ParamSpecs). They keep one
 * layer's parameters within memory: a Dense of MAX_UNITS from MAX_UNITS inputs already holds 2³² weights
 * (16 GiB as float32), so the whole-network memory check in engine/graph still has the last word.
 */
export const LAYER_LIMITS = {
  /** Dense/Maxout output units (2¹⁶). */
  maxUnits: 65_536,
  /** RBF centres: placement (K-means++) and every forward pass cost O(rows · centres · inputs). */
  maxCentres: 10_000,
  /** Maxout pieces k per unit (Goodfellow et al. 2013 use 2–5). */
  maxPieces: 16,
} as const;

function positiveInt(v: unknown, node: string, param: string, min = 1, max = Infinity): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
    throw new LayerConfigError(node, param, `${param} must be an integer ≥ ${min}, got ${String(v)}`);
  if (v > max) throw new LayerConfigError(node, param, `${param} must be at most ${max}, got ${v}`);
  return v;
}

function inputCount(inputs: readonly number[], node: string, min: number, max: number): void {
  if (inputs.length < min || inputs.length > max) {
    const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min}–${max}`;
    throw new LayerConfigError(
      node,
      null,
      `expects ${want} input${min === 1 && max === 1 ? '' : 's'}, got ${inputs.length}; connect the missing input`,
    );
  }
  inputs.forEach((w, i) => {
    if (!Number.isInteger(w) || w < 1)
      throw new LayerConfigError(node, null, `input ${i} has width ${w}; widths must be positive integers`);
  });
}

/**
 * Output width of a layer from its input widths and config (no allocation of weights).
 * @param inputs widths of the connected inputs in port order.
 * @param node name used in error messages (node id or label).
 * @throws LayerConfigError on a bad config value or incompatible inputs.
 */
export function outputWidth(
  config: LayerConfig,
  inputs: readonly number[],
  node: string = config.type,
): number {
  switch (config.type) {
    case 'dense':
      inputCount(inputs, node, 1, 1);
      return positiveInt(config.units, node, 'units', 1, LAYER_LIMITS.maxUnits);
    case 'rbf': {
      inputCount(inputs, node, 1, 1);
      const n = positiveInt(config.centres, node, 'centres', 1, LAYER_LIMITS.maxCentres);
      if (
        config.initialWidth !== undefined &&
        !(config.initialWidth > 0 && Number.isFinite(config.initialWidth))
      )
        throw new LayerConfigError(
          node,
          'initialWidth',
          `initialWidth must be a positive number, got ${config.initialWidth}`,
        );
      return config.includeConstant === false ? n : n + 1;
    }
    case 'maxout':
      inputCount(inputs, node, 1, 1);
      positiveInt(config.pieces, node, 'pieces', 2, LAYER_LIMITS.maxPieces);
      return positiveInt(config.units, node, 'units', 1, LAYER_LIMITS.maxUnits);
    case 'dropout':
      inputCount(inputs, node, 1, 1);
      if (!(typeof config.rate === 'number' && config.rate >= 0 && config.rate < 1))
        throw new LayerConfigError(node, 'rate', `rate must be in [0, 1), got ${config.rate}`);
      return inputs[0];
    case 'batchnorm':
      inputCount(inputs, node, 1, 1);
      if (config.momentum !== undefined && !(config.momentum >= 0 && config.momentum <= 1))
        throw new LayerConfigError(node, 'momentum', `momentum must be in [0, 1], got ${config.momentum}`);
      if (config.eps !== undefined && !(config.eps > 0))
        throw new LayerConfigError(node, 'eps', `eps must be > 0, got ${config.eps}`);
      return inputs[0];
    case 'prelu':
      inputCount(inputs, node, 1, 1);
      if (config.initialAlpha !== undefined && !Number.isFinite(config.initialAlpha))
        throw new LayerConfigError(
          node,
          'initialAlpha',
          `initialAlpha must be a finite number, got ${config.initialAlpha}`,
        );
      return inputs[0];
    case 'add': {
      inputCount(inputs, node, 2, Infinity);
      const w = inputs[0];
      const bad = inputs.findIndex((x) => x !== w);
      if (bad >= 0)
        throw new LayerConfigError(
          node,
          null,
          `Add needs inputs of equal width, but input 0 has ${w} and input ${bad} has ${inputs[bad]}; insert a Dense layer to match them`,
        );
      return w;
    }
    case 'concat':
      inputCount(inputs, node, 1, Infinity);
      return inputs.reduce((a, b) => a + b, 0);
  }
}

/** [batch, width] form of `outputWidth` (batch is passed through; null = any batch size). */
export function layerOutputShape(
  config: LayerConfig,
  inputs: readonly (readonly [number | null, number])[],
  node: string = config.type,
): [number | null, number] {
  let batch: number | null = null;
  inputs.forEach((s, i) => {
    if (s[0] === null) return;
    if (batch !== null && s[0] !== batch)
      throw new LayerConfigError(
        node,
        null,
        `input ${i} has batch size ${s[0]} but an earlier input has ${batch}`,
      );
    batch = s[0];
  });
  return [
    batch,
    outputWidth(
      config,
      inputs.map((s) => s[1]),
      node,
    ),
  ];
}

/**
 * Parameters (and running statistics) a layer needs, with shapes; no allocation of their values.
 * @throws LayerConfigError as `outputWidth` does.
 */
export function layerParams(
  config: LayerConfig,
  inputs: readonly number[],
  node: string = config.type,
): ParamDecl[] {
  const out = outputWidth(config, inputs, node);
  const d = inputs[0];
  switch (config.type) {
    case 'dense':
    case 'maxout': {
      const cols = config.type === 'dense' ? out : out * config.pieces;
      const ps: ParamDecl[] = [
        {
          name: 'weight',
          shape: [d, cols],
          init: config.weightInit ?? DEFAULT_WEIGHT_INIT,
          trainable: true,
          role: 'param',
          // Maxout: each unit sees d inputs and one of k pieces; the fan of one piece is [d, units].
          ...(config.type === 'maxout' ? { fans: { fanIn: d, fanOut: out } } : {}),
        },
      ];
      if (config.bias !== false)
        ps.push({
          name: 'bias',
          shape: [cols],
          init: config.biasInit ?? DEFAULT_BIAS_INIT,
          trainable: true,
          role: 'param',
        });
      return ps;
    }
    case 'rbf': {
      const n = config.centres;
      return [
        {
          name: 'centres',
          shape: [n, d],
          init: config.centreInit ?? { kind: 'uniform', a: -1, b: 1 },
          trainable: config.trainCentres !== false,
          role: 'param',
        },
        {
          name: 'widths',
          shape: [n],
          init: { kind: 'constant', value: config.initialWidth ?? 1 },
          trainable: config.trainWidths !== false,
          role: 'param',
        },
      ];
    }
    case 'batchnorm': {
      const ps: ParamDecl[] = [];
      if (config.affine !== false) {
        ps.push({ name: 'gamma', shape: [d], init: { kind: 'ones' }, trainable: true, role: 'param' });
        ps.push({ name: 'beta', shape: [d], init: { kind: 'zeros' }, trainable: true, role: 'param' });
      }
      ps.push({ name: 'running_mean', shape: [d], init: { kind: 'zeros' }, trainable: false, role: 'state' });
      ps.push({ name: 'running_var', shape: [d], init: { kind: 'ones' }, trainable: false, role: 'state' });
      return ps;
    }
    case 'prelu':
      return [
        {
          name: 'alpha',
          shape: [config.shared ? 1 : d],
          init: { kind: 'constant', value: config.initialAlpha ?? 0.25 },
          trainable: true,
          role: 'param',
        },
      ];
    case 'dropout':
    case 'add':
    case 'concat':
      return [];
  }
}

/** Number of trainable scalars a layer adds (for the model summary). */
export function trainableCount(
  config: LayerConfig,
  inputs: readonly number[],
  node: string = config.type,
): number {
  return layerParams(config, inputs, node)
    .filter((p) => p.trainable)
    .reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0);
}
