/**
 * Every primitive: float64 central-difference gradient check of its VJP, plus the forward-mode
 * JVP against ⟨∇L, v⟩ (both done by engine/gradcheck), on random inputs away from kinks,
 * including broadcasting cases.
 */
import { describe, expect, it } from 'vitest';
import * as E from '../../../engine/index';
import { gradcheck } from '../../../engine/gradcheck';
import { BINARY_PRIMS, COMPARE_PRIMS, UNARY_PRIMS, type PrimName } from '../../../engine/ops/prims';
import { RULES } from '../../../engine/ops/rules';
import { Rng } from '../../../engine/random/rng';
import { rand64, randAway, t64 } from './helpers';

type Case = {
  prim: PrimName;
  name: string;
  f: (...x: E.Tensor[]) => E.Tensor;
  inputs: (r: Rng) => E.Tensor[];
};
const cases: Case[] = [];
const add = (prim: PrimName, name: string, f: Case['f'], inputs: Case['inputs']): void => {
  cases.push({ prim, name, f, inputs });
};

// Unary primitives, each on its valid domain (saturating regions included for tanh/sigmoid/erf).
add('neg', 'neg', E.neg, (r) => [rand64(r, [3, 4])]);
add('reciprocal', 'reciprocal', E.reciprocal, (r) => [randAway(r, [3, 4], 0.3, 3)]);
add('exp', 'exp', E.exp, (r) => [rand64(r, [3, 4], -2, 2)]);
add('log', 'log', E.log, (r) => [rand64(r, [3, 4], 0.2, 5)]);
add('log1p', 'log1p', E.log1p, (r) => [rand64(r, [3, 4], -0.5, 3)]);
add('expm1', 'expm1', E.expm1, (r) => [rand64(r, [3, 4], -2, 2)]);
add('sqrt', 'sqrt', E.sqrt, (r) => [rand64(r, [3, 4], 0.2, 4)]);
add('tanh', 'tanh', E.tanh, (r) => [rand64(r, [3, 4], -3, 3)]);
add('tanh', 'tanh saturated (|x| ≈ 10)', E.tanh, (r) => [randAway(r, [2, 3], 9, 11)]);
add('sigmoid', 'sigmoid', E.sigmoid, (r) => [rand64(r, [3, 4], -4, 4)]);
add('sigmoid', 'sigmoid saturated (|x| ≈ 20)', E.sigmoid, (r) => [randAway(r, [2, 3], 19, 21)]);
add('erf', 'erf', E.erf, (r) => [rand64(r, [3, 4], -3.5, 3.5)]);
add('abs', 'abs', E.abs, (r) => [randAway(r, [3, 4], 0.1, 2)]);
// sign has zero derivative: sign(x)·x has derivative sign(x).
add(
  'sign',
  'sign (via sign(x)·x)',
  (x) => E.mul(E.sign(x), x),
  (r) => [randAway(r, [3, 4], 0.1, 2)],
);

// Binary primitives with same shapes and with broadcasting.
const bin: [PrimName, (a: E.Tensor, b: E.Tensor) => E.Tensor][] = [
  ['add', E.add],
  ['sub', E.sub],
  ['mul', E.mul],
  ['div', E.div],
  ['maximum', E.maximum],
];
for (const [prim, f] of bin) {
  const den = (r: Rng, s: number[]): E.Tensor => (prim === 'div' ? randAway(r, s, 0.5, 2) : rand64(r, s));
  add(prim, `${prim} same shape`, f, (r) => [rand64(r, [3, 4]), den(r, [3, 4])]);
  add(prim, `${prim} [3,4] ⊕ [4]`, f, (r) => [rand64(r, [3, 4]), den(r, [4])]);
  add(prim, `${prim} [3,1] ⊕ [1,4]`, f, (r) => [rand64(r, [3, 1]), den(r, [1, 4])]);
  add(prim, `${prim} [] ⊕ [2,3]`, f, (r) => [rand64(r, []), den(r, [2, 3])]);
  add(prim, `${prim} [2,1,3] ⊕ [4,1]`, f, (r) => [rand64(r, [2, 1, 3]), den(r, [4, 1])]);
}
// Comparisons (zero derivative) drive where(); both branches get gradient where selected.
for (const [prim, cmp] of [
  ['greater', E.greater],
  ['greaterEqual', E.greaterEqual],
  ['equal', E.equal],
] as const) {
  add(
    prim,
    `${prim} inside where`,
    (a, b) => E.where(cmp(a, b), E.mul(a, b), E.sub(a, E.exp(b))),
    (r) => [rand64(r, [3, 4]), rand64(r, [3, 4])],
  );
}
add(
  'where',
  'where broadcast cond [3,1], a [4], b [3,4]',
  (c, a, b) => E.where(E.greater(c, 0), a, b),
  (r) => [rand64(r, [3, 1]), rand64(r, [4]), rand64(r, [3, 4])],
);

