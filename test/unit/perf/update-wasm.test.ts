/**
 * The WebAssembly optimizer kernels (engine/optim/update-wasm.ts) against independent oracles: Adam
 * and AdamW against the JavaScript loop (adaptive.ts adamStep) bit for bit — θ, m and v, several
 * steps, n mod 4 = 0…3 — and against textbook Adam (bias corrections as divisions, Kingma & Ba 2015
 * Algorithm 1) within float32 rounding; SGD and momentum against the lecture's update written out
 * here, in float64 with one float32 rounding of θ per step (what a Float32Array store does).
 */
import { describe, expect, it } from 'vitest';
import { stageUpdate } from '../../../engine/optim/update-wasm';
import { adam, adamStep, adamw, type AdamState } from '../../../engine/optim/adaptive';
import { momentum, sgd, type MomentumState } from '../../../engine/optim/sgd';
import { OptimizerError } from '../../../engine/optim/types';
import { typedArraysConstructed } from './alloc-spy';

/** Deterministic values with a wide spread of magnitudes, some zeros and negatives. */
function values(n: number, seed: number, scale: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const u = s / 2 ** 32;
    out[i] = i % 17 === 0 ? 0 : (u - 0.5) * scale * 10 ** ((i % 7) - 3);
  }
  return out;
}

const HYPER = { beta1: 0.9, beta2: 0.999, delta: 1e-8 };

