/**
 * `npm run bench -- --suite webgpu [--gpu-backend default|vulkan|metal|d3d12|opengles] [--steps N] [--only xor,...]
 *  [--read-every K]`: trains the workloads W1–W4 of bench/workloads.json (hash-generated data and weights,
 * bench/WORKLOADS.md) for a SMALL number of steps on the CPU backend and on the WebGPU backend with the same
 * model code, and reports samples/s on each and the ratio WebGPU/CPU. Writes bench-results/webgpu.json.
 *
 * What is timed: forward + backward + optimizer update (engine/optim on the CPU, the device optimizer kernels on
 * WebGPU). The CPU reads the loss every step (synchronous, cheap); WebGPU reads it every K steps (default 10)
 * and once at the end, and the clock stops only after the device has finished (`sync`).
 * Without --gpu-backend, Dawn's default backend is tried first (Vulkan/Metal/D3D12 on a real GPU), then
 * OpenGL ES (Mesa llvmpipe on a machine without a GPU: that measures a CPU EMULATION, not a GPU).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebGpuBackend } from '../../engine/backend/webgpu/backend';
import { WebGpuOptimizer } from '../../engine/backend/webgpu/optim';
import type { NodeGpuOptions } from '../../engine/backend/webgpu/webgpu.node';
import type { Backend } from '../../engine/backend/types';
import { add, CpuBackend, keep, ParamStore, sigmoid, tensor, tidy, type Tensor } from '../../engine/index';
import { bce, crossEntropyWithLogits, mse } from '../../engine/losses';
import { dense, relu } from '../../engine/nn';
import { getOptimizer } from '../../engine/optim/registry';
import { batchRange, inputs, targets, weights, type WorkloadSpec } from '../data';

const here = dirname(fileURLToPath(import.meta.url));
const ORDER = ['xor', 'tabular', 'mnist', 'wide'] as const;
const LABEL: Record<string, string> = {
  xor: 'W1 xor',
  tabular: 'W2 tabular',
  mnist: 'W3 mnist',
  wide: 'W4 wide',
};
const STEPS: Record<string, number> = { xor: 200, tabular: 60, mnist: 10, wide: 3 };
const WARMUP: Record<string, number> = { xor: 20, tabular: 5, mnist: 2, wide: 1 };

interface Model {
  step(t: number, readLoss: boolean): number | null;
  lastLoss(): Promise<number>;
  rows(t: number): number;
}

/** One workload's model on `backend`; the same code for both backends except the optimizer. */
function buildModel(
  id: string,
  w: WorkloadSpec,
  backend: Backend,
  gpu: WebGpuBackend | null,
  nBatches: number,
): Model {
  const xor = id === 'xor';
  const L = w.layers.length - 1;
  const store = new ParamStore({ backend });
  for (let l = 0; l < L; l++) {
    const W = weights(w, l);
    store.add(`W${l}`, [w.layers[l], w.layers[l + 1]], (v) => v.set(W));
    store.add(`b${l}`, [w.layers[l + 1]], 0);
  }
  const X = inputs(w, xor);
  const Y = targets(w, X, xor);
  const nIn = w.layers[0];
  const batches: { x: Tensor; y: Tensor | null; cls: Int32Array | null; rows: number }[] = [];
  for (let b = 0; b < nBatches; b++) {
    const [s, e] = batchRange(w, b);
    const x = keep(tensor(X.subarray(s * nIn, e * nIn), [e - s, nIn], { backend }));
    if (Y instanceof Int32Array) batches.push({ x, y: null, cls: Y.slice(s, e), rows: e - s });
    else
      batches.push({ x, y: keep(tensor(Y.subarray(s, e), [e - s, 1], { backend })), cls: null, rows: e - s });
  }
  const o = w.optimizer;
  const name = o.name === 'adam' ? 'adam' : (o.momentum ?? 0) > 0 ? 'momentum' : 'sgd';
  const hyper: Record<string, number> =
    name === 'adam'
      ? { beta1: o.beta1 ?? 0.9, beta2: o.beta2 ?? 0.999, delta: o.eps ?? 1e-8 }
      : name === 'momentum'
        ? { beta: o.momentum! }
        : {};
  const cpuOpt = getOptimizer(name);
  const cpuState = gpu ? null : cpuOpt.init(store.length, hyper);
  const gpuOpt = gpu ? new WebGpuOptimizer(gpu, name, store.length, hyper) : null;
  let last: Tensor | null = null;
  const forward = (p: Readonly<Record<string, Tensor>>, x: Tensor) => {
    let h = x;
    for (let l = 0; l < L; l++) {
      h = dense(h, p[`W${l}`], p[`b${l}`]);
      if (l < L - 1) h = w.hidden === 'relu' ? relu(h) : sigmoid(h);
      else if (w.output === 'sigmoid') h = sigmoid(h);
    }
    return h;
  };
  return {
    step(t, readLoss) {
      const b = batches[t % batches.length];
      store.zeroGrad();
      last?.dispose();
      last = tidy(() =>
        keep(
          store.valueAndGrad((p) => {
            const out = forward(p, b.x);
            if (w.loss === 'softmax_ce') return crossEntropyWithLogits(out, b.cls!);
            return w.loss === 'bce' ? bce(out, b.y!) : mse(out, b.y!);
          }).value,
        ),
      );
      if (gpuOpt) gpuOpt.update(store.paramsBuffer, store.gradsBuffer, o.lr);
      else cpuOpt.update(cpuState!, store.params, store.grads, { lr: o.lr });
      return readLoss && !gpu ? last.item() : null;
    },
    async lastLoss() {
      return last ? (await last.data())[0] : NaN;
    },
    rows: (t) => batches[t % batches.length].rows,
  };
}