// Reductions.
add(
  'sum',
  'sum all',
  (x) => E.sum(E.mul(x, x)),
  (r) => [rand64(r, [3, 4])],
);
add(
  'sum',
  'sum axis 0',
  (x) => E.sum(x, 0),
  (r) => [rand64(r, [3, 4])],
);
add(
  'sum',
  'sum axes [0,2] keepDims',
  (x) => E.sum(x, [0, 2], true),
  (r) => [rand64(r, [2, 3, 4])],
);
add(
  'max',
  'max axis 1',
  (x) => E.max(x, 1),
  (r) => [rand64(r, [3, 5])],
);
add(
  'max',
  'max axis 0 keepDims',
  (x) => E.max(x, 0, true),
  (r) => [rand64(r, [4, 3])],
);
add(
  'max',
  'max all',
  (x) => E.max(x),
  (r) => [rand64(r, [2, 3, 2])],
);

// Matmul, all four layouts.
add(
  'matmul',
  'A·B',
  (a, b) => E.matmul(a, b),
  (r) => [rand64(r, [3, 4]), rand64(r, [4, 2])],
);
add(
  'matmul',
  'Aᵀ·B',
  (a, b) => E.matmul(a, b, { transA: true }),
  (r) => [rand64(r, [4, 3]), rand64(r, [4, 2])],
);
add(
  'matmul',
  'A·Bᵀ',
  (a, b) => E.matmul(a, b, { transB: true }),
  (r) => [rand64(r, [3, 4]), rand64(r, [2, 4])],
);
add(
  'matmul',
  'Aᵀ·Bᵀ',
  (a, b) => E.matmul(a, b, { transA: true, transB: true }),
  (r) => [rand64(r, [4, 3]), rand64(r, [2, 4])],
);

// Layout.
add(
  'reshape',
  'reshape',
  (x) => E.mul(E.reshape(x, [2, 6]), E.reshape(x, [2, 6])),
  (r) => [rand64(r, [3, 4])],
);
add(
  'transpose',
  'transpose 2-D',
  (x) => E.transpose(x),
  (r) => [rand64(r, [3, 4])],
);
add(
  'transpose',
  'transpose [2,0,1]',
  (x) => E.transpose(x, [2, 0, 1]),
  (r) => [rand64(r, [2, 3, 4])],
);
add(
  'broadcastTo',
  'broadcastTo [3,1]→[3,4]',
  (x) => E.broadcastTo(x, [3, 4]),
  (r) => [rand64(r, [3, 1])],
);
add(
  'broadcastTo',
  'broadcastTo [4]→[2,3,4]',
  (x) => E.broadcastTo(x, [2, 3, 4]),
  (r) => [rand64(r, [4])],
);
add(
  'slice',
  'slice',
  (x) => E.slice(x, [1, 1], [2, 2]),
  (r) => [rand64(r, [3, 4])],
);
add(
  'pad',
  'pad',
  (x) => E.pad(x, [1, 0], [0, 2]),
  (r) => [rand64(r, [2, 3])],
);
add(
  'concat',
  'concat axis 1',
  (a, b) => E.concat([a, b, a], 1),
  (r) => [rand64(r, [2, 3]), rand64(r, [2, 1])],
);
add(
  'concat',
  'concat axis 0',
  (a, b) => E.concat([a, b], 0),
  (r) => [rand64(r, [2, 3]), rand64(r, [1, 3])],
);
add(
  'gather',
  'gather rows with repeats',
  (x) => E.gather(x, [2, 0, 2, 1]),
  (r) => [rand64(r, [3, 2])],
);
add(
  'gather',
  'gather axis 1',
  (x) => E.gather(x, [1, 1, 0], 1),
  (r) => [rand64(r, [2, 3])],
);
add(
  'scatterAdd',
  'scatterAdd',
  (x) => E.scatterAdd(x, [1, 3, 1], 0, 4),
  (r) => [rand64(r, [3, 2])],
);

