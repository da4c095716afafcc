/**
 * Cross-checks the analytic float64 code used by the lecture experiments and the RBF module
 * against the core autodiff (engine/index, float64), as promised in engine/lecture/mlp64.ts.
 */
import { describe, it, expect } from 'vitest';
import {
  abs,
  add,
  div,
  exp,
  log1p,
  matmul,
  maximum,
  mean,
  mul,
  neg,
  reshape,
  sigmoid,
  square,
  sub,
  sum,
  tensor,
  valueAndGrad,
  type Tensor,
} from '../../../engine/index';
import { Mlp64 } from '../../../engine/lecture/mlp64';
import { trainXorRun, xorInitialParams } from '../../../engine/lecture/xor-init';
import { layerGradNorms } from '../../../engine/lecture/vanishing';
import { rbfLossAndGrad, packRbf } from '../../../engine/rbf/rbf';
import { momentum } from '../../../engine/optim/sgd';
import { Rng } from '../../../engine/random/rng';
import { randomRbfModel } from './helpers';

const f64 = (data: ArrayLike<number>, shape: number[]) =>
  tensor(Float64Array.from(data), shape, { dtype: 'float64' });

const XOR_X = [0, 0, 0, 1, 1, 0, 1, 1];
const XOR_Y = [0, 1, 1, 0];

/** 2-4-1 sigmoid net + mean BCE-with-logits, written with core ops. */
function xorLossCore(p: { W1: Tensor; b1: Tensor; W2: Tensor; b2: Tensor }) {
  const x = f64(XOR_X, [4, 2]);
  const y = f64(XOR_Y, [4, 1]);
  const h = sigmoid(add(matmul(x, p.W1), p.b1));
  const z = add(matmul(h, p.W2), p.b2);
  // softplus(z) − y·z, stable: max(z, 0) + log1p(exp(−|z|)) − y·z
  const softplus = add(maximum(z, 0), log1p(exp(neg(abs(z)))));
  return mean(sub(softplus, mul(y, z)));
}

function splitXor(flat: Float64Array) {
  // Mlp64 layout: W1 (2×4), b1 (4), W2 (4×1), b2 (1)
  return {
    W1: f64(flat.subarray(0, 8), [2, 4]),
    b1: f64(flat.subarray(8, 12), [4]),
    W2: f64(flat.subarray(12, 16), [4, 1]),
    b2: f64(flat.subarray(16, 17), [1]),
  };
}