async function timeModel(
  m: Model,
  steps: number,
  warm: number,
  readEvery: number,
  gpu: WebGpuBackend | null,
) {
  for (let t = 0; t < warm; t++) m.step(t, false);
  await m.lastLoss();
  let rows = 0;
  const t0 = performance.now();
  for (let t = 0; t < steps; t++) {
    m.step(t, true);
    if (gpu && readEvery > 0 && (t + 1) % readEvery === 0) await m.lastLoss();
    rows += m.rows(t);
  }
  const loss = await m.lastLoss();
  if (gpu) await gpu.sync();
  const ms = performance.now() - t0;
  return { samplesPerSec: rows / (ms / 1000), msPerStep: ms / steps, loss };
}

/**
 * Fused bias + ReLU (one kernel) against the op composition relu(x + b) (add, compare, select and their scalar
 * fills) on the device, for a [rows, cols] activation: ms per call and dispatches per call.
 */
async function fusionBench(gpu: WebGpuBackend, rows: number, cols: number, reps: number) {
  const x = keep(
    tensor(
      new Float32Array(rows * cols).map((_v, i) => Math.sin(i)),
      [rows, cols],
      { backend: gpu },
    ),
  );
  const b = keep(
    tensor(
      new Float32Array(cols).map((_v, i) => Math.cos(i)),
      [cols],
      { backend: gpu },
    ),
  );
  const out = gpu.allocate(rows * cols, 'float32');
  const time = async (f: () => void) => {
    f();
    await gpu.sync();
    const d0 = gpu.counters().dispatches;
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) f();
    await gpu.sync();
    return { ms: (performance.now() - t0) / reps, dispatches: (gpu.counters().dispatches - d0) / reps };
  };
  const composed = await time(() => tidy(() => void relu(add(x, b))));
  const fused = await time(() => gpu.runBiasActivation(x.buf, b.buf, out, cols, 'relu'));
  gpu.free(out);
  x.dispose();
  b.dispose();
  return { rows, cols, composed, fused, speedup: composed.ms / fused.ms };
}

async function makeGpu(flag: string | undefined): Promise<{ backend: WebGpuBackend; dawn: string }> {
  // tsx resolves an extensionless 'x.node' import as a native addon: import the adapter by its full name.
  const adapter = '../../engine/backend/webgpu/webgpu.node.ts';
  const { createNodeGpu } = (await import(
    adapter
  )) as typeof import('../../engine/backend/webgpu/webgpu.node');
  const tries: NodeGpuOptions['backend'][] = flag
    ? [flag as NodeGpuOptions['backend']]
    : ['default', 'opengles'];
  let lastErr: unknown = null;
  for (const b of tries) {
    try {
      const backend = await WebGpuBackend.create(await createNodeGpu({ backend: b }), {
        powerPreference: 'high-performance',
      });
      return { backend, dawn: b! };
    } catch (e) {
      lastErr = e;
    }
  }
  throw lastErr;
}