// Compositions used by losses.
add(
  'max',
  'logSumExp',
  (x) => E.logSumExp(x, 1),
  (r) => [rand64(r, [3, 4], -3, 3)],
);
add(
  'div',
  'mean',
  (x) => E.mean(E.square(x), 0),
  (r) => [rand64(r, [3, 4])],
);

describe('gradient checks of every primitive (float64, central differences + JVP)', () => {
  for (const c of cases) {
    it(c.name, () => {
      E.tidy(() => {
        const rng = new Rng(c.name.length * 7919 + 17);
        const r = gradcheck(c.f, c.inputs(rng), { atol: 1e-7, rtol: 1e-6 });
        expect(r.message).toBe('gradcheck passed');
        expect(Number.isFinite(r.jvpAnalytic)).toBe(true);
      });
    });
  }

  it('covers every primitive in the rule table', () => {
    const covered = new Set(cases.map((c) => c.prim));
    const all = Object.keys(RULES) as PrimName[];
    expect(all.filter((p) => !covered.has(p))).toEqual([]);
    expect(all.length).toBe(UNARY_PRIMS.length + BINARY_PRIMS.length + COMPARE_PRIMS.length + 12);
  });

  it('a gradient check catches a wrong derivative', () => {
    // f(x) = x·stopGradient(x): analytic gradient x (half the true 2x) must be flagged.
    const r = gradcheck((x) => E.mul(x, E.stopGradient(x)), [t64([0.5, -1.2, 2])]);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/gradcheck failed/);
  });

  it('the maximum subgradient splits ½/½ at ties and ReLU via where gives 0 at 0', () => {
    const { grads } = E.valueAndGrad((p: E.Tensor[]) => E.sum(E.maximum(p[0], p[1])))([
      t64([1, 2]),
      t64([1, 3]),
    ]);
    expect(Array.from(grads[0].dataSync())).toEqual([0.5, 0]);
    expect(Array.from(grads[1].dataSync())).toEqual([0.5, 1]);
    const g = E.grad((x: E.Tensor) => E.sum(E.where(E.greater(x, 0), x, 0)))(t64([-1, 0, 2]));
    expect(Array.from(g.dataSync())).toEqual([0, 0, 1]);
  });

  it('max shares the gradient among tied maxima', () => {
    const g = E.grad((x: E.Tensor) => E.max(x))(t64([3, 1, 3, 2]));
    expect(Array.from(g.dataSync())).toEqual([0.5, 0, 0.5, 0]);
  });
});

describe('gradcheck options', () => {
  it('maxPerInput checks a seeded random subset and still catches errors', () => {
    const rng = new Rng(12);
    const x = rand64(rng, [20, 10]);
    const good = gradcheck((t) => E.tanh(t), [x], { maxPerInput: 15 });
    expect(good.ok).toBe(true);
    const bad = gradcheck((t) => E.mul(t, E.stopGradient(t)), [x], { maxPerInput: 15, checkJvp: false });
    expect(bad.ok).toBe(false);
    expect(bad.worst!.index).toBeLessThan(200);
  });
});
