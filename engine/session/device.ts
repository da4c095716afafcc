/**
 * Backend selection of a training session: 'cpu', 'webgpu' or 'auto' (WebGPU only where it was
 * MEASURED faster for this architecture and batch size, engine/backend/webgpu/autoselect.ts), and
 * the checks that a compiled model can train on the device at all.
 *
 * Invariants: never throws — every outcome is a `BackendDecision` (with the reason when WebGPU is
 * not used) or, for an explicit 'webgpu' that cannot be honoured, an `error` text for a failed run;
 * the WebGPU backend is created lazily (no device is requested for CPU runs).
 */
import type { CompiledModel } from '../compile';
import type { WebGpuBackend } from '../backend/webgpu/backend';
import {
  chooseBackend,
  type BackendChoice as MeasuredChoice,
  type ChooseBackendOptions,
} from '../backend/webgpu/autoselect';

/** Optimizers with a device implementation (engine/backend/webgpu/optim.ts). */
export const DEVICE_OPTIMIZERS: readonly string[] = ['sgd', 'momentum', 'adam'];

/** How the session gets its compute backend. */
export interface SessionBackendOptions {
  /** What the user asked for (default 'cpu'). */
  choice: 'auto' | 'cpu' | 'webgpu';
  /**
   * Creates (or returns the cached) WebGPU backend; rejects with the reason when WebGPU is unavailable
   * (no adapter, failed requestDevice, package missing). Absent: WebGPU is unavailable here.
   */
  gpu?: () => Promise<WebGpuBackend>;
  /** The measurement behind 'auto' (default: chooseBackend, cached per architecture + batch size). */
  choose?: (o: ChooseBackendOptions) => Promise<MeasuredChoice>;
}

/** The backend a session trains on, and why (reported in the `started` event). */
export interface BackendDecision {
  kind: 'cpu' | 'webgpu';
  requested: 'auto' | 'cpu' | 'webgpu';
  /** Why this backend (e.g. 'WebGPU measured faster', 'WebGPU unavailable: no adapter'). */
  reason: string;
  /** The 'auto' measurement (milliseconds per warm training step); absent when none was made. */
  cpuMsPerStep?: number;
  gpuMsPerStep?: number;
  /** cpuMsPerStep / gpuMsPerStep (> 1: WebGPU faster). */
  speedup?: number;
}

/**
 * Why `model` cannot train on the WebGPU backend, or null when it can.
 * Device training covers SGD, momentum and Adam without gradient clipping, and every layer except
 * BatchNorm (its running statistics are updated on the host).
 */
export function deviceBlocker(model: CompiledModel): string | null {
  const o = model.optimizer;
  if (!DEVICE_OPTIMIZERS.includes(o.name))
    return `optimizer '${o.name}' (node '${o.nodeId}') runs on the CPU only; on WebGPU use SGD, momentum or Adam, or train on the CPU`;
  if (o.clipNorm > 0 || o.clipValue > 0)
    return `gradient clipping (optimizer node '${o.nodeId}') runs on the CPU only; set clipNorm and clipValue to 0 or train on the CPU`;
  const bn = model.layers.find((l) => l.config?.type === 'batchnorm');
  if (bn)
    return `BatchNorm (node '${bn.nodeId}') runs on the CPU only (its running statistics live on the host); train on the CPU`;
  return null;
}

/**
 * The MLP that 'auto' times for this model: the input width followed by the output width of every
 * Dense/Maxout layer in order, and the first hidden activation (ReLU when none of tanh/sigmoid).
 * An approximation for graphs with other layers, which the reason says.
 */
export function timingShape(model: CompiledModel): { layers: number[]; hidden: 'relu' | 'tanh' | 'sigmoid' } {
  const layers = [model.dataset.featureWidth];
  for (const l of model.layers)
    if (l.config?.type === 'dense' || l.config?.type === 'maxout') layers.push(l.outputWidth);
  if (layers.length < 2) layers.push(model.outputWidth);
  const act = model.layers.find((l) => l.type === 'Activation.tanh' || l.type === 'Activation.sigmoid');
  const hidden =
    act?.type === 'Activation.tanh' ? 'tanh' : act?.type === 'Activation.sigmoid' ? 'sigmoid' : 'relu';
  return { layers, hidden };
}

/** Adapter descriptions of software renderers. */
const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|swiftshader|softpipe|software/i;

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Decides the backend of a session.
 * @returns `{ decision, gpu }` (gpu set when the decision is 'webgpu') or `{ error }` when an explicit
 *   'webgpu' cannot be honoured (the message names the reason and suggests the CPU).
 */
export async function decideBackend(
  opts: SessionBackendOptions | undefined,
  model: CompiledModel,
  batchSize: number,
): Promise<{ decision: BackendDecision; gpu: WebGpuBackend | null } | { error: string }> {
  const requested = opts?.choice ?? 'cpu';
  const cpu = (reason: string, extra: Partial<BackendDecision> = {}) => ({
    decision: { kind: 'cpu' as const, requested, reason, ...extra },
    gpu: null,
  });
  if (requested === 'cpu') return cpu('CPU chosen');
  const blocker = deviceBlocker(model);
  if (blocker !== null) {
    if (requested === 'webgpu') return { error: `This model cannot train on WebGPU: ${blocker}.` };
    return cpu(`WebGPU cannot train this model: ${blocker}`);
  }
  let gpu: WebGpuBackend;
  try {
    if (!opts?.gpu) throw new Error('no WebGPU entry point in this trainer');
    gpu = await opts.gpu();
  } catch (e) {
    if (requested === 'webgpu')
      return { error: `WebGPU is not available here (${errorText(e)}); choose the CPU backend.` };
    return cpu(`WebGPU unavailable: ${errorText(e)}`);
  }
  if (requested === 'webgpu')
    return { decision: { kind: 'webgpu', requested, reason: 'WebGPU chosen' }, gpu };
  // A software adapter (Mesa llvmpipe, SwiftShader) emulates the GPU on the same CPU cores: it cannot
  // win, and timing a large network on it would take minutes before the run starts.
  const desc = (gpu as { info?: { adapterDescription?: string } }).info?.adapterDescription ?? '';
  if (SOFTWARE_ADAPTER.test(desc))
    return cpu(
      `the WebGPU adapter is a software emulation on the CPU (${desc}); choose WebGPU explicitly to use it`,
    );
  const shape = timingShape(model);
  let m: MeasuredChoice;
  try {
    const choose = opts!.choose ?? chooseBackend;
    m = await choose({ layers: shape.layers, hidden: shape.hidden, batch: batchSize, gpu });
  } catch (e) {
    return cpu(`WebGPU measurement failed: ${errorText(e)}`);
  }
  const figures = { cpuMsPerStep: m.cpuMsPerStep, gpuMsPerStep: m.gpuMsPerStep, speedup: m.speedup };
  const what = `${shape.layers.join('-')} at batch ${batchSize}: CPU ${fmt(m.cpuMsPerStep)} ms/step, WebGPU ${fmt(m.gpuMsPerStep)} ms/step`;
  if (m.choice === 'webgpu')
    return {
      decision: { kind: 'webgpu', requested, reason: `WebGPU measured faster (${what})`, ...figures },
      gpu,
    };
  return cpu(`${m.reason} (${what})`, figures);
}

const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toPrecision(3) : 'n/a');
