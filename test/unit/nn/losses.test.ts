import { describe, expect, it } from 'vitest';
import { assertGradcheck, tensor, valueAndGrad, type Tensor } from '../../../engine/index';
import {
  bce,
  bceWithLogits,
  crossEntropy,
  crossEntropyWithLogits,
  huber,
  l1Penalty,
  l2Penalty,
  LOSSES,
  lossInfo,
  mae,
  mse,
} from '../../../engine/losses';
import { softmax } from '../../../engine/nn';
import { Rng } from '../../../engine/random/rng';

const f64 = (d: number[], shape?: number[]) => tensor(d, shape, { dtype: 'float64' });
const f32 = (d: number[], shape?: number[]) => tensor(d, shape);
const rnd = (seed: number, n: number, a = -2, b = 2) => {
  const r = new Rng(seed);
  return Array.from({ length: n }, () => r.uniform(a, b));
};

describe('regression losses', () => {
  const p = [2.5, 0, 2, 8, -1, 4];
  const y = [3, -0.5, 2.2, 7, -1.5, 1];
  it('MSE, MAE, Huber values by hand', () => {
    const r = p.map((v, i) => v - y[i]);
    expect(mse(f64(p, [3, 2]), f64(y, [3, 2])).item()).toBeCloseTo(r.reduce((s, v) => s + v * v, 0) / 6, 14);
    expect(mae(f64(p, [3, 2]), f64(y, [3, 2])).item()).toBeCloseTo(
      r.reduce((s, v) => s + Math.abs(v), 0) / 6,
      14,
    );
    // δ = 1: |r| = 0.5, 0.5, 0.2, 1, 0.5, 3 → ½r² for the first five (|r| ≤ 1), 1·(3 − ½) for the last.
    const hub = (0.125 + 0.125 + 0.02 + 0.5 + 0.125 + 2.5) / 6;
    expect(huber(f64(p), f64(y)).item()).toBeCloseTo(hub, 14);
    // δ = 0.4: linear δ(|r| − δ/2) above 0.4, quadratic at |r| = 0.2.
    const h4 = [0.5, 0.5, 0.2, 1, 0.5, 3].map((a) => (a > 0.4 ? 0.4 * (a - 0.2) : 0.5 * a * a));
    expect(huber(f64(p), f64(y), 0.4).item()).toBeCloseTo(h4.reduce((a, b) => a + b) / 6, 14);
  });
  it('gradient checks (away from the kinks of |r| and of Huber at |r| = δ)', () => {
    const P = f64(rnd(1, 12), [4, 3]);
    const Y = f64(rnd(2, 12), [4, 3]);
    assertGradcheck((a: Tensor, b: Tensor) => mse(a, b), [P, Y]);
    assertGradcheck((a: Tensor, b: Tensor) => mae(a, b), [P, Y]);
    assertGradcheck((a: Tensor, b: Tensor) => huber(a, b, 0.7), [P, Y]);
  });
  it('shape mismatch names the loss and says what to do', () => {
    expect(() => mse(f32([1, 2]), f32([1]))).toThrow(
      /MSE: prediction shape \[2\] and target shape \[1\] differ/,
    );
    expect(() => huber(f32([1]), f32([1]), 0)).toThrow(/delta must be a positive/);
  });
});

