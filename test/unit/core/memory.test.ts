/** Scope-based freeing, the buffer pool, and the steady-state allocation test of a training loop. */
import { describe, expect, it } from 'vitest';
import * as E from '../../../engine/index';
import { Rng } from '../../../engine/random/rng';

describe('tidy and keep', () => {
  it('frees intermediates, keeps returned tensors (also nested) and kept ones', () => {
    const backend = new E.CpuBackend();
    const opt = { backend, dtype: 'float64' as const };
    const a = E.tensor([1, 2, 3], [3], opt);
    const live0 = backend.stats().live;
    let inner: E.Tensor | null = null;
    let kept: E.Tensor | null = null;
    const out = E.tidy(() => {
      inner = E.exp(a);
      kept = E.keep(E.mul(a, 3));
      const b = E.add(inner, 1);
      return { b, list: [E.neg(b)] };
    });
    expect(inner!.disposed).toBe(true);
    expect(kept!.disposed).toBe(false);
    expect(out.b.disposed).toBe(false);
    expect(out.list[0].dataSync()[0]).toBeCloseTo(-(Math.E + 1), 14);
    expect(backend.stats().live).toBe(live0 + 3); // b, −b, kept
    expect(() => E.add(inner!, 1)).toThrow(/was disposed.*return it from the tidy callback or keep\(\) it/);
  });

  it('returned tensors move to the enclosing scope and are freed there', () => {
    const backend = new E.CpuBackend();
    const live0 = backend.stats().live;
    let mid: E.Tensor | null = null;
    E.tidy(() => {
      mid = E.tidy(() => E.ones([4], { backend }));
      expect(mid.disposed).toBe(false);
    });
    expect(mid!.disposed).toBe(true);
    expect(backend.stats().live).toBe(live0);
    expect(E.scopeDepth()).toBe(0);
  });

  it('rejects asynchronous callbacks and unwinds the scope on errors', () => {
    expect(() => E.tidy(() => Promise.resolve(1))).toThrow(/synchronous/);
    const backend = new E.CpuBackend();
    expect(() =>
      E.tidy(() => {
        E.zeros([3], { backend });
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(backend.stats().live).toBe(0);
    expect(E.scopeDepth()).toBe(0);
  });

  it('the pool reuses buffers of the same size and dtype', () => {
    const backend = new E.CpuBackend();
    E.tidy(() => E.zeros([10], { backend }) && undefined);
    const n = backend.stats().allocations;
    E.tidy(() => E.zeros([10], { backend }) && undefined);
    expect(backend.stats().allocations).toBe(n);
    E.tidy(() => E.zeros([10], { backend, dtype: 'float64' }) && undefined);
    expect(backend.stats().allocations).toBe(n + 1);
  });
});

describe('steady-state memory of a training loop', () => {
  it('10,000 SGD steps of a 32-64-64-1 MLP allocate nothing after warm-up', () => {
    const backend = new E.CpuBackend();
    const rng = new Rng(42);
    const store = new E.ParamStore({ backend });
    const glorot = (fanIn: number, fanOut: number) => (v: E.HostArray) => {
      const a = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < v.length; i++) v[i] = rng.uniform(-a, a);
    };
    store.add('W1', [32, 64], glorot(32, 64));
    store.add('b1', [64], 0);
    store.add('W2', [64, 64], glorot(64, 64));
    store.add('b2', [64], 0);
    store.add('W3', [64, 1], glorot(64, 1));
    store.add('b3', [1], 0);
    const B = 2;
    const xs = Array.from({ length: B * 32 }, () => rng.normal());
    const ys = Array.from({ length: B }, (_, i) => Math.tanh(xs[i * 32] - xs[i * 32 + 1]));
    const x = E.tensor(xs, [B, 32], { backend });
    const y = E.tensor(ys, [B, 1], { backend });
    const dense = (h: E.Tensor, W: E.Tensor, b: E.Tensor): E.Tensor => E.add(E.matmul(h, W), b);
    const relu = (z: E.Tensor): E.Tensor => E.maximum(z, 0);
    const lossFn = (p: Readonly<Record<string, E.Tensor>>): E.Tensor => {
      const h1 = relu(dense(x, p.W1, p.b1));
      const h2 = relu(dense(h1, p.W2, p.b2));
      const d = E.sub(dense(h2, p.W3, p.b3), y);
      return E.mean(E.mul(d, d));
    };
    const params = store.params;
    const grads = store.grads;
    const lr = 0.01;
    const step = (): number =>
      E.tidy(() => {
        store.zeroGrad();
        const l = store.valueAndGrad(lossFn).value.item();
        for (let i = 0; i < params.length; i++) params[i] -= lr * grads[i];
        return l;
      });
    const first = step();
    for (let s = 1; s < 200; s++) step();
    const allocAfterWarmup = backend.stats().allocations;
    const live = backend.stats().live;
    let buffersAt1000 = 0;
    let last = first;
    for (let s = 200; s < 10_000; s++) {
      last = step();
      if (s === 1000) buffersAt1000 = process.memoryUsage().arrayBuffers;
    }
    const buffersAtEnd = process.memoryUsage().arrayBuffers;
    expect(backend.stats().allocations).toBe(allocAfterWarmup);
    expect(backend.stats().live).toBe(live);
    expect(Math.abs(buffersAtEnd - buffersAt1000)).toBeLessThan(256 * 1024);
    expect(last).toBeLessThan(first * 0.1); // it did train
  });
});
