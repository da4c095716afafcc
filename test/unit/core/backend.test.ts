/** The CPU backend through the narrow Backend interface: pool, views, async reads, isolation. */
import { describe, expect, it } from 'vitest';
import * as E from '../../../engine/index';

describe('CpuBackend', () => {
  it('allocates, writes, reads asynchronously and synchronously (copies)', async () => {
    const b = new E.CpuBackend();
    const buf = b.allocate(3, 'float64');
    b.write(buf, [1, 2, 3]);
    const r = await b.read(buf);
    expect(Array.from(r)).toEqual([1, 2, 3]);
    r[0] = 99; // a copy: the buffer is unchanged
    expect(b.readSync(buf)[0]).toBe(1);
    expect(b.readValueSync(buf, 2)).toBe(3);
    expect(() => b.write(buf, [1])).toThrow(/1 values for a buffer of 3/);
  });

  it('views share memory and are never pooled; double free is harmless', () => {
    const b = new E.CpuBackend();
    const buf = b.allocate(8, 'float32');
    b.fill(buf, 0);
    const v = b.view(buf, 2, 3);
    b.write(v, [7, 8, 9]);
    expect(Array.from(b.readSync(buf))).toEqual([0, 0, 7, 8, 9, 0, 0, 0]);
    b.free(v);
    expect(b.stats().pooled).toBe(0);
    b.free(buf);
    b.free(buf);
    expect(b.stats()).toMatchObject({ live: 0, pooled: 1, allocations: 1 });
    expect(() => b.view(buf, 6, 3)).toThrow(/outside a buffer of 8/);
  });

  it('tensors read back through await tensor.data()', async () => {
    const t = E.mul(E.tensor([1, 2, 3], [3], { dtype: 'float64' }), 2);
    expect(Array.from(await t.data())).toEqual([2, 4, 6]);
  });

  it('refuses to mix tensors of two backends', () => {
    const a = E.ones([2], { backend: new E.CpuBackend() });
    const b = E.ones([2], { backend: new E.CpuBackend() });
    expect(() => E.add(a, b)).toThrow(/input 1 lives on a different backend instance/);
  });

  it('valueAndGrad leaves only its value and gradients alive', () => {
    const backend = new E.CpuBackend();
    const w = E.tensor([0.5, -0.25, 2], [3], { backend, dtype: 'float64' });
    const live0 = backend.stats().live;
    const r = E.valueAndGrad((p: E.Tensor) => E.sum(E.tanh(E.mul(E.exp(p), p))))(w);
    expect(backend.stats().live).toBe(live0 + 2);
    r.value.dispose();
    r.grads.dispose();
    expect(backend.stats().live).toBe(live0);
  });
});
