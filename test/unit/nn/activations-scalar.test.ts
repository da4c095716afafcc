import { describe, expect, it } from 'vitest';
import {
  ACTIVATIONS,
  activationInfo,
  evaluateActivation,
  SCALAR_ACTIVATIONS,
  softmaxRow,
  validateActivationParams,
  type ActivationName,
} from '../../../engine/nn/activations/scalar';
import { erf, erfc, normalCdf } from '../../../engine/nn/special';
import { Rng } from '../../../engine/random/rng';

const names = Object.keys(SCALAR_ACTIVATIONS) as Exclude<ActivationName, 'softmax'>[];

describe('special functions', () => {
  it('erf/erfc against tabulated values (A&S table 7.1, and high-precision references)', () => {
    expect(erf(0)).toBe(0);
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 15);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 15);
    expect(erf(-2)).toBeCloseTo(-0.9953222650189527, 15);
    expect(erfc(5) / 1.5374597944280351e-12).toBeCloseTo(1, 11);
    expect(erfc(-1)).toBeCloseTo(1 + 0.8427007929497149, 15);
  });
  it('erfc equals (2/√π)∫ₓ^∞ e^{−t²} dt by Simpson integration, on both sides of the x = 3 switch', () => {
    for (const x of [0.5, 2.2, 2.999, 3, 3.001, 4.5, 6]) {
      const m = 20000;
      const h = (x + 12 - x) / m;
      let s = 0;
      for (let i = 0; i <= m; i++) {
        const t = x + i * h;
        s += (i === 0 || i === m ? 1 : i % 2 ? 4 : 2) * Math.exp(-t * t);
      }
      const ref = ((s * h) / 3) * (2 / Math.sqrt(Math.PI));
      expect(erfc(x) / ref, `erfc(${x})`).toBeCloseTo(1, 9);
    }
  });
  it('Φ is the normal cdf: Φ(0) = ½, Φ(1.96) ≈ 0.9750021048517795', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 14);
  });
});

describe('scalar activations', () => {
  it('closed-form values at chosen points', () => {
    const v = (n: ActivationName, x: number, p = {}) => evaluateActivation(n, x, p).value;
    expect(v('gelu', 1)).toBeCloseTo(0.8413447460685429, 15);
    expect(v('selu', -1)).toBeCloseTo(-1.1113307378125625, 15);
    expect(v('selu', 2)).toBeCloseTo(2 * 1.0507009873554805, 15);
    expect(v('softplus', 100)).toBe(100);
    expect(v('softplus', -100) / 3.720075976020836e-44).toBeCloseTo(1, 12);
    expect(v('softplus', 0)).toBeCloseTo(Math.LN2, 15);
    expect(v('sigmoid', 0)).toBe(0.5);
    expect(v('sigmoid', -800)).toBe(0);
    expect(v('sigmoid', 800)).toBe(1);
    expect(v('tanh', 0.5)).toBeCloseTo((Math.E - 1) / (Math.E + 1), 15); // tanh(½) = (e − 1)/(e + 1)
    expect(v('lecun_tanh', 1.5)).toBeCloseTo(1.7159 * Math.tanh(1), 15);
    expect(v('relu', -3)).toBe(0);
    expect(v('leaky_relu', -3)).toBeCloseTo(-0.03, 15);
    expect(v('leaky_relu', -3, { slope: 0.2 })).toBeCloseTo(-0.6, 15);
    expect(v('prelu', -2, { alpha: 0.1 })).toBeCloseTo(-0.2, 15);
    expect(v('elu', -1, { alpha: 2 })).toBeCloseTo(2 * (1 / Math.E - 1), 15);
    expect(v('silu', 1)).toBeCloseTo(1 / (1 + 1 / Math.E), 15);
    expect(v('gaussian', 1)).toBeCloseTo(1 / Math.E, 15);
    expect(v('binary_step', 0)).toBe(1);
    expect(v('binary_step', -1e-9)).toBe(0);
    // GELU tanh approximation at 1: ½(1 + tanh(√(2/π)·1.044715)).
    expect(v('gelu', 1, { approximate: 'tanh' })).toBeCloseTo(
      0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * 1.044715)),
      15,
    );
    expect(Math.abs(v('gelu', 1, { approximate: 'tanh' }) - 0.8413447460685429)).toBeLessThan(2e-4);
  });

  it('Soboleva with a = b = c = d = 1 is tanh; other parameters follow the definition; large |x| stays finite', () => {
    for (const x of [-30, -2, -0.3, 0, 0.7, 5, 400]) {
      expect(evaluateActivation('soboleva_tanh', x).value).toBeCloseTo(Math.tanh(x), 14);
    }
    const [a, b, c, d] = [2, 0.5, 1.5, 1];
    const x = 0.8;
    const direct = (Math.exp(a * x) - Math.exp(-b * x)) / (Math.exp(c * x) + Math.exp(-d * x));
    expect(evaluateActivation('soboleva_tanh', x, { a, b, c, d }).value).toBeCloseTo(direct, 14);
  });

  it('derivatives match central finite differences (float64) away from kinks, incl. saturating regions', () => {
    const rng = new Rng(5);
    const xs = [...Array.from({ length: 40 }, () => rng.uniform(-6, 6)), -20, 20, -15, 15];
    const params: Record<string, Record<string, number | string>> = {
      soboleva_tanh: { a: 1.3, b: 0.7, c: 1.1, d: 0.9 },
      elu: { alpha: 1.5 },
      leaky_relu: { slope: 0.1 },
    };
    for (const name of names) {
      if (name === 'binary_step') continue;
      for (const gp of name === 'gelu' ? [{}, { approximate: 'tanh' }] : [params[name] ?? {}]) {
        for (const x of xs) {
          if (Math.abs(x) < 1e-3) continue;
          const h = 1e-5;
          const fd =
            (evaluateActivation(name, x + h, gp).value - evaluateActivation(name, x - h, gp).value) / (2 * h);
          const d = evaluateActivation(name, x, gp).derivative;
          expect(Math.abs(d - fd), `${name} at ${x}`).toBeLessThan(1e-7 * Math.max(1, Math.abs(fd)));
        }
      }
    }
  });

  it('binary step has derivative 0 everywhere', () => {
    for (const x of [-2, 0, 3]) expect(evaluateActivation('binary_step', x).derivative).toBe(0);
  });

  it('softmax of a row is stable and sums to 1', () => {
    expect(softmaxRow([1000, 1000])).toEqual([0.5, 0.5]);
    const s = softmaxRow([1, 2, 3]);
    const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    expect(s[2]).toBeCloseTo(Math.exp(3) / z, 15);
  });

  it('registry: every activation has a formula, explanation and defaults within range', () => {
    expect(ACTIVATIONS.map((a) => a.name).sort()).toEqual([...names, 'softmax'].sort());
    for (const a of ACTIVATIONS) {
      expect(a.formula.length).toBeGreaterThan(3);
      expect(a.explain.length).toBeGreaterThan(10);
      validateActivationParams(a.name, Object.fromEntries(a.params.map((p) => [p.name, p.default])));
    }
    expect(activationInfo('binary_step').explain).toMatch(/derivative is 0/);
  });

  it('bad parameters and names are reported', () => {
    expect(() => validateActivationParams('leaky_relu', { slope: -1 })).toThrow(/slope = -1 is outside/);
    expect(() => validateActivationParams('gelu', { approximate: 'fast' })).toThrow(
      /approximate must be one of/,
    );
    expect(() => activationInfo('swish2')).toThrow(/unknown activation 'swish2'/);
    expect(() => evaluateActivation('softmax', 1)).toThrow(/whole row/);
  });
});