describe('binary cross-entropy', () => {
  it('from probabilities: value by hand and gradient check', () => {
    const p = [0.9, 0.2, 0.6, 0.35];
    const y = [1, 0, 0, 1];
    const ref = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.4) + Math.log(0.35)) / 4;
    expect(bce(f64(p), f64(y)).item()).toBeCloseTo(ref, 14);
    assertGradcheck((a: Tensor, b: Tensor) => bce(a, b), [f64(p), f64([1, 0, 0.3, 1])]);
  });
  it('from probabilities: 0 and 1 are clamped to eps (finite loss)', () => {
    const v = bce(f64([0, 1]), f64([1, 0])).item();
    expect(v).toBeCloseTo(-Math.log(1e-7), 6);
  });
  it('from logits: matches −y ln σ(z) − (1−y) ln(1 − σ(z)), gradient check incl. saturating |z| = 20', () => {
    const z = [0.3, -1.2, 2.5, -0.4];
    const y = [1, 0, 1, 0.25];
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    const ref = z.reduce((s, v, i) => s - y[i] * Math.log(sig(v)) - (1 - y[i]) * Math.log(1 - sig(v)), 0) / 4;
    expect(bceWithLogits(f64(z), f64(y)).item()).toBeCloseTo(ref, 14);
    assertGradcheck((a: Tensor, b: Tensor) => bceWithLogits(a, b), [f64([...z, 20, -20]), f64([...y, 0, 1])]);
  });
  it('from logits of ±1000: finite and exact', () => {
    const v = bceWithLogits(f32([1000, -1000, 1000, -1000]), f32([1, 0, 0, 1]));
    expect(v.item()).toBe(500); // losses 0, 0, 1000, 1000
    const { grads } = valueAndGrad((z: Tensor) => bceWithLogits(z, f32([1, 0, 0, 1])))(
      f32([1000, -1000, 1000, -1000]),
    );
    expect([...grads.dataSync()]).toEqual([0, 0, 0.25, -0.25]); // (σ(z) − y)/n
  });
  it('class weights multiply each element by w₁y + w₀(1 − y), plain mean', () => {
    const z = [0.5, -0.5];
    const y = [1, 0];
    const l = [Math.log1p(Math.exp(-0.5)), Math.log1p(Math.exp(-0.5))];
    expect(bceWithLogits(f64(z), f64(y), { classWeights: [0.2, 3] }).item()).toBeCloseTo(
      (3 * l[0] + 0.2 * l[1]) / 2,
      14,
    );
    expect(() => bce(f64([0.5]), f64([1]), { classWeights: [1] })).toThrow(/two non-negative numbers/);
  });
});

