/**
 * Lecture experiment "Does the starting point matter?" (Initialization mechanisms): XOR with a
 * 2-4-1 sigmoid network, BCE, SGD α = 0.1 with momentum 0.99, 1000 full-batch epochs, biases 0,
 * weights U(−10, 10) vs N(0, σ = 1/√fan_in). The lecture saw 6/20 and 0/20 failures.
 * A run fails when any of the four outputs is on the wrong side of 0.5 after training.
 * Computed with the analytic float64 network in mlp64.ts and the real `momentum` optimizer.
 */
import { momentum } from '../optim/sgd';
import { Rng } from '../random/rng';
import { Mlp64, type LayerSpec } from './mlp64';

export type XorInit = 'uniform10' | 'lecun-normal';

export interface XorInitOptions {
  /** Number of runs per initialisation (default 20, as in the lecture). */
  seeds?: number;
  /** First seed; run i uses seed + i (default 1). */
  seed?: number;
  epochs?: number;
}

export interface XorInitRow {
  init: XorInit;
  label: string;
  failures: number;
  runs: number;
  /** Lecture's count for 20 runs. */
  lecture: string;
  /** Seeds of the failed runs (to reproduce one in the app). */
  failedSeeds: number[];
}

export interface XorInitResult {
  name: 'xor-init';
  rows: XorInitRow[];
}

const X = [0, 0, 0, 1, 1, 0, 1, 1];
const Y = [0, 1, 1, 0];
const LAYERS: LayerSpec[] = [
  { in: 2, out: 4, bias: true, activation: 'sigmoid' },
  { in: 4, out: 1, bias: true, activation: 'identity' }, // sigmoid folded into the BCE-with-logits head
];

/** Initial parameters: weights from the chosen distribution, biases 0. */
export function xorInitialParams(net: Mlp64, init: XorInit, rng: Rng): Float64Array {
  const p = new Float64Array(net.paramCount);
  net.layers.forEach((L, k) => {
    const { w } = net.offsets[k];
    const std = 1 / Math.sqrt(L.in);
    for (let i = 0; i < L.in * L.out; i++)
      p[w + i] = init === 'uniform10' ? rng.uniform(-10, 10) : std * rng.normal();
  });
  return p;
}

/** Trains one run; returns whether it failed and the final outputs σ(z). */
export function trainXorRun(
  init: XorInit,
  seed: number,
  epochs = 1000,
): { failed: boolean; outputs: number[] } {
  const net = new Mlp64(LAYERS, 4);
  const params = xorInitialParams(net, init, new Rng(seed));
  const grad = new Float64Array(net.paramCount);
  const state = momentum.init(net.paramCount, { beta: 0.99 });
  const ctx = { lr: 0.1 };
  for (let e = 0; e < epochs; e++) {
    net.lossAndGrad(params, X, Y, 'bce-logits', grad);
    momentum.update(state, params, grad, ctx);
  }
  const z = net.forward(params, X);
  const outputs = Array.from(z, (v) => 1 / (1 + Math.exp(-v)));
  const failed = outputs.some((o, i) => !Number.isFinite(o) || (Y[i] === 1 ? o <= 0.5 : o >= 0.5));
  return { failed, outputs };
}

/**
 * Runs the experiment (lecture "Initialization mechanisms": does the starting point matter?).
 * @param opts runs per initialisation (default 20), first seed (default 1; run i uses seed + i), epochs
 *   (default 1000).
 * @returns per initialisation the failure count k of n runs and the lecture's count.
 * @throws RangeError when seeds is not a positive integer.
 */
export function runXorInit(opts: XorInitOptions = {}): XorInitResult {
  const runs = opts.seeds ?? 20;
  const seed0 = opts.seed ?? 1;
  if (!Number.isInteger(runs) || runs < 1)
    throw new RangeError(`xor-init: --seeds must be a positive integer, got ${runs}`);
  const rows: XorInitRow[] = [];
  for (const [init, label, lecture] of [
    ['uniform10', 'U(−10, 10)', '6/20'],
    ['lecun-normal', 'N(0, 1/√fan_in)', '0/20'],
  ] as const) {
    const failedSeeds: number[] = [];
    for (let i = 0; i < runs; i++)
      if (trainXorRun(init, seed0 + i, opts.epochs ?? 1000).failed) failedSeeds.push(seed0 + i);
    rows.push({ init, label, failures: failedSeeds.length, runs, lecture, failedSeeds });
  }
  return { name: 'xor-init', rows };
}