describe('analytic float64 code vs the core autodiff', () => {
  it('XOR 2-4-1: loss and gradient agree at U(−10, 10) initial weights', () => {
    const net = new Mlp64(
      [
        { in: 2, out: 4, bias: true, activation: 'sigmoid' },
        { in: 4, out: 1, bias: true, activation: 'identity' },
      ],
      4,
    );
    for (const seed of [1, 2, 3]) {
      const p = xorInitialParams(net, 'uniform10', new Rng(seed));
      p[9] = 0.3; // non-zero biases exercise their gradients too
      p[16] = -0.2;
      const g = new Float64Array(net.paramCount);
      const loss = net.lossAndGrad(p, XOR_X, XOR_Y, 'bce-logits', g);
      const { value, grads } = valueAndGrad(xorLossCore)(splitXor(p));
      expect(value.item()).toBeCloseTo(loss, 12);
      const flat = [
        ...grads.W1.dataSync(),
        ...grads.b1.dataSync(),
        ...grads.W2.dataSync(),
        ...grads.b2.dataSync(),
      ];
      flat.forEach((v, i) => expect(Math.abs(v - g[i])).toBeLessThan(1e-12 * Math.max(1, Math.abs(v))));
    }
  });

  it('XOR: one full 1000-epoch run trained through the core matches the analytic run', () => {
    const seed = 4;
    const net = new Mlp64(
      [
        { in: 2, out: 4, bias: true, activation: 'sigmoid' },
        { in: 4, out: 1, bias: true, activation: 'identity' },
      ],
      4,
    );
    const p = xorInitialParams(net, 'lecun-normal', new Rng(seed));
    const state = momentum.init(17, { beta: 0.99 });
    const grad = new Float64Array(17);
    const vg = valueAndGrad(xorLossCore);
    for (let e = 0; e < 1000; e++) {
      const { value, grads } = vg(splitXor(p));
      grad.set([
        ...grads.W1.dataSync(),
        ...grads.b1.dataSync(),
        ...grads.W2.dataSync(),
        ...grads.b2.dataSync(),
      ]);
      value.dispose();
      for (const t of Object.values(grads)) t.dispose();
      momentum.update(state, p, grad, { lr: 0.1 });
    }
    const z = net.forward(p, XOR_X);
    const outputs = Array.from(z, (v) => 1 / (1 + Math.exp(-v)));
    const analytic = trainXorRun('lecun-normal', seed).outputs;
    outputs.forEach((o, i) => expect(o).toBeCloseTo(analytic[i], 9));
  });

  it('vanishing-gradients: per-layer gradient norms agree for sigmoid and ReLU stacks', () => {
    for (const setup of ['sigmoid+lecun', 'relu+he'] as const) {
      const depth = 10;
      const width = 16;
      const batch = 32;
      const norms = layerGradNorms(setup, 7, depth, width, batch);
      // Rebuild the same weights and inputs (same Rng stream as layerGradNorms).
      const rng = new Rng(7);
      const std = setup === 'sigmoid+lecun' ? Math.sqrt(1 / width) : Math.sqrt(2 / width);
      const Ws = Array.from({ length: depth }, () =>
        f64(
          Array.from({ length: width * width }, () => std * rng.normal()),
          [width, width],
        ),
      );
      const x = f64(
        Array.from({ length: batch * width }, () => rng.normal()),
        [batch, width],
      );
      const { grads } = valueAndGrad((ws: Tensor[]) => {
        let h = x;
        for (const W of ws) {
          const z = matmul(h, W);
          h = setup === 'sigmoid+lecun' ? sigmoid(z) : maximum(z, 0);
        }
        return div(sum(h), batch);
      })(Ws);
      grads.forEach((g, k) => {
        const n = Math.sqrt(Array.from(g.dataSync()).reduce((s, v) => s + v * v, 0));
        expect(Math.abs(n - norms[k]) / norms[k]).toBeLessThan(1e-10);
      });
    }
  });

  it('RBF: analytic MSE gradient (μ, log σ, W) agrees with the core', () => {
    const rng = new Rng(12);
    const [n, d, k, out] = [6, 2, 3, 2];
    const xs = Array.from({ length: n * d }, () => rng.normal());
    const ys = Array.from({ length: n * out }, () => rng.normal());
    const model = randomRbfModel(rng, k, d, out);
    const v = packRbf(model);
    const g = new Float64Array(v.length);
    const loss = rbfLossAndGrad(v, g, model, xs, n, ys);
    const x = f64(xs, [n, 1, d]);
    const y = f64(ys, [n, out]);
    const { value, grads } = valueAndGrad((p: { mu: Tensor; logSigma: Tensor; W: Tensor; b: Tensor }) => {
      const d2 = sum(square(sub(x, reshape(p.mu, [1, k, d]))), 2); // [n, k]
      const phi = exp(neg(div(d2, mul(2, exp(mul(2, p.logSigma))))));
      const pred = add(matmul(phi, p.W), p.b);
      return mean(square(sub(pred, y)));
    })({
      mu: f64(v.subarray(0, k * d), [k, d]),
      logSigma: f64(v.subarray(k * d, k * d + k), [k]),
      b: f64(v.subarray(k * d + k, k * d + k + out), [out]),
      W: f64(v.subarray(k * d + k + out), [k, out]),
    });
    expect(value.item()).toBeCloseTo(loss, 12);
    const flat = [
      ...grads.mu.dataSync(),
      ...grads.logSigma.dataSync(),
      ...grads.b.dataSync(),
      ...grads.W.dataSync(),
    ];
    flat.forEach((val, i) => expect(Math.abs(val - g[i])).toBeLessThan(1e-12));
  });
});