describe('Adam WebAssembly kernel', () => {
  it('is available here (the tests below would otherwise compare the JS loop with itself)', () => {
    const st = adam.init(300, HYPER);
    const ws = stageUpdate(st, new Float32Array(300), new Float32Array(300), 2);
    expect(ws).not.toBeNull();
    expect(ws).not.toBe('nonfinite');
  });

  for (const n of [256, 257, 258, 259, 1024, 4099])
    for (const variant of ['adam', 'adamw', 'adamw-mask'] as const)
      it(`${variant}, n = ${n}: θ, m, v bit-identical to the JavaScript loop over 5 steps`, () => {
        const opt = variant === 'adam' ? adam : adamw;
        const hyper = variant === 'adam' ? HYPER : { ...HYPER, weightDecay: 0.05 };
        const mask =
          variant === 'adamw-mask' ? Uint8Array.from({ length: n }, (_, i) => (i % 3) & 1) : undefined;
        const fast = opt.init(n, hyper);
        const ref = opt.init(n, hyper) as AdamState;
        const pf = values(n, 1, 2);
        const pr = pf.slice();
        for (let t = 0; t < 5; t++) {
          const g = values(n, 100 + t, 1);
          const lr = 0.01 * (t + 1);
          opt.update(fast, pf, g, { lr, decayMask: mask });
          adamStep(ref, pr, g, lr, variant === 'adam' ? 0 : 0.05, mask);
        }
        // The kernel really ran: m and v now live in its memory (views, not the arrays init made).
        expect((fast as AdamState).m.byteOffset).toBeGreaterThan(0);
        expect(fast.step).toBe(5);
        expect(Buffer.from(pf.buffer).equals(Buffer.from(pr.buffer))).toBe(true);
        expect(Array.from((fast as AdamState).m)).toEqual(Array.from(ref.m));
        expect(Array.from((fast as AdamState).v)).toEqual(Array.from(ref.v));
      });

  it('matches textbook Adam (divisions by 1 − βᵗ) within float32 rounding', () => {
    const n = 1000;
    const st = adam.init(n, HYPER);
    const p = values(n, 7, 1);
    const p64 = Float64Array.from(p);
    const m = new Float64Array(n);
    const v = new Float64Array(n);
    for (let t = 1; t <= 4; t++) {
      const g = values(n, 50 + t, 3);
      adam.update(st, p, g, { lr: 1e-3 });
      for (let i = 0; i < n; i++) {
        m[i] = 0.9 * m[i] + 0.1 * g[i];
        v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
        const mh = m[i] / (1 - 0.9 ** t);
        const vh = v[i] / (1 - 0.999 ** t);
        p64[i] -= (1e-3 * mh) / (1e-8 + Math.sqrt(vh));
      }
    }
    // Each step rounds θ to float32 (≤ 2⁻²⁴|θ_t|; |θ_t| ≤ |θ| + 4 steps × ≤ 3.2α): far below the
    // ≈ 1e-3 updates, so a wrong correction or a missing term fails.
    for (let i = 0; i < n; i++)
      expect(Math.abs(p[i] - p64[i])).toBeLessThanOrEqual(4 * 2 ** -24 * (Math.abs(p64[i]) + 0.013));
  });

  it('refuses a NaN gradient before changing anything, naming the entry', () => {
    const n = 512;
    const st = adam.init(n, HYPER);
    const p = values(n, 3, 1);
    adam.update(st, p, values(n, 4, 1), { lr: 0.01 });
    const before = p.slice();
    const m = Float64Array.from((st as AdamState).m);
    const g = values(n, 5, 1);
    g[300] = NaN;
    expect(() => adam.update(st, p, g, { lr: 0.01 })).toThrow(OptimizerError);
    expect(() => adam.update(st, p, g, { lr: 0.01 })).toThrow(/gradient\[300\] is NaN/);
    expect(Array.from(p)).toEqual(Array.from(before));
    expect(Array.from((st as AdamState).m)).toEqual(Array.from(m));
    expect(st.step).toBe(1);
    g[300] = 0;
    g[511] = -Infinity; // the last entry (the last lane of the last 4-wide block)
    expect(() => adam.update(st, p, g, { lr: 0.01 })).toThrow(/gradient\[511\] is -Infinity/);
  });

  it('adopts m and v replaced from outside (checkpoint restore) on the next step', () => {
    const n = 300;
    const a = adam.init(n, HYPER) as AdamState;
    const b = adam.init(n, HYPER) as AdamState;
    const pa = values(n, 9, 1);
    const pb = pa.slice();
    const g = values(n, 10, 1);
    adam.update(a, pa, g, { lr: 0.01 });
    adamStep(b, pb, g, 0.01, 0, undefined);
    // Restore b's state into a as new arrays (what a checkpoint load does).
    a.m = Float64Array.from(b.m);
    a.v = Float64Array.from(b.v);
    a.m[0] = b.m[0] = 0.5;
    const g2 = values(n, 11, 1);
    adam.update(a, pa, g2, { lr: 0.01 });
    adamStep(b, pb, g2, 0.01, 0, undefined);
    expect(Array.from(pa)).toEqual(Array.from(pb));
    expect(Array.from(a.m)).toEqual(Array.from(b.m));
  });

  it('a steady-state step allocates no typed arrays (workspace made once per state)', () => {
    const n = 5000;
    const st = adamw.init(n, { ...HYPER, weightDecay: 0.01 });
    const p = values(n, 12, 1);
    const g = values(n, 13, 1);
    const mask = new Uint8Array(n).fill(1);
    for (let t = 0; t < 2; t++) adamw.update(st, p, g, { lr: 1e-3, decayMask: mask });
    const created = typedArraysConstructed(() => {
      for (let t = 0; t < 5; t++) adamw.update(st, p, g, { lr: 1e-3, decayMask: mask });
      void new Float64Array(1); // the spy does see constructions
    });
    expect(created).toEqual(['Float64Array(1)']);
    expect(st.step).toBe(7);
  });

  for (const n of [256, 1023, 4099])
    it(`SGD and momentum, n = ${n}: θ (and v) bit-identical to the lecture's update in float64`, () => {
      const ps = values(n, 21, 2);
      const pm = ps.slice();
      const rs = Float64Array.from(ps);
      const rm = Float64Array.from(ps);
      const rv = new Float64Array(n);
      const s1 = sgd.init(n, {});
      const s2 = momentum.init(n, { beta: 0.9 });
      for (let t = 0; t < 4; t++) {
        const g = values(n, 30 + t, 1);
        const lr = 0.05 / (t + 1);
        sgd.update(s1, ps, g, { lr });
        momentum.update(s2, pm, g, { lr });
        for (let i = 0; i < n; i++) {
          rs[i] = Math.fround(rs[i] - lr * g[i]);
          rv[i] = 0.9 * rv[i] - lr * g[i];
          rm[i] = Math.fround(rm[i] + rv[i]);
        }
      }
      expect((s2 as MomentumState).v.byteOffset).toBeGreaterThan(0); // the kernel ran
      expect(Array.from(ps)).toEqual(Array.from(rs));
      expect(Array.from(pm)).toEqual(Array.from(rm));
      expect(Array.from((s2 as MomentumState).v)).toEqual(Array.from(rv));
      expect([s1.step, s2.step]).toEqual([4, 4]);
    });

  it('SGD refuses a non-finite gradient before changing θ', () => {
    const st = sgd.init(400, {});
    const p = values(400, 40, 1);
    const before = p.slice();
    const g = values(400, 41, 1);
    g[399] = Infinity;
    expect(() => sgd.update(st, p, g, { lr: 0.1 })).toThrow(/gradient\[399\] is Infinity/);
    expect(Array.from(p)).toEqual(Array.from(before));
    expect(st.step).toBe(0);
  });

  it('falls back to the JavaScript loop when its WebAssembly memory cannot be allocated', () => {
    const n = 600;
    const WA = globalThis.WebAssembly as unknown as { Memory: unknown };
    const Orig = WA.Memory;
    WA.Memory = function () {
      throw new RangeError('WebAssembly.Memory(): could not allocate memory');
    };
    const st = adam.init(n, HYPER) as AdamState;
    const ref = adam.init(n, HYPER) as AdamState;
    const p = values(n, 50, 1);
    const pr = p.slice();
    try {
      adam.update(st, p, values(n, 51, 1), { lr: 0.01 });
    } finally {
      WA.Memory = Orig;
    }
    adamStep(ref, pr, values(n, 51, 1), 0.01, 0, undefined);
    expect(st.m.byteOffset).toBe(0); // still the arrays init made: the JavaScript loop ran
    expect(Array.from(p)).toEqual(Array.from(pr));
  });

  it('a longer m/v from outside is cut to the parameters; a shorter one is refused by name', () => {
    const n = 300;
    const a = adam.init(n, HYPER) as AdamState;
    const b = adam.init(n, HYPER) as AdamState;
    const pa = values(n, 60, 1);
    const pb = pa.slice();
    a.m = new Float64Array(n + 5).fill(0.25);
    b.m = new Float64Array(n).fill(0.25);
    const g = values(n, 61, 1);
    adam.update(a, pa, g, { lr: 0.01 });
    adamStep(b, pb, g, 0.01, 0, undefined);
    expect(Array.from(pa)).toEqual(Array.from(pb));
    a.v = new Float64Array(n - 1);
    expect(() => adam.update(a, pa, g, { lr: 0.01 })).toThrow(
      /adam: state vector adam\.v has 299 entries, the parameters have 300/,
    );
  });
});
