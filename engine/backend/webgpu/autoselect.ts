/**
 * "Auto" backend choice: WebGPU only where it is MEASURED faster. Times a few warm training steps
 * (forward + backward + Adam update, loss read back once at the end) of the given MLP at the given
 * batch size on the CPU and on the WebGPU backend, and returns both figures and the choice.
 * Results are cached per architecture + batch size (the key), since they do not change during a
 * session; `clearBackendChoices()` empties the cache (e.g. after the device changed).
 *
 * Invariants: synthetic data and weights come from the seeded Rng (no Math.random); every tensor
 * and buffer made for the measurement is freed; a WebGPU failure (lost device, shader error)
 * yields choice 'cpu' with the error in `reason`, never an exception.
 */
import { adam } from '../../optim/adaptive';
import { keep, tidy } from '../../memory/scope';
import { ParamStore } from '../../memory/param-store';
import { add, matmul, maximum, mean, square, sub, tanh, sigmoid } from '../../ops/ops';
import { Rng } from '../../random/rng';
import { tensor } from '../../tensor/create';
import type { Tensor } from '../../tensor/tensor';
import { CpuBackend } from '../cpu';
import type { Backend } from '../types';
import type { WebGpuBackend } from './backend';
import { WebGpuOptimizer } from './optim';

export interface ChooseBackendOptions {
  /** Layer widths, input first: [in, hidden…, out]. */
  layers: readonly number[];
  batch: number;
  hidden?: 'relu' | 'tanh' | 'sigmoid';
  /** Timed steps per backend (default 5) after `warmup` untimed ones (default 2). */
  steps?: number;
  warmup?: number;
  /** The WebGPU backend, or null when none could be created (then the choice is 'cpu'). */
  gpu: WebGpuBackend | null;
  /** CPU backend to time (default: a private one). */
  cpu?: CpuBackend;
  /** Clock in ms (default: performance.now, else Date.now). */
  now?: () => number;
}

export interface BackendChoice {
  key: string;
  choice: 'cpu' | 'webgpu';
  cpuMsPerStep: number;
  /** NaN when WebGPU was unavailable or failed. */
  gpuMsPerStep: number;
  /** cpuMs / gpuMs (> 1: WebGPU faster). */
  speedup: number;
  reason: string;
}

const cache = new Map<string, BackendChoice>();

export function clearBackendChoices(): void {
  cache.clear();
}

function defaultNow(): () => number {
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  return perf ? () => perf.now() : () => Date.now();
}

function act(h: Tensor, kind: string): Tensor {
  return kind === 'tanh' ? tanh(h) : kind === 'sigmoid' ? sigmoid(h) : maximum(h, 0);
}

/** Builds the MLP on `backend`; returns a step function and a cleanup. */
function buildModel(o: ChooseBackendOptions, backend: Backend, gpu: WebGpuBackend | null) {
  const rng = new Rng(1234);
  const L = o.layers.length - 1;
  const store = new ParamStore({ backend });
  for (let l = 0; l < L; l++) {
    const fanIn = o.layers[l];
    store.add(`W${l}`, [fanIn, o.layers[l + 1]], (v) => {
      const lim = Math.sqrt(6 / fanIn);
      for (let i = 0; i < v.length; i++) v[i] = rng.uniform(-lim, lim);
    });
    store.add(`b${l}`, [o.layers[l + 1]], 0);
  }
  const xs = new Float32Array(o.batch * o.layers[0]).map(() => rng.uniform(-1, 1));
  const ys = new Float32Array(o.batch * o.layers[L]).map(() => rng.uniform(-1, 1));
  const x = keep(tensor(xs, [o.batch, o.layers[0]], { backend }));
  const y = keep(tensor(ys, [o.batch, o.layers[L]], { backend }));
  const hidden = o.hidden ?? 'relu';
  const loss = (p: Readonly<Record<string, Tensor>>): Tensor => {
    let h = x;
    for (let l = 0; l < L; l++) {
      h = add(matmul(h, p[`W${l}`]), p[`b${l}`]);
      if (l < L - 1) h = act(h, hidden);
    }
    return mean(square(sub(h, y)));
  };
  const n = store.length;
  const gpuOpt = gpu ? new WebGpuOptimizer(gpu, 'adam', n) : null;
  const cpuState = gpu ? null : adam.init(n, {});
  const step = (): Tensor =>
    tidy(() => {
      store.zeroGrad();
      const v = keep(store.valueAndGrad(loss).value);
      if (gpuOpt) gpuOpt.update(store.paramsBuffer, store.gradsBuffer, 1e-3);
      else adam.update(cpuState!, store.params, store.grads, { lr: 1e-3 });
      return v;
    });
  const dispose = () => {
    x.dispose();
    y.dispose();
    gpuOpt?.dispose();
    if (gpu) {
      backend.free(store.paramsBuffer);
      backend.free(store.gradsBuffer);
    }
  };
  return { step, dispose };
}

async function time(o: ChooseBackendOptions, backend: Backend, gpu: WebGpuBackend | null): Promise<number> {
  const now = o.now ?? defaultNow();
  const m = buildModel(o, backend, gpu);
  try {
    const run = async (k: number) => {
      let last: Tensor | null = null;
      for (let i = 0; i < k; i++) {
        last?.dispose();
        last = m.step();
      }
      if (last) {
        await last.data();
        last.dispose();
      }
    };
    await run(o.warmup ?? 2);
    const steps = o.steps ?? 5;
    const t0 = now();
    await run(steps);
    return (now() - t0) / steps;
  } finally {
    m.dispose();
  }
}

/**
 * Times both backends on the MLP and returns the figures and the faster one (cached by key).
 * @throws RangeError on an invalid architecture or batch size.
 */
export async function chooseBackend(o: ChooseBackendOptions): Promise<BackendChoice> {
  if (o.layers.length < 2 || o.layers.some((d) => !Number.isInteger(d) || d < 1))
    throw new RangeError(`chooseBackend: layers must be ≥ 2 positive integers, got [${o.layers.join(', ')}]`);
  if (!Number.isInteger(o.batch) || o.batch < 1)
    throw new RangeError(`chooseBackend: invalid batch size ${o.batch}`);
  const key = `${o.layers.join('-')}|${o.hidden ?? 'relu'}|batch ${o.batch}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const cpuMs = await time(o, o.cpu ?? new CpuBackend(), null);
  let gpuMs = NaN;
  let reason: string;
  if (o.gpu === null) reason = 'no WebGPU device';
  else {
    try {
      gpuMs = await time(o, o.gpu, o.gpu);
      reason = gpuMs < cpuMs ? 'WebGPU measured faster' : 'CPU measured faster';
    } catch (e) {
      reason = `WebGPU failed: ${(e as Error).message}`;
    }
  }
  const res: BackendChoice = {
    key,
    choice: gpuMs < cpuMs ? 'webgpu' : 'cpu',
    cpuMsPerStep: cpuMs,
    gpuMsPerStep: gpuMs,
    speedup: cpuMs / gpuMs,
    reason,
  };
  if (o.gpu === null || Number.isFinite(gpuMs)) cache.set(key, res);
  return res;
}