describe('categorical cross-entropy', () => {
  it('from logits, class indices: value by hand', () => {
    const z = [1, 2, 0.5, -1, 0, 3];
    const lse = (a: number[]) => Math.log(a.reduce((s, v) => s + Math.exp(v), 0));
    const ref = (-(2 - lse([1, 2, 0.5])) - (-1 - lse([-1, 0, 3]))) / 2;
    expect(crossEntropyWithLogits(f64(z, [2, 3]), [1, 0]).item()).toBeCloseTo(ref, 14);
    expect(crossEntropyWithLogits(f64(z, [2, 3]), f64([0, 1, 0, 1, 0, 0], [2, 3])).item()).toBeCloseTo(
      ref,
      14,
    );
  });
  it('logits [1000, −1000] against class 1 give exactly 2000 (float32), and the gradient is softmax − onehot', () => {
    expect(crossEntropyWithLogits(f32([1000, -1000], [1, 2]), [1]).item()).toBe(2000);
    expect(crossEntropyWithLogits(f32([1000, -1000], [1, 2]), f32([0, 1], [1, 2])).item()).toBe(2000);
    const { grads } = valueAndGrad((z: Tensor) => crossEntropyWithLogits(z, [1]))(f32([1000, -1000], [1, 2]));
    expect([...grads.dataSync()]).toEqual([1, -1]);
  });
  it('gradient checks: indices, soft targets, class weights, saturating logits', () => {
    const Z = f64(rnd(3, 12, -3, 3), [4, 3]);
    assertGradcheck((z: Tensor) => crossEntropyWithLogits(z, [0, 2, 1, 2]), [Z]);
    assertGradcheck(
      (z: Tensor) => crossEntropyWithLogits(z, [0, 2, 1, 2], { classWeights: [1, 2, 0.5] }),
      [Z],
    );
    const T = f64([0.2, 0.3, 0.5, 1, 0, 0, 0, 0.5, 0.5, 0.1, 0.1, 0.8], [4, 3]);
    assertGradcheck((z: Tensor, t: Tensor) => crossEntropyWithLogits(z, t), [Z, T]);
    assertGradcheck(
      (z: Tensor) => crossEntropyWithLogits(z, [0, 1]),
      [f64([20, -20, 0, -20, 20, 1], [2, 3])],
    );
    const P = f64([0.2, 0.3, 0.5, 0.6, 0.3, 0.1], [2, 3]);
    assertGradcheck((p: Tensor) => crossEntropy(p, [2, 0]), [P]);
  });
  it('class weights give the weighted mean Σ w_y ℓ / Σ w_y', () => {
    const z = [1, 2, 0.5, -1, 0, 3];
    const lse = (a: number[]) => Math.log(a.reduce((s, v) => s + Math.exp(v), 0));
    const l0 = -(2 - lse([1, 2, 0.5]));
    const l1 = -(-1 - lse([-1, 0, 3]));
    const w = [0.5, 4, 1];
    const ref = (w[1] * l0 + w[0] * l1) / (w[1] + w[0]);
    expect(crossEntropyWithLogits(f64(z, [2, 3]), [1, 0], { classWeights: w }).item()).toBeCloseTo(ref, 14);
    expect(
      crossEntropyWithLogits(f64(z, [2, 3]), f64([0, 1, 0, 1, 0, 0], [2, 3]), { classWeights: w }).item(),
    ).toBeCloseTo(ref, 14);
  });
  it('softmax feeding cross-entropy is fused into log-softmax (exact where the unfused form would clamp)', () => {
    const z = f32([1000, -1000], [1, 2]);
    expect(crossEntropy(softmax(z), [1]).item()).toBe(2000);
    // The same probabilities not produced by softmax are clamped at 1e-7.
    expect(crossEntropy(f32([1, 0], [1, 2]), [1]).item()).toBeCloseTo(-Math.log(1e-7), 4);
    assertGradcheck((t: Tensor) => crossEntropy(softmax(t), [2, 0]), [f64(rnd(5, 6), [2, 3])]);
  });
  it('errors name the row and the valid range', () => {
    expect(() => crossEntropyWithLogits(f32([1, 2, 3, 4], [2, 2]), [0, 2])).toThrow(
      /row 1 is 2; expected an integer in \[0, 2\)/,
    );
    expect(() => crossEntropyWithLogits(f32([1, 2, 3, 4], [2, 2]), [0])).toThrow(
      /2 rows of scores but 1 class targets/,
    );
    expect(() => crossEntropyWithLogits(f32([1, 2], [1, 2]), [0], { classWeights: [1] })).toThrow(
      /needs 2 non-negative/,
    );
  });
});

describe('weight penalties', () => {
  it('L1 = λΣ|w|, L2 = λΣw², with gradient checks', () => {
    const a = [0.5, -1.5, 2];
    const b = [-0.25, 3];
    expect(l1Penalty([f64(a), f64(b)], 0.1).item()).toBeCloseTo(0.1 * (0.5 + 1.5 + 2 + 0.25 + 3), 14);
    expect(l2Penalty([f64(a), f64(b)], 0.1).item()).toBeCloseTo(0.1 * (0.25 + 2.25 + 4 + 0.0625 + 9), 14);
    assertGradcheck((x: Tensor, y: Tensor) => l1Penalty([x, y], 0.3), [f64(a), f64(b)]);
    assertGradcheck((x: Tensor, y: Tensor) => l2Penalty([x, y], 0.3), [f64(a), f64(b)]);
    expect(() => l2Penalty([f64(a)], -1)).toThrow(/λ must be ≥ 0/);
  });
  it('registry lists every loss with its input kind', () => {
    expect(LOSSES.map((l) => l.name)).toEqual([
      'mse',
      'mae',
      'huber',
      'bce',
      'bce_logits',
      'cross_entropy',
      'cross_entropy_logits',
    ]);
    expect(lossInfo('bce_logits').input).toBe('logits');
    expect(() => lossInfo('hinge')).toThrow(/unknown loss 'hinge'/);
  });
});
