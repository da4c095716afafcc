import { describe, expect, it } from 'vitest';
import { assertGradcheck, tensor, type Tensor } from '../../../engine/index';
import {
  activation,
  evaluateActivation,
  prelu,
  softmax,
  ACTIVATIONS,
  type ActivationName,
} from '../../../engine/nn';
import { Rng } from '../../../engine/random/rng';

const f64 = (d: number[], shape?: number[]) => tensor(d, shape, { dtype: 'float64' });
const f32 = (d: number[], shape?: number[]) => tensor(d, shape);

/** Random inputs in ±4 away from the kink at 0, plus saturating points. */
function inputs(seed: number, extra: number[] = []): number[] {
  const r = new Rng(seed);
  const xs = Array.from({ length: 18 }, () => {
    const v = r.uniform(-4, 4);
    return Math.abs(v) < 0.05 ? v + 0.2 : v;
  });
  return [...xs, ...extra];
}

const PARAMS: Partial<Record<ActivationName, Record<string, number | string>>> = {
  soboleva_tanh: { a: 1.2, b: 0.8, c: 1.1, d: 0.9 },
  elu: { alpha: 1.5 },
  leaky_relu: { slope: 0.05 },
};

const smooth: ActivationName[] = [
  'identity',
  'sigmoid',
  'tanh',
  'soboleva_tanh',
  'lecun_tanh',
  'relu',
  'leaky_relu',
  'gelu',
  'elu',
  'selu',
  'silu',
  'gaussian',
  'softplus',
];

describe('tensor activations: gradient checks (float64 central differences, forward and reverse mode)', () => {
  for (const name of smooth) {
    it(name, () => {
      const sat = ['sigmoid', 'tanh', 'softplus', 'lecun_tanh', 'silu', 'gelu', 'soboleva_tanh'].includes(
        name,
      )
        ? [-20, 20]
        : [];
      const x = f64(inputs(name.length, sat));
      assertGradcheck((t: Tensor) => activation(name, t, PARAMS[name] ?? {}), [x]);
    });
  }
  it('soboleva with default parameters (tanh) and at |x| = 60 (no overflow in the masked branch)', () => {
    // a = 1, b = 0.8, c = 1.2, d = 1 stays bounded as |x| → ∞, so large |x| is a fair test of the masking.
    assertGradcheck(
      (t: Tensor) => activation('soboleva_tanh', t, { a: 1, b: 0.8, c: 1.2, d: 1 }),
      [f64([-60, -3, 0.5, 2, 60])],
    );
    assertGradcheck((t: Tensor) => activation('soboleva_tanh', t), [f64([-3, 0.5, 2])]);
  });
  it('gelu tanh approximation', () => {
    assertGradcheck((t: Tensor) => activation('gelu', t, { approximate: 'tanh' }), [f64(inputs(3), [3, 6])]);
  });
  it('prelu: gradient w.r.t. inputs and the learnable α (per feature and shared)', () => {
    const x = f64(inputs(9), [6, 3]);
    assertGradcheck((t: Tensor, a: Tensor) => prelu(t, a), [x, f64([0.1, 0.25, 0.4])]);
    assertGradcheck((t: Tensor, a: Tensor) => prelu(t, a), [x, f64([0.3])]);
  });
  it('softmax over features (a full Jacobian, projected)', () => {
    assertGradcheck((t: Tensor) => softmax(t), [f64(inputs(4), [3, 6])]);
  });
  it('binary step passes no gradient', () => {
    const r = assertGradcheck((t: Tensor) => activation('binary_step', t), [f64([-1, -0.3, 0.4, 2])]);
    expect(r.maxAbsErr).toBe(0);
  });
});

describe('tensor activations: forward values', () => {
  it('match the float64 scalar definitions at random points (float32 tolerance)', () => {
    const xs = inputs(77, [-20, 20, -7, 7]);
    for (const a of ACTIVATIONS) {
      if (a.name === 'softmax' || a.name === 'prelu') continue;
      const y = activation(a.name, f32(xs), PARAMS[a.name] ?? {}).dataSync();
      xs.forEach((x, i) => {
        const ref = evaluateActivation(a.name, x, PARAMS[a.name] ?? {}).value;
        expect(Math.abs(y[i] - ref), `${a.name}(${x})`).toBeLessThanOrEqual(
          2e-6 * Math.max(1, Math.abs(ref)),
        );
      });
    }
  });
  it('closed forms: GELU(1), SELU(−1), softplus(±100), sigmoid(±1000)', () => {
    expect(activation('gelu', f64([1])).item()).toBeCloseTo(0.8413447460685429, 14);
    expect(activation('gelu', f32([1])).item()).toBeCloseTo(0.8413447460685429, 6);
    expect(activation('selu', f64([-1])).item()).toBeCloseTo(-1.1113307378125625, 14);
    expect(activation('softplus', f64([100])).item()).toBe(100);
    const sp = activation('softplus', f64([-100])).item();
    expect(sp / 3.720075976020836e-44).toBeCloseTo(1, 12);
    // float32 cannot hold 3.72e−44 exactly (denormal spacing 1.4e−45): it rounds to a multiple of 2^−149.
    const sp32 = activation('softplus', f32([-100])).item();
    expect(Math.abs(sp32 - 3.720075976020836e-44)).toBeLessThanOrEqual(2 ** -150);
    expect([...activation('sigmoid', f32([-1000, 1000])).dataSync()]).toEqual([0, 1]);
  });
  it('softmax of [1000, 1000] is [0.5, 0.5]; rows sum to 1', () => {
    expect([...softmax(f32([1000, 1000], [1, 2])).dataSync()]).toEqual([0.5, 0.5]);
    const s = softmax(f64([1, 2, 3, -1, 0, 1], [2, 3])).dataSync();
    const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    expect(s[0]).toBeCloseTo(Math.exp(1) / z, 15);
    expect(s[3] + s[4] + s[5]).toBeCloseTo(1, 15);
  });
  it('ELU/SELU stay finite with gradients at x = 1000', () => {
    assertGradcheck((t: Tensor) => activation('elu', t), [f64([1000, -1000, 3])]);
  });
  it('reports bad parameters and a missing PReLU α', () => {
    expect(() => activation('elu', f32([1]), { alpha: -1 })).toThrow(/alpha = -1 is outside/);
    expect(() => activation('prelu', f32([1]))).toThrow(/learnable α/);
  });
});
