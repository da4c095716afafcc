import { describe, expect, it } from 'vitest';
import { ParamStore, tensor, tidy, type Tensor } from '../../../engine/index';
import { addLayerParams, batchNorm, dense, layerParams, paramView, rbf } from '../../../engine/nn';
import { mse } from '../../../engine/losses';
import { Rng } from '../../../engine/random/rng';

/** Plain gradient descent θ ← θ − α∇L on the store (lecture Algorithm 1); returns the last loss. */
function train(
  store: ParamStore,
  loss: (p: Readonly<Record<string, Tensor>>) => Tensor,
  steps: number,
  lr: number,
): number {
  let v = NaN;
  for (let t = 0; t < steps; t++) {
    store.zeroGrad();
    v = tidy(() => store.valueAndGrad(loss).value.item());
    const P = store.params;
    const G = store.grads;
    for (let i = 0; i < P.length; i++) P[i] -= lr * G[i];
  }
  return v;
}

describe('RBF network: the lecture’s 2-step and 3-step learning recipes', () => {
  it('step 2 trains only w with μ, σ frozen; step 3 trains everything and lowers the loss further', () => {
    const n = 40;
    const xs = Array.from({ length: n }, (_, i) => -2 + (4 * i) / (n - 1));
    const X = tensor(xs, [n, 1], { dtype: 'float64' });
    const Y = tensor(
      xs.map((x) => Math.sin(2 * x)),
      [n, 1],
      { dtype: 'float64' },
    );
    const store = new ParamStore({ dtype: 'float64' });
    const rng = new Rng(3);
    // Step 1 (fit centres and widths) stands in as a fixed grid of 6 centres with σ = 0.6.
    const r = addLayerParams(
      store,
      'rbf',
      layerParams(
        {
          type: 'rbf',
          centres: 6,
          initialWidth: 0.6,
          centreInit: { kind: 'uniform', a: 0, b: 0 },
          trainCentres: false,
          trainWidths: false,
        },
        [1],
      ),
      rng,
    );
    const o = addLayerParams(
      store,
      'out',
      layerParams({ type: 'dense', units: 1, bias: false, weightInit: { kind: 'zeros' } }, [7]),
      rng,
    );
    paramView(store, r.centres).set([-2, -1.2, -0.4, 0.4, 1.2, 2]);
    const loss = (p: Readonly<Record<string, Tensor>>) =>
      mse(dense(rbf(X, p[r.centres], p[r.widths]), p[o.weight], null), Y);
    const before = tidy(() => loss(store.tensors()).item());
    const centres0 = [...paramView(store, r.centres)];
    const after2 = train(store, loss, 400, 0.5);
    expect(after2).toBeLessThan(before / 5);
    expect([...paramView(store, r.centres)]).toEqual(centres0); // frozen in step 2
    store.spec(r.centres).trainable = true; // step 3: fit everything
    store.spec(r.widths).trainable = true;
    const after3 = train(store, loss, 400, 0.2);
    expect(after3).toBeLessThan(after2);
    expect([...paramView(store, r.centres)]).not.toEqual(centres0);
  });
});

describe('BatchNorm with its running statistics in the parameter store', () => {
  it('training updates the store’s running statistics; the optimizer sees zero gradient for them', () => {
    const store = new ParamStore({ dtype: 'float64' });
    const n = addLayerParams(store, 'bn', layerParams({ type: 'batchnorm', momentum: 0.5 }, [2]), new Rng(0));
    const x = tensor([1, 4, 3, 8], [2, 2], { dtype: 'float64' });
    const state = { mean: paramView(store, n.running_mean), var: paramView(store, n.running_var) };
    store.zeroGrad();
    store.valueAndGrad((p) =>
      mse(
        batchNorm(x, p[n.gamma], p[n.beta], state, { training: true, momentum: 0.5 }),
        tensor([0, 0, 0, 0], [2, 2], { dtype: 'float64' }),
      ),
    );
    // mean (2, 6); unbiased variance (2, 8); r ← ½r + ½batch from r = (0, 0) and (1, 1).
    expect([...paramView(store, n.running_mean)]).toEqual([1, 3]);
    expect([...paramView(store, n.running_var)]).toEqual([1.5, 4.5]);
    const s = store.spec(n.running_mean);
    expect([...store.grads.subarray(s.offset, s.offset + 2)]).toEqual([0, 0]);
  });
});
