/**
 * The fused MLP step (engine/fastpath/mlp.ts) against the autodiff path (engine/nn dense + activations,
 * engine/losses) in float64, against central finite differences, and for allocation-free steady state.
 */
import { describe, expect, it } from 'vitest';
import { ParamStore, sigmoid, tanh, tensor, tidy, type Tensor } from '../../../engine/index';
import { bce, crossEntropyWithLogits, mse } from '../../../engine/losses';
import { dense, relu } from '../../../engine/nn';
import { FusedMlp, type FusedActivation, type FusedLoss } from '../../../engine/fastpath/mlp';
import { Rng } from '../../../engine/random/rng';

interface Case {
  layers: number[];
  hidden: FusedActivation;
  output: 'linear' | 'sigmoid';
  loss: FusedLoss;
  rows: number;
}

function build(c: Case, dtype: 'float32' | 'float64', seed = 7) {
  const rng = new Rng(seed);
  const store = new ParamStore({ dtype });
  const names = [];
  for (let l = 0; l < c.layers.length - 1; l++) {
    const lim = Math.sqrt(6 / c.layers[l]);
    store.add(`W${l}`, [c.layers[l], c.layers[l + 1]], (v) =>
      v.forEach((_x, i) => (v[i] = rng.uniform(-lim, lim))),
    );
    store.add(`b${l}`, [c.layers[l + 1]], (v) => v.forEach((_x, i) => (v[i] = rng.uniform(-0.1, 0.1))));
    names.push({ W: `W${l}`, b: `b${l}` });
  }
  const nIn = c.layers[0];
  const nOut = c.layers[c.layers.length - 1];
  const mk = (n: number) => (dtype === 'float32' ? new Float32Array(n) : new Float64Array(n));
  const x = mk(c.rows * nIn).map(() => rng.uniform(-1, 1));
  const y =
    c.loss === 'softmax_ce'
      ? Int32Array.from({ length: c.rows }, () => rng.int(nOut))
      : mk(c.rows * nOut).map(() => (c.loss === 'bce' ? (rng.next() < 0.5 ? 0 : 1) : rng.uniform(-1, 1)));
  const fused = new FusedMlp(store, {
    layers: c.layers,
    hidden: c.hidden,
    output: c.output,
    loss: c.loss,
    names,
  });
  return { store, fused, x, y, nIn, nOut };
}

/** Loss and gradient through the general autodiff engine. */
function autodiff(
  c: Case,
  store: ParamStore,
  x: Float32Array | Float64Array,
  y: Float32Array | Float64Array | Int32Array,
) {
  const nIn = c.layers[0];
  const nOut = c.layers[c.layers.length - 1];
  const L = c.layers.length - 1;
  store.zeroGrad();
  const value = tidy(() => {
    const xt = tensor(x, [c.rows, nIn], { dtype: store.dtype });
    const yt = y instanceof Int32Array ? null : tensor(y, [c.rows, nOut], { dtype: store.dtype });
    return store
      .valueAndGrad((p) => {
        let h: Tensor = xt;
        for (let l = 0; l < L; l++) {
          h = dense(h, p[`W${l}`], p[`b${l}`]);
          const act = l < L - 1 ? c.hidden : c.output;
          if (act === 'relu') h = relu(h);
          else if (act === 'sigmoid') h = sigmoid(h);
          else if (act === 'tanh') h = tanh(h);
        }
        if (c.loss === 'softmax_ce') return crossEntropyWithLogits(h, y as Int32Array);
        return c.loss === 'bce' ? bce(h, yt!) : mse(h, yt!);
      })
      .value.item();
  });
  return { value, grads: store.grads.slice() };
}

const CASES: Case[] = [
  { layers: [2, 4, 1], hidden: 'sigmoid', output: 'sigmoid', loss: 'bce', rows: 4 },
  { layers: [5, 7, 3, 1], hidden: 'relu', output: 'linear', loss: 'mse', rows: 9 },
  { layers: [6, 11, 4], hidden: 'tanh', output: 'linear', loss: 'softmax_ce', rows: 13 },
  { layers: [3, 2], hidden: 'linear', output: 'linear', loss: 'mse', rows: 1 },
  { layers: [37, 64, 33, 10], hidden: 'relu', output: 'linear', loss: 'softmax_ce', rows: 67 },
];

