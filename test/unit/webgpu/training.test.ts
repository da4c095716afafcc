/**
 * Training on WebGPU: the parameter store on the device, the device optimizers against engine/optim's
 * CPU formulas, an Iris 4-8-3 MLP trained on both backends to the same accuracy, device-side softmax,
 * the naive matmul reference against the tiled kernel, buffer reuse, and the auto backend choice.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseBackend, clearBackendChoices } from '../../../engine/backend/webgpu/autoselect';
import { denseForward, softmaxRows } from '../../../engine/backend/webgpu/extras';
import { WebGpuOptimizer } from '../../../engine/backend/webgpu/optim';
import type { Backend } from '../../../engine/backend/types';
import * as E from '../../../engine/index';
import { adam, momentum, sgd, type Optimizer } from '../../../engine/optim';
import { Rng } from '../../../engine/random/rng';
import { expectNear, setupWebGpu } from './gpu';

const { backend: gpu } = await setupWebGpu();
const naive = gpu ? (await setupWebGpu({ matmul: 'naive' })).backend : null;
const cpu = new E.CpuBackend();

describe.skipIf(gpu === null)('WebGPU training', () => {
  it('keeps the parameter store on the device: views, in-place gradient accumulation, setParams', async () => {
    const s = new E.ParamStore({ backend: gpu! });
    s.add('W', [3, 2], (v) => v.set([1, 2, 3, 4, 5, 6]));
    s.add('b', [2], (v) => v.set([0.5, -0.5]));
    expect(s.entries.map((e) => e.offset)).toEqual([0, 64]);
    expect(() => s.params).toThrow(/live on the 'webgpu' device.*readParams/);
    const x = E.tensor([1, -1, 2, 0, 1, 1], [2, 3], { backend: gpu! });
    const loss = (p: Readonly<Record<string, E.Tensor>>) => E.sum(E.square(E.add(E.matmul(x, p.W), p.b)));
    s.zeroGrad();
    const v1 = E.tidy(() => E.keep(s.valueAndGrad(loss).value));
    E.tidy(() => s.valueAndGrad(loss)); // accumulates: grads double
    // Independent hand computation: y = xW + b; L = Σy²; ∂L/∂W = 2xᵀy; ∂L/∂b = 2Σ_rows y.
    const X = [
      [1, -1, 2],
      [0, 1, 1],
    ];
    const W = [
      [1, 2],
      [3, 4],
      [5, 6],
    ];
    const y = X.map((r) => [0, 1].map((j) => r.reduce((a, xi, i) => a + xi * W[i][j], 0) + [0.5, -0.5][j]));
    const L = y.flat().reduce((a, v) => a + v * v, 0);
    expect((await v1.data())[0]).toBeCloseTo(L, 4);
    const g = await s.readGrads();
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 2; j++)
        expect(g[i * 2 + j]).toBeCloseTo(2 * 2 * (X[0][i] * y[0][j] + X[1][i] * y[1][j]), 3);
    expect(g[64]).toBeCloseTo(2 * 2 * (y[0][0] + y[1][0]), 3);
    expect(g[6]).toBe(0); // padding stays zero
    s.setParams(new Float32Array(s.length).fill(0.25));
    expect(Array.from((await s.readParams()).subarray(0, 3))).toEqual([0.25, 0.25, 0.25]);
    expect(Array.from(await s.tensor('b').data())).toEqual([0.25, 0.25]);
  });

  it.each([
    ['sgd', sgd, {}, {}],
    ['momentum', momentum, { beta: 0.8 }, { beta: 0.8 }],
    ['adam', adam, { beta1: 0.85, beta2: 0.99, delta: 1e-7 }, { beta1: 0.85, beta2: 0.99, delta: 1e-7 }],
  ] as const)('%s on the device matches engine/optim over 6 steps', async (name, cpuOpt, hyper, cpuHyper) => {
    const n = 300;
    const rng = new Rng(7);
    const p0 = Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
    const grads = Array.from({ length: 6 }, () => Float32Array.from({ length: n }, () => rng.uniform(-2, 2)));
    const P = p0.slice();
    const opt64 = cpuOpt as unknown as Optimizer;
    const st = opt64.init(n, cpuHyper);
    const pb = gpu!.allocate(n, 'float32');
    const gb = gpu!.allocate(n, 'float32');
    gpu!.write(pb, p0);
    const opt = new WebGpuOptimizer(gpu!, name, n, hyper);
    for (const [t, g] of grads.entries()) {
      const lr = 0.05 / (1 + t);
      opt64.update(st, P, g, { lr });
      gpu!.write(gb, g);
      opt.update(pb, gb, lr);
    }
    expectNear(await gpu!.read(pb), P, 1e-6, 1e-5, `${name} params`);
    expect(Math.max(...P.map((v, i) => Math.abs(v - p0[i])))).toBeGreaterThan(0.01); // it moved
    if (name === 'adam') {
      const [m, v] = await opt.readState();
      const s = st as unknown as { m: Float64Array; v: Float64Array };
      expectNear(m, s.m, 1e-6, 1e-5, 'adam m');
      expectNear(v, s.v, 1e-6, 1e-5, 'adam v');
    }
    opt.dispose();
    gpu!.free(pb);
    gpu!.free(gb);
  });

  it('trains an Iris 4-8-3 MLP to the same accuracy as the CPU backend', async () => {
    const text = readFileSync(join(__dirname, '../../fixtures/data/iris.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    const rows = text.map((l) => l.split(',').map(Number));
    const N = rows.length;
    const X = new Float32Array(N * 4);
    const Y = new Int32Array(N);
    // Standardize each feature (mean 0, std 1), as the lecture prescribes for inputs.
    for (let c = 0; c < 4; c++) {
      const col = rows.map((r) => r[c]);
      const mu = col.reduce((a, b) => a + b, 0) / N;
      const sd = Math.sqrt(col.reduce((a, b) => a + (b - mu) ** 2, 0) / N);
      rows.forEach((r, i) => (X[i * 4 + c] = (r[c] - mu) / sd));
    }
    rows.forEach((r, i) => (Y[i] = r[4]));
    const pick = Int32Array.from(Y, (c, i) => i * 3 + c);

    const train = async (be: Backend) => {
      const rng = new Rng(42);
      const s = new E.ParamStore({ backend: be });
      s.add('W1', [4, 8], (v) => v.forEach((_x, i) => (v[i] = rng.normal() * Math.sqrt(2 / 4))));
      s.add('b1', [8], 0);
      s.add('W2', [8, 3], (v) => v.forEach((_x, i) => (v[i] = rng.normal() * Math.sqrt(2 / 8))));
      s.add('b2', [3], 0);
      const x = E.keep(E.tensor(X, [N, 4], { backend: be }));
      const logits = (p: Readonly<Record<string, E.Tensor>>) =>
        E.add(E.matmul(E.tanh(E.add(E.matmul(x, p.W1), p.b1)), p.W2), p.b2);
      const loss = (p: Readonly<Record<string, E.Tensor>>) => {
        const z = logits(p);
        return E.mean(E.sub(E.logSumExp(z, -1), E.gather(E.reshape(z, [N * 3]), pick)));
      };
      const cpuState = adam.init(s.length, {});
      const gpuOpt = be === gpu ? new WebGpuOptimizer(gpu!, 'adam', s.length) : null;
      for (let step = 0; step < 150; step++) {
        E.tidy(() => {
          s.zeroGrad();
          s.valueAndGrad(loss);
        });
        if (gpuOpt) gpuOpt.update(s.paramsBuffer, s.gradsBuffer, 0.03);
        else adam.update(cpuState, s.params, s.grads, { lr: 0.03 });
      }
      const z = E.tidy(() => logits(s.tensors()));
      const zs = await z.data();
      const finalLoss = await E.tidy(() => loss(s.tensors())).data();
      let correct = 0;
      for (let i = 0; i < N; i++) {
        const r = Array.from(zs.subarray(i * 3, i * 3 + 3));
        if (r.indexOf(Math.max(...r)) === Y[i]) correct++;
      }
      return { acc: correct / N, loss: finalLoss[0], params: await s.readParams() };
    };
    const c = await train(new E.CpuBackend());
    const g = await train(gpu!);
    expect(c.acc).toBeGreaterThan(0.95);
    expect(g.acc).toBe(c.acc);
    expect(Math.abs(g.loss - c.loss)).toBeLessThan(1e-3 + 1e-2 * c.loss);
    expectNear(g.params, c.params, 1e-3, 1e-2, 'Iris weights after 150 Adam steps');
  });

  it('softmaxRows on the device equals exp(x − logSumExp(x)) and rows sum to 1', async () => {
    const rng = new Rng(3);
    const data = Float32Array.from({ length: 5 * 70 }, () => rng.uniform(-40, 40));
    const x = E.tensor(data, [5, 70], { backend: gpu! });
    const p = await softmaxRows(x).data();
    for (let r = 0; r < 5; r++) {
      const row = Array.from(data.subarray(r * 70, r * 70 + 70));
      const m = Math.max(...row);
      const z = row.reduce((a, v) => a + Math.exp(v - m), 0);
      expectNear(
        p.subarray(r * 70, r * 70 + 70),
        row.map((v) => Math.exp(v - m) / z),
        1e-7,
        1e-5,
        `row ${r}`,
      );
    }
    expect(() => softmaxRows(E.tensor([1, 2], [2]))).toThrow(/WebGPU/);
  });

  it.each(['linear', 'relu', 'sigmoid', 'tanh'] as const)(
    'denseForward with fused bias + %s equals the op composition on the CPU',
    async (act) => {
      const rng = new Rng(21);
      const xs = Float32Array.from({ length: 9 * 5 }, () => rng.uniform(-2, 2));
      const ws = Float32Array.from({ length: 5 * 7 }, () => rng.uniform(-1, 1));
      const bs = Float32Array.from({ length: 7 }, () => rng.uniform(-1, 1));
      const on = (be: Backend) => [
        E.tensor(xs, [9, 5], { backend: be }),
        E.tensor(ws, [5, 7], { backend: be }),
        E.tensor(bs, [7], { backend: be }),
      ];
      const [x, W, b] = on(gpu!);
      const got = await denseForward(x, W, b, act).data();
      const [cx, cW, cb] = on(cpu);
      const z = E.add(E.matmul(cx, cW), cb);
      const f = {
        linear: (t: E.Tensor) => t,
        relu: (t: E.Tensor) => E.maximum(t, 0),
        sigmoid: E.sigmoid,
        tanh: E.tanh,
      };
      expectNear(got, f[act](z).dataSync(), 1e-6, 1e-5, act);
      expect(() => denseForward(x, W, cb, act)).toThrow(/same backend/);
    },
  );

  it('the tiled matmul kernel equals the naive reference kernel (edges and partial tiles)', async () => {
    const rng = new Rng(11);
    for (const [m, k, n] of [
      [1, 1, 1],
      [65, 17, 129],
      [130, 70, 3],
    ]) {
      const a = Float32Array.from({ length: m * k }, () => rng.uniform(-1, 1));
      const b = Float32Array.from({ length: k * n }, () => rng.uniform(-1, 1));
      const mm = async (be: Backend, ta: boolean) => {
        const A = ta
          ? E.transpose(E.tensor(a, [m, k], { backend: be }))
          : E.tensor(a, [m, k], { backend: be });
        return E.matmul(A, E.tensor(b, [k, n], { backend: be }), { transA: ta }).data();
      };
      for (const ta of [false, true])
        expectNear(await mm(gpu!, ta), await mm(naive!, ta), 1e-6, 1e-5, `${m}×${k}·${k}×${n}`);
    }
  });

  it('a repeated training step reuses pooled buffers (no new GPU buffers after the first step)', async () => {
    const s = new E.ParamStore({ backend: gpu! });
    s.add('W', [5, 3], 0.1);
    const x = E.keep(E.tensor(new Float32Array(20).fill(0.5), [4, 5], { backend: gpu! }));
    const step = () =>
      E.tidy(() => {
        s.zeroGrad();
        s.valueAndGrad((p) => E.mean(E.square(E.tanh(E.matmul(x, p.W)))));
      });
    step();
    const before = gpu!.stats().allocations;
    for (let i = 0; i < 5; i++) step();
    await gpu!.sync();
    expect(gpu!.stats().allocations).toBe(before);
    expect(gpu!.counters().dispatches).toBeGreaterThan(0);
  });

  it('handles an output that aliases an input (copy path) and empty tensors', async () => {
    const a = E.tensor([1, 2, 3], [3], { backend: gpu! });
    const b = E.tensor([10, 20, 30], [3], { backend: gpu! });
    gpu!.run('sub', [b.buf, a.buf], [[3], [3]], a.buf, [3], {}); // a ← b − a (a is input 1 and output)
    expect(Array.from(await a.data())).toEqual([9, 18, 27]);
    gpu!.run('mul', [a.buf, a.buf], [[3], [3]], a.buf, [3], {}); // a ← a²
    expect(Array.from(await a.data())).toEqual([81, 324, 729]);
    const empty = E.zeros([0, 4], { backend: gpu! });
    expect(Array.from(await E.sum(empty, 0).data())).toEqual([0, 0, 0, 0]);
    const k0 = E.matmul(E.zeros([2, 0], { backend: gpu! }), E.zeros([0, 3], { backend: gpu! }));
    expect(Array.from(await k0.data())).toEqual([0, 0, 0, 0, 0, 0]);
    expect((await E.exp(empty).data()).length).toBe(0);
  });

  it('dispatches wider than 65 535 workgroups wrap into a second grid dimension', async () => {
    const n = 65535 * 64 + 100; // elementwise: more than 65 535 groups of 64 threads
    const x = E.full([n], 0.5, { backend: gpu! });
    const y = E.tidy(() => E.sum(E.mul(x, 2)));
    expect((await y.data())[0]).toBe(n); // integers below 2^24 are exact in float32 partial sums
    const rows = 70000; // reductions: one workgroup per output row
    const r = E.tensor(
      Float32Array.from({ length: rows * 2 }, (_v, i) => i % 7),
      [rows, 2],
      { backend: gpu! },
    );
    const s = await E.sum(r, 1).data();
    expect(s[0]).toBe(1);
    expect(s[rows - 1]).toBe(((2 * rows - 2) % 7) + ((2 * rows - 1) % 7));
  });

  it('chooseBackend times both backends, picks the faster one and caches by architecture + batch', async () => {
    clearBackendChoices();
    let clock = 0;
    const o = { layers: [4, 8, 3], batch: 16, steps: 2, warmup: 1, gpu: gpu!, now: () => clock++ };
    const r = await chooseBackend(o);
    expect(r.key).toBe('4-8-3|relu|batch 16');
    expect(Number.isFinite(r.cpuMsPerStep) && Number.isFinite(r.gpuMsPerStep)).toBe(true);
    expect(r.choice).toBe(r.gpuMsPerStep < r.cpuMsPerStep ? 'webgpu' : 'cpu');
    expect(await chooseBackend(o)).toBe(r); // cached
    const none = await chooseBackend({ ...o, batch: 8, gpu: null });
    expect(none.choice).toBe('cpu');
    expect(none.reason).toMatch(/no WebGPU/);
    await expect(chooseBackend({ ...o, layers: [4] })).rejects.toThrow(RangeError);
  });
});