export async function run(args: string[]): Promise<void> {
  const arg = (k: string) => {
    const i = args.indexOf(k);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const only = (arg('--only') ?? ORDER.join(',')).split(',');
  for (const o of only)
    if (!(ORDER as readonly string[]).includes(o)) throw new RangeError(`--only: unknown workload '${o}'`);
  const stepsArg = arg('--steps');
  const readEvery = Number(arg('--read-every') ?? 10);
  const all = JSON.parse(readFileSync(join(here, '..', 'workloads.json'), 'utf8')) as Record<
    string,
    WorkloadSpec
  >;
  const { backend: gpu, dawn } = await makeGpu(arg('--gpu-backend'));
  const results = [];
  for (const id of ORDER) {
    if (!only.includes(id)) continue;
    const w = all[id];
    const steps = stepsArg ? Number(stepsArg) : STEPS[id];
    const warm = WARMUP[id];
    const nb = Math.min(Math.ceil(w.rows / w.batch), steps + warm);
    const cpu = await timeModel(buildModel(id, w, new CpuBackend(), null, nb), steps, warm, readEvery, null);
    const g = await timeModel(buildModel(id, w, gpu, gpu, nb), steps, warm, readEvery, gpu);
    results.push({ id, steps, batch: w.batch, cpu, webgpu: g, ratio: g.samplesPerSec / cpu.samplesPerSec });
    console.error(`${LABEL[id]}: done`);
  }
  const fusion = await fusionBench(gpu, 256, 512, 20);
  const f = (v: number, d = 0) =>
    v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  console.log(
    `\nwebgpu benchmark — device: ${gpu.info.adapterDescription} (Dawn ${dawn}, ${gpu.info.featureLevel}, matmul ${gpu.info.matmul} ${gpu.info.tile}×${gpu.info.tile})`,
  );
  const head = [
    'workload',
    'steps×batch',
    'CPU samples/s',
    'WebGPU samples/s',
    'WebGPU/CPU',
    'CPU loss',
    'WebGPU loss',
  ];
  const rows = results.map((r) => [
    LABEL[r.id],
    `${r.steps}×${r.batch}`,
    f(r.cpu.samplesPerSec),
    f(r.webgpu.samplesPerSec),
    `${r.ratio.toFixed(2)}×`,
    r.cpu.loss.toFixed(5),
    r.webgpu.loss.toFixed(5),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(head));
  console.log(widths.map((x) => '-'.repeat(x)).join('  '));
  for (const r of rows) console.log(line(r));
  console.log(
    `\nbias + ReLU on [${fusion.rows}, ${fusion.cols}]: composed ${fusion.composed.ms.toFixed(3)} ms (${fusion.composed.dispatches} dispatches), ` +
      `fused ${fusion.fused.ms.toFixed(3)} ms (${fusion.fused.dispatches} dispatch) → ${fusion.speedup.toFixed(2)}×`,
  );
  if (/llvmpipe|swiftshader|lavapipe/i.test(gpu.info.adapterDescription))
    console.log(
      '\nnote: the WebGPU adapter is a CPU emulation (Mesa/SwiftShader); these figures say nothing about a real GPU.',
    );
  const out = join(here, '..', '..', 'bench-results');
  mkdirSync(out, { recursive: true });
  const file = join(out, 'webgpu.json');
  writeFileSync(
    file,
    JSON.stringify(
      {
        suite: 'webgpu',
        date: new Date().toISOString(),
        node: process.version,
        cpu: cpus()[0]?.model ?? '?',
        cores: cpus().length,
        adapter: gpu.info.adapterDescription,
        dawnBackend: dawn,
        featureLevel: gpu.info.featureLevel,
        readEvery,
        counters: gpu.counters(),
        results,
        fusion,
      },
      null,
      2,
    ),
  );
  console.log(`\nwrote ${file}`);
  gpu.destroy();
}
