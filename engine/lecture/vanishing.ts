/**
 * Lecture experiment "Exploding and vanishing gradients": 10 bias-free Dense layers of width 64
 * at initialisation, a batch of 256 inputs from N(0, 1), loss = mean over the batch of the sum of
 * the last layer's activations. Sigmoid with LeCun-normal weights (σ² = 1/fan_in) vs ReLU with
 * He-normal weights (σ² = 2/fan_in); reports the median over seeds of ‖∂L/∂W₁‖_F / ‖∂L/∂W₁₀‖_F.
 * Backprop uses the analytic float64 network in mlp64.ts (gradient-checked in the tests).
 */
import { Rng } from '../random/rng';
import { Mlp64, type LayerSpec } from './mlp64';

export interface VanishingOptions {
  seeds?: number;
  seed?: number;
  depth?: number;
  width?: number;
  batch?: number;
}

export interface VanishingRow {
  setup: 'sigmoid+lecun' | 'relu+he';
  label: string;
  /** ‖∂L/∂W_k‖_F for k = 1..depth, median over seeds. */
  layerNorms: number[];
  ratios: number[];
  median: number;
}

export interface VanishingResult {
  name: 'vanishing-gradients';
  depth: number;
  rows: VanishingRow[];
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Per-layer gradient norms for one seed. */
export function layerGradNorms(
  setup: VanishingRow['setup'],
  seed: number,
  depth = 10,
  width = 64,
  batch = 256,
): number[] {
  const act = setup === 'sigmoid+lecun' ? 'sigmoid' : 'relu';
  const layers: LayerSpec[] = Array.from({ length: depth }, () => ({
    in: width,
    out: width,
    bias: false,
    activation: act,
  }));
  const net = new Mlp64(layers, batch);
  const rng = new Rng(seed);
  const std = setup === 'sigmoid+lecun' ? Math.sqrt(1 / width) : Math.sqrt(2 / width);
  const params = new Float64Array(net.paramCount);
  for (let i = 0; i < params.length; i++) params[i] = std * rng.normal();
  const x = new Float64Array(batch * width);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  const grad = new Float64Array(net.paramCount);
  net.lossAndGrad(params, x, null, 'sum-mean', grad);
  return net.offsets.map(({ w }) => {
    let s = 0;
    for (let i = w; i < w + width * width; i++) s += grad[i] * grad[i];
    return Math.sqrt(s);
  });
}

/**
 * Runs the experiment (lecture "Exploding and vanishing gradients").
 * @param opts seeds (default 10), first seed (default 1), depth (default 10), width (default 64), batch
 *   (default 256).
 * @returns per setup the per-seed ratios ‖∂L/∂W₁‖_F / ‖∂L/∂W_depth‖_F, their median, and the median
 *   per-layer norms.
 * @throws RangeError when seeds is not a positive integer.
 */
export function runVanishing(opts: VanishingOptions = {}): VanishingResult {
  const seeds = opts.seeds ?? 10;
  const seed0 = opts.seed ?? 1;
  const depth = opts.depth ?? 10;
  if (!Number.isInteger(seeds) || seeds < 1)
    throw new RangeError(`vanishing-gradients: --seeds must be a positive integer, got ${seeds}`);
  const rows = (
    [
      ['sigmoid+lecun', 'sigmoid, LeCun normal'],
      ['relu+he', 'ReLU, He normal'],
    ] as const
  ).map(([setup, label]) => {
    const norms: number[][] = [];
    for (let s = 0; s < seeds; s++)
      norms.push(layerGradNorms(setup, seed0 + s, depth, opts.width ?? 64, opts.batch ?? 256));
    const ratios = norms.map((n) => n[0] / n[depth - 1]);
    const layerNorms = Array.from({ length: depth }, (_, k) => median(norms.map((n) => n[k])));
    return { setup, label, layerNorms, ratios, median: median(ratios) };
  });
  return { name: 'vanishing-gradients', depth, rows };
}
