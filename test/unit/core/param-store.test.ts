/** The flat parameter store: layout, views, gradient accumulation, frozen parameters, errors. */
import { describe, expect, it } from 'vitest';
import * as E from '../../../engine/index';

describe('ParamStore', () => {
  it('lays parameters out at 64-element-aligned offsets in one flat array', () => {
    const s = new E.ParamStore();
    const a = s.add('a', [3, 2], 1);
    const b = s.add('b', [70], (v) => v.forEach((_x, i) => (v[i] = i)));
    const c = s.add('c', [], 5);
    expect([a.offset, b.offset, c.offset]).toEqual([0, 64, 192]);
    expect(s.params).toBeInstanceOf(Float32Array);
    expect(s.length).toBe(256);
    expect(Array.from(s.params.subarray(0, 7))).toEqual([1, 1, 1, 1, 1, 1, 0]); // padding is zero
    expect(s.params[64 + 69]).toBe(69);
    expect(s.tensor('c').item()).toBe(5);
    expect(s.tensors().a.shape).toEqual([3, 2]);
  });

  it('views see in-place updates of the flat vector (what an optimizer does)', () => {
    const s = new E.ParamStore({ dtype: 'float64' });
    s.add('w', [2], 0);
    const w = s.tensor('w');
    s.params[0] = 3;
    s.params[1] = -1;
    expect(E.sum(E.mul(w, w)).item()).toBe(10);
  });

  it('accumulates gradients into the flat gradient array and leaves frozen ones at zero', () => {
    const s = new E.ParamStore({ dtype: 'float64' });
    s.add('w', [2], 0);
    s.add('frozen', [2], 0, { trainable: false });
    s.setParams(
      Float64Array.from({ length: s.length }, (_x, i) =>
        i === 0 ? 1 : i === 1 ? 2 : i === 64 ? 3 : i === 65 ? 4 : 0,
      ),
    );
    // L = Σ w ⊙ frozen ⊙ w → ∂L/∂w = 2 w ⊙ frozen = [6, 16].
    const f = (p: Readonly<Record<string, E.Tensor>>): E.Tensor => E.sum(E.mul(E.mul(p.w, p.frozen), p.w));
    s.zeroGrad();
    const v = E.tidy(() => s.valueAndGrad(f).value.item());
    expect(v).toBe(1 * 3 * 1 + 2 * 4 * 2);
    expect(Array.from(s.grads.subarray(0, 2))).toEqual([6, 16]);
    expect(Array.from(s.grads.subarray(64, 66))).toEqual([0, 0]);
    E.tidy(() => s.valueAndGrad(f).value);
    expect(Array.from(s.grads.subarray(0, 2))).toEqual([12, 32]); // adds up
    s.zeroGrad();
    expect(s.grads.every((g) => g === 0)).toBe(true);
  });

  it('reports misuse clearly', () => {
    const s = new E.ParamStore();
    s.add('w', [2]);
    expect(() => s.add('w', [3])).toThrow(/already exists/);
    expect(() => s.add('bad', [2, -1])).toThrow(/invalid dimension -1/);
    s.build();
    expect(() => s.add('late', [1])).toThrow(/already built/);
    expect(() => s.tensor('nope')).toThrow(/no parameter named 'nope' \(have: w\)/);
    expect(() => s.setParams([1])).toThrow(/1 values for a store of 64/);
  });
});

describe('ParamStore flat-vector functions for optimizers', () => {
  const build = (): { s: E.ParamStore; f: (p: Readonly<Record<string, E.Tensor>>) => E.Tensor } => {
    const s = new E.ParamStore({ dtype: 'float64' });
    s.add('W', [2, 3], (v) => v.forEach((_x, i) => (v[i] = Math.sin(i + 1))));
    s.add('b', [3], (v) => v.forEach((_x, i) => (v[i] = 0.1 * i)));
    const x = E.tensor([0.5, -1, 2, 0.3], [2, 2], { dtype: 'float64' });
    const f = (p: Readonly<Record<string, E.Tensor>>): E.Tensor =>
      E.mean(E.square(E.tanh(E.add(E.matmul(x, p.W), p.b))));
    return { s, f };
  };

  it('lossAndGradFn agrees with valueAndGrad and restores the parameters', () => {
    const { s, f } = build();
    const before = Float64Array.from(s.params);
    const g = new Float64Array(s.length);
    const lg = s.lossAndGradFn(f);
    const shifted = Float64Array.from(before, (v) => v + 0.01);
    const l = lg(shifted, g);
    expect(Array.from(s.params)).toEqual(Array.from(before));
    s.setParams(shifted);
    s.zeroGrad();
    const l2 = E.tidy(() => s.valueAndGrad(f).value.item());
    expect(l).toBe(l2);
    expect(Array.from(g)).toEqual(Array.from(s.grads));
  });

  it('hvpFn equals central differences of lossAndGradFn', () => {
    const { s, f } = build();
    const p0 = Float64Array.from(s.params);
    const v = Float64Array.from({ length: s.length }, (_x, i) => Math.cos(3 * i));
    const hv = new Float64Array(s.length);
    s.hvpFn(f)(p0, v, hv);
    const lg = s.lossAndGradFn(f);
    const h = 1e-5;
    const gp = new Float64Array(s.length);
    const gm = new Float64Array(s.length);
    lg(
      Float64Array.from(p0, (x, i) => x + h * v[i]),
      gp,
    );
    lg(
      Float64Array.from(p0, (x, i) => x - h * v[i]),
      gm,
    );
    let maxAbs = 0;
    for (let i = 0; i < s.length; i++) {
      const fd = (gp[i] - gm[i]) / (2 * h);
      expect(Math.abs(hv[i] - fd)).toBeLessThan(1e-8);
      maxAbs = Math.max(maxAbs, Math.abs(hv[i]));
    }
    expect(maxAbs).toBeGreaterThan(1e-3);
    expect(hv[10]).toBe(0); // padding
  });
});
