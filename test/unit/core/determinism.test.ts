/** Same seed → bit-identical training; different seed → different result. */
import { describe, expect, it } from 'vitest';
import * as E from '../../../engine/index';
import { Rng } from '../../../engine/random/rng';

function train(seed: number): Float32Array {
  const rng = new Rng(seed);
  const backend = new E.CpuBackend();
  const store = new E.ParamStore({ backend });
  const normal = (std: number) => (v: E.HostArray) => {
    for (let i = 0; i < v.length; i++) v[i] = std * rng.normal();
  };
  store.add('W1', [3, 8], normal(0.5));
  store.add('b1', [8], 0);
  store.add('W2', [8, 2], normal(0.3));
  store.add('b2', [2], 0);
  const x = E.randn([16, 3], rng, { backend });
  const labels = Int32Array.from({ length: 16 }, () => rng.int(2));
  const idx = Int32Array.from(labels, (c, i) => i * 2 + c);
  for (let step = 0; step < 30; step++) {
    E.tidy(() => {
      store.zeroGrad();
      store.valueAndGrad((p) => {
        const h = E.tanh(E.add(E.matmul(x, p.W1), p.b1));
        const logits = E.add(E.matmul(h, p.W2), p.b2);
        const picked = E.gather(E.reshape(logits, [32]), idx);
        return E.mean(E.sub(E.logSumExp(logits, 1), picked));
      });
      const P = store.params;
      const G = store.grads;
      for (let i = 0; i < P.length; i++) P[i] -= 0.1 * G[i];
    });
  }
  return Float32Array.from(store.params);
}

describe('determinism', () => {
  it('the same seed gives bit-identical parameters after training', () => {
    const a = train(7);
    const b = train(7);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
  });
  it('a different seed gives different parameters', () => {
    expect(Buffer.from(train(7).buffer).equals(Buffer.from(train(8).buffer))).toBe(false);
  });
});
