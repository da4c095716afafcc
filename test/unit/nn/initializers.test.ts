import { describe, expect, it } from 'vitest';
import { Rng } from '../../../engine/random/rng';
import { computeFans, initialize, INITIALIZERS, type InitSpec } from '../../../engine/init';

const N = 100_000;

function moments(a: Float32Array): { mean: number; variance: number } {
  let s = 0;
  for (const v of a) s += v;
  const mean = s / a.length;
  let q = 0;
  for (const v of a) q += (v - mean) * (v - mean);
  return { mean, variance: q / (a.length - 1) };
}

/** Variance of N(0,1) truncated to [−2, 2], by Simpson integration (independent of the module's constant). */
function truncVar(): number {
  const m = 20000;
  const h = 4 / m;
  let num = 0;
  let den = 0;
  for (let i = 0; i <= m; i++) {
    const z = -2 + i * h;
    const w = i === 0 || i === m ? 1 : i % 2 ? 4 : 2;
    const p = Math.exp((-z * z) / 2);
    num += w * z * z * p;
    den += w * p;
  }
  return num / den;
}

// [500, 200]: fan_in = 500, fan_out = 200, 1e5 draws.
const shape = [500, 200];
const fi = 500;
const fo = 200;

const cases: [string, InitSpec, number, number][] = [
  ['uniform(-2, 3)', { kind: 'uniform', a: -2, b: 3 }, 0.5, 25 / 12],
  ['normal(1, 0.5)', { kind: 'normal', mean: 1, std: 0.5 }, 1, 0.25],
  ['truncated normal(0, 2)', { kind: 'normal', mean: 0, std: 2, truncated: true }, 0, 4 * truncVar()],
  ['lecun_normal', { kind: 'lecun_normal' }, 0, 1 / fi],
  ['lecun_normal truncated', { kind: 'lecun_normal', truncated: true }, 0, 1 / fi],
  ['lecun_uniform', { kind: 'lecun_uniform' }, 0, (Math.sqrt(3 / fi) * Math.sqrt(3 / fi)) / 3],
  ['glorot_uniform', { kind: 'glorot_uniform' }, 0, 6 / (fi + fo) / 3],
  ['glorot_normal', { kind: 'glorot_normal' }, 0, 2 / (fi + fo)],
  ['he_uniform', { kind: 'he_uniform' }, 0, 6 / fi / 3],
  ['he_normal', { kind: 'he_normal' }, 0, 2 / fi],
  ['he_normal fan_out (lecture compromise)', { kind: 'he_normal', mode: 'fan_out' }, 0, 2 / fo],
  ['he_normal truncated', { kind: 'he_normal', truncated: true }, 0, 2 / fi],
];

describe('initializers: sample moments over 1e5 draws', () => {
  for (const [name, spec, mean, variance] of cases) {
    it(name, () => {
      const a = initialize(spec, shape, new Rng(42));
      expect(a.length).toBe(N);
      const m = moments(a);
      const sd = Math.sqrt(variance);
      // 5 standard errors: mean SE = σ/√n, variance SE ≤ σ²·√(2/n) for these light-tailed laws.
      expect(Math.abs(m.mean - mean)).toBeLessThan((5 * sd) / Math.sqrt(N));
      expect(Math.abs(m.variance - variance)).toBeLessThan(5 * variance * Math.sqrt(2 / N));
    });
  }

  it('uniform laws respect their bounds; truncated normals stay within 2σ', () => {
    const lim = Math.sqrt(6 / (fi + fo));
    const g = initialize({ kind: 'glorot_uniform' }, shape, new Rng(1));
    expect(Math.max(...g)).toBeLessThanOrEqual(lim);
    expect(Math.min(...g)).toBeGreaterThanOrEqual(-lim);
    const t = initialize({ kind: 'normal', mean: 0, std: 1, truncated: true }, [1000], new Rng(2));
    expect(Math.max(...t.map(Math.abs))).toBeLessThanOrEqual(2);
  });

  it('zeros, ones, constant', () => {
    expect([...initialize({ kind: 'zeros' }, [3], new Rng(0))]).toEqual([0, 0, 0]);
    expect([...initialize({ kind: 'ones' }, [2], new Rng(0))]).toEqual([1, 1]);
    expect([...initialize({ kind: 'constant', value: 0.25 }, [2], new Rng(0))]).toEqual([0.25, 0.25]);
  });

  it('is reproducible from the seed and differs across seeds', () => {
    const a = initialize({ kind: 'he_normal' }, [4, 3], new Rng(7));
    const b = initialize({ kind: 'he_normal' }, [4, 3], new Rng(7));
    const c = initialize({ kind: 'he_normal' }, [4, 3], new Rng(8));
    expect([...a]).toEqual([...b]);
    expect([...a]).not.toEqual([...c]);
  });

  it('fans follow the [in, out] layout', () => {
    expect(computeFans([5, 3])).toEqual({ fanIn: 5, fanOut: 3 });
    expect(computeFans([7])).toEqual({ fanIn: 7, fanOut: 7 });
    expect(computeFans([2, 3, 4])).toEqual({ fanIn: 8, fanOut: 12 });
  });

  it('rejects bad settings with a message naming the parameter', () => {
    expect(() => initialize({ kind: 'uniform', a: 1, b: 0 }, [2], new Rng(0))).toThrow(/a ≤ b/);
    expect(() => initialize({ kind: 'normal', mean: 0, std: -1 }, [2], new Rng(0))).toThrow(/std/);
    expect(() => initialize({ kind: 'zeros' }, [2], new Rng(0), new Float32Array(3))).toThrow(/length 3/);
    expect(() => computeFans([0, 2])).toThrow(/positive/);
    expect(() => initialize({ kind: 'bogus' } as never, [2], new Rng(0))).toThrow(
      /unknown initializer 'bogus'; choose one of zeros, .*he_normal/,
    );
  });

  it('every registry entry can be drawn from with its defaults', () => {
    for (const info of INITIALIZERS) {
      const spec = Object.fromEntries([['kind', info.kind], ...info.params.map((p) => [p.name, p.default])]);
      const a = initialize(spec as InitSpec, [8, 4], new Rng(3));
      expect(a.every(Number.isFinite)).toBe(true);
    }
  });
});
