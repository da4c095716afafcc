import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  batchRange,
  inputs,
  lowbias32,
  targets,
  totalSteps,
  u,
  weights,
  type WorkloadSpec,
} from '../../../bench/data';

const W = JSON.parse(readFileSync('bench/workloads.json', 'utf8')) as Record<string, WorkloadSpec>;

/** Independent reference of WORKLOADS.md's u(k, salt), in exact BigInt arithmetic. */
function uRef(k: number, salt: number): number {
  const M = 0xffffffffn;
  let x = (BigInt(k) + BigInt(salt) * 0x9e3779b9n) & M;
  x ^= x >> 16n;
  x = (x * 0x7feb352dn) & M;
  x ^= x >> 15n;
  x = (x * 0x846ca68bn) & M;
  x ^= x >> 16n;
  return Number(x) / 2 ** 32;
}

describe('benchmark data generator (bench/WORKLOADS.md)', () => {
  it('u(k, salt) matches an exact BigInt evaluation of the documented hash', () => {
    for (const [k, salt] of [
      [0, 0],
      [0, 1],
      [1, 1],
      [12345, 2],
      [20000 * 32 - 1, 1],
      [784 * 256 - 1, 10],
      [2048 * 2048 - 1, 11],
      [4294967295, 12],
    ])
      expect(u(k, salt)).toBe(uRef(k, salt));
    for (let k = 0; k < 2000; k += 7) expect(u(k * 977, 10 + (k % 4))).toBe(uRef(k * 977, 10 + (k % 4)));
  });

  it('lowbias32(0) = 0 and the result is a uint32', () => {
    expect(lowbias32(0)).toBe(0);
    const v = lowbias32(0xdeadbeef);
    expect(Number.isInteger(v) && v >= 0 && v < 2 ** 32).toBe(true);
  });

  it('inputs, targets and weights follow the documented formulas', () => {
    const w = W.tabular;
    const X = inputs(w);
    expect(X.length).toBe(20000 * 32);
    expect(X[5 * 32 + 3]).toBe(Math.fround(2 * uRef(5 * 32 + 3, 1) - 1));
    const y = targets(w, X) as Float32Array;
    const r = 17;
    let m = 0;
    for (let c = 0; c < 8; c++) m += X[r * 32 + c];
    expect(y[r]).toBeCloseTo(m / 8 + X[r * 32 + 8] * X[r * 32 + 9], 6);
    const W1 = weights(w, 1); // 64 → 64, ReLU: lim = √(6/64)
    expect(W1[3 * 64 + 5]).toBe(Math.fround((2 * uRef(3 * 64 + 5, 11) - 1) * Math.sqrt(6 / 64)));
    const cls = targets(W.mnist, inputs(W.mnist)) as Int32Array;
    expect(cls[9]).toBe(Math.floor(uRef(9, 2) * 10));
    const xw = weights(W.xor, 0); // sigmoid: lim = √(6/(2+4))
    expect(xw[7]).toBe(Math.fround((2 * uRef(7, 10) - 1) * 1));
  });

  it('XOR uses its four {0,1} points; batches are in order with the last partial one kept', () => {
    expect([...inputs(W.xor, true)]).toEqual([0, 0, 0, 1, 1, 0, 1, 1]);
    expect([...targets(W.xor, inputs(W.xor, true), true)]).toEqual([0, 1, 1, 0]);
    expect(totalSteps(W.tabular)).toBe(3 * 313);
    expect(batchRange(W.tabular, 312)).toEqual([312 * 64, 20000]);
    expect(batchRange(W.tabular, 313)).toEqual([0, 64]);
    expect(totalSteps(W.wide)).toBe(20);
  });
});
