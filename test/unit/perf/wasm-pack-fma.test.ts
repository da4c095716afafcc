/**
 * The WebAssembly panel packers (packc4/packc8/packg4/packg8 in engine/backend/wasm/gemm.ts) against
 * the TypeScript packers packA/packB, bit for bit; and the relaxed-SIMD multiply-add kernel (the one
 * Electron's V8 runs) against float64 products, on edge and prime shapes. Node 20 validates relaxed
 * SIMD only behind a V8 flag, which this file turns on for its own module instances.
 */
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { gemmModuleBytes, MR, packA, packB } from '../../../engine/backend/wasm/gemm';
import { Rng } from '../../../engine/random/rng';

interface Exports {
  gemm(a: number, b: number, c: number, mp: number, np: number, k: number, j0: number, j1: number): void;
  packc4(src: number, dst: number, panels: number, k: number, ld: number): void;
  packc8(src: number, dst: number, panels: number, k: number, ld: number): void;
  packg4(src: number, dst: number, panels: number, k: number, ld: number): void;
  packg8(src: number, dst: number, panels: number, k: number, ld: number): void;
}

function instance(fma: boolean) {
  const memory = new WebAssembly.Memory({ initial: 256, maximum: 16384 });
  const mod = new WebAssembly.Module(gemmModuleBytes(false, MR, fma));
  const exports = new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as Exports;
  return { memory, exports, f32: () => new Float32Array(memory.buffer) };
}

const rng = new Rng(99);
const rand = (n: number) => Float32Array.from({ length: n }, () => rng.uniform(-1, 1));

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [4, 8, 1],
  [5, 9, 3],
  [8, 16, 256],
  [13, 29, 257],
  [31, 17, 600],
  [64, 40, 100],
  [133, 17, 300],
];

describe('WebAssembly panel packing', () => {
  const { exports: ex, f32 } = instance(false);
  for (const [m, n, k] of SHAPES) {
    for (const t of [false, true]) {
      it(`A [${m}×${k}] and B [${k}×${n}] (transposed: ${t}) pack exactly like packA/packB`, () => {
        const a = rand(m * k);
        const b = rand(k * n);
        const mp = Math.ceil(m / MR) * MR;
        const np = (n + 7) & ~7;
        const mem = f32();
        const raw = 0;
        const jsOff = m * k + n * k;
        const wOff = jsOff + mp * k + np * k;
        mem.set(a, raw);
        mem.set(b, raw + m * k);
        // TypeScript reference packing of everything.
        packA(a, mem, jsOff, m, k, mp, t);
        packB(b, mem, jsOff + mp * k, n, k, np, t);
        // WebAssembly packing of the full panels, then the TypeScript packers for the rest.
        mem.fill(NaN, wOff, wOff + mp * k + np * k);
        const fa = Math.floor(m / MR);
        if (fa > 0) {
          if (t) ex.packc4(raw * 4, wOff * 4, fa, k, m);
          else ex.packg4(raw * 4, wOff * 4, fa, k, k);
        }
        packA(a, mem, wOff, m, k, mp, t, fa * MR);
        const fb = n >> 3;
        const bw = wOff + mp * k;
        if (fb > 0) {
          if (t) ex.packg8((raw + m * k) * 4, bw * 4, fb, k, k);
          else ex.packc8((raw + m * k) * 4, bw * 4, fb, k, n);
        }
        packB(b, mem, bw, n, k, np, t, fb * 8);
        const ref = new Uint32Array(mem.buffer, jsOff * 4, mp * k + np * k);
        const got = new Uint32Array(mem.buffer, wOff * 4, mp * k + np * k);
        expect(Array.from(got)).toEqual(Array.from(ref));
      });
    }
  }
});

describe('relaxed-SIMD multiply-add kernel', () => {
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  it('validates once relaxed SIMD is on (and the default kernel still validates)', () => {
    expect(WebAssembly.validate(gemmModuleBytes(false, MR, true))).toBe(true);
    expect(WebAssembly.validate(gemmModuleBytes(false, MR, false))).toBe(true);
  });

  for (const [m, n, k] of SHAPES) {
    it(`[${m}×${k}]·[${k}×${n}] matches the float64 product within float32 accumulation error`, () => {
      const { exports: ex, f32 } = instance(true);
      const a = rand(m * k);
      const b = rand(k * n);
      const mp = Math.ceil(m / MR) * MR;
      const np = (n + 7) & ~7;
      const mem = f32();
      packA(a, mem, 0, m, k, mp, false);
      packB(b, mem, mp * k, n, k, np, false);
      const cOff = mp * k + np * k;
      mem.fill(NaN, cOff, cOff + mp * np);
      ex.gemm(0, mp * k * 4, cOff * 4, mp, np, k, 0, np);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          let bound = 0;
          for (let p = 0; p < k; p++) {
            s += a[i * k + p] * b[p * n + j];
            bound += Math.abs(a[i * k + p] * b[p * n + j]);
          }
          const got = mem[cOff + i * np + j];
          const tol = (k + 2) * 2 ** -24 * bound + 1e-30;
          if (!(Math.abs(got - s) <= tol))
            throw new Error(`C[${i}, ${j}] = ${got}, float64 ${s}, tol ${tol}`);
        }
    });
  }

  it('gives the same bits on every call (deterministic)', () => {
    const { exports: ex, f32 } = instance(true);
    const [m, n, k] = [13, 29, 257];
    const mem = f32();
    packA(rand(m * k), mem, 0, m, k, 16, false);
    packB(rand(k * n), mem, 16 * k, n, k, 32, false);
    const cOff = 16 * k + 32 * k;
    ex.gemm(0, 16 * k * 4, cOff * 4, 16, 32, k, 0, 32);
    const first = mem.slice(cOff, cOff + 16 * 32);
    ex.gemm(0, 16 * k * 4, cOff * 4, 16, 32, k, 0, 32);
    expect(Array.from(mem.subarray(cOff, cOff + 16 * 32))).toEqual(Array.from(first));
  });
});