describe('FusedMlp', () => {
  for (const c of CASES) {
    it(`${c.layers.join('-')} ${c.hidden}/${c.output} ${c.loss}: loss and gradient equal autodiff (float64)`, () => {
      const { store, fused, x, y } = build(c, 'float64');
      const ref = autodiff(c, store, x, y);
      store.grads.fill(0);
      const v = fused.lossAndGrad(x, c.rows, y);
      expect(v).toBeCloseTo(ref.value, 12);
      const g = store.grads;
      for (let i = 0; i < g.length; i++) expect(Math.abs(g[i] - ref.grads[i])).toBeLessThan(1e-12);
    });
  }

  it('matches central finite differences of its own loss (float64)', () => {
    const c: Case = { layers: [4, 6, 3], hidden: 'tanh', output: 'linear', loss: 'softmax_ce', rows: 5 };
    const { store, fused, x, y } = build(c, 'float64', 3);
    fused.lossAndGrad(x, c.rows, y);
    const g = store.grads.slice();
    const P = store.params;
    const h = 1e-6;
    for (const e of store.entries) {
      for (let i = e.offset; i < e.offset + e.size; i++) {
        const keep = P[i];
        P[i] = keep + h;
        const up = fused.lossAndGrad(x, c.rows, y);
        P[i] = keep - h;
        const dn = fused.lossAndGrad(x, c.rows, y);
        P[i] = keep;
        expect(Math.abs((up - dn) / (2 * h) - g[i])).toBeLessThan(1e-7);
      }
    }
  });

  it('float32 with the WebAssembly GEMM agrees with the float64 autodiff gradient', () => {
    const c: Case = {
      layers: [40, 64, 48, 10],
      hidden: 'relu',
      output: 'linear',
      loss: 'softmax_ce',
      rows: 64,
    };
    const f32 = build(c, 'float32', 11);
    const f64 = build(c, 'float64', 11);
    const ref = autodiff(c, f64.store, f64.x, f64.y);
    const v = f32.fused.lossAndGrad(f32.x, c.rows, f32.y);
    expect(Math.abs(v - ref.value)).toBeLessThan(1e-5);
    const g = f32.store.grads;
    let worst = 0;
    for (let i = 0; i < g.length; i++) worst = Math.max(worst, Math.abs(g[i] - ref.grads[i]));
    expect(worst).toBeLessThan(1e-5);
  });

  it('a smaller batch after a larger one reuses the buffers and stays correct', () => {
    const c: Case = { layers: [5, 7, 3, 1], hidden: 'relu', output: 'linear', loss: 'mse', rows: 9 };
    const { store, fused, x, y } = build(c, 'float64');
    fused.lossAndGrad(x, 9, y);
    const small: Case = { ...c, rows: 4 };
    const ref = autodiff(small, store, x.subarray(0, 20), y.subarray(0, 4) as Float64Array);
    const v = fused.lossAndGrad(x, 4, y);
    expect(v).toBeCloseTo(ref.value, 12);
    for (let i = 0; i < store.grads.length; i++)
      expect(Math.abs(store.grads[i] - ref.grads[i])).toBeLessThan(1e-12);
  });

  it('rejects bad specs and inputs with errors naming the problem', () => {
    const c: Case = { layers: [2, 3, 2], hidden: 'relu', output: 'linear', loss: 'softmax_ce', rows: 2 };
    const { store, fused, x } = build(c, 'float64');
    expect(() => fused.lossAndGrad(x, 2, Int32Array.from([0, 2]))).toThrow(/class index 2 in row 1/);
    expect(() => fused.lossAndGrad(x.subarray(0, 3), 2, Int32Array.from([0, 1]))).toThrow(/x has 3 values/);
    expect(
      () =>
        new FusedMlp(store, {
          layers: [2, 4, 2],
          hidden: 'relu',
          output: 'linear',
          loss: 'mse',
          names: [
            { W: 'W0', b: 'b0' },
            { W: 'W1', b: 'b1' },
          ],
        }),
    ).toThrow(/'W0' is \[2, 3\], layer 0 needs \[2, 4\]/);
    expect(
      () =>
        new FusedMlp(store, {
          layers: [2, 3, 2],
          hidden: 'relu',
          output: 'sigmoid',
          loss: 'mse',
          names: [
            { W: 'W0', b: 'b0' },
            { W: 'W1', b: 'b1' },
          ],
        }),
    ).toThrow(/sigmoid output is only fused with BCE/);
  });

  it('allocates no typed arrays in steady state (buffers and WebAssembly memory are reused)', () => {
    const c: Case = { layers: [32, 64, 64, 1], hidden: 'relu', output: 'linear', loss: 'mse', rows: 64 };
    const { fused, x, y } = build(c, 'float32');
    for (let t = 0; t < 3; t++) fused.lossAndGrad(x, c.rows, y);
    const created: string[] = [];
    const Orig = Float32Array;
    // Count constructions by wrapping the constructor for the duration of the steady-state steps.
    const spy = new Proxy(Orig, {
      construct(target, args) {
        created.push(String(args[0]));
        return Reflect.construct(target, args);
      },
    });
    (globalThis as { Float32Array: typeof Float32Array }).Float32Array = spy;
    try {
      for (let t = 0; t < 5; t++) fused.lossAndGrad(x, c.rows, y);
      expect(created).toEqual([]);
      void new Float32Array(3); // the spy does see constructions
    } finally {
      (globalThis as { Float32Array: typeof Float32Array }).Float32Array = Orig;
    }
    expect(created).toEqual(['3']);
  });
});
