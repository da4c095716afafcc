/**
 * Web Worker entry of the trainer (browser host; in the desktop app, the renderer's worker for
 * WebGPU runs — docs/webgpu.md). The same trainer as the desktop app's utilityProcess, over a worker
 * port; WebGPU is offered when the worker's `navigator.gpu` exists and gives an adapter, and a
 * WebGPU run creates its device from that same object.
 */

import { version } from '../../package.json';
import { workerPort, type WorkerScopeLike } from '../../engine/session/port';
import { startTrainer, type GpuLike, type TrainerEnv } from '../../engine/session/trainer';
import { setGemmThreadProvider } from '../../engine/backend/wasm/pool';
import { webGemmThreadProvider, type WebThreadScope } from '../../engine/backend/wasm/threads.web';

/** The parts of a dedicated worker's global scope the trainer uses. */
export type TrainerWorkerScope = WorkerScopeLike & { navigator?: { gpu?: GpuLike | null } };

/**
 * The trainer environment of a Web Worker: `navigator.gpu` injected when the browser exposes it
 * (Chromium ≥ 113, or with --enable-unsafe-webgpu on Linux); CPU only otherwise.
 */
export function workerTrainerEnv(scope: TrainerWorkerScope, appVersion: string = version): TrainerEnv {
  const gpu = scope.navigator?.gpu;
  return { runtime: 'web-worker', version: appVersion, ...(gpu ? { gpu } : {}) };
}

// Start only inside a worker (importing this module elsewhere, e.g. in tests, starts nothing).
const g = globalThis as { self?: unknown; document?: unknown; WorkerGlobalScope?: unknown };
if (typeof g.WorkerGlobalScope === 'function' && g.self !== undefined && g.document === undefined) {
  const scope = g.self as TrainerWorkerScope;
  // GEMM helper threads (nested workers) when the page is cross-origin isolated; else one thread.
  setGemmThreadProvider(webGemmThreadProvider(scope as unknown as WebThreadScope));
  startTrainer(workerPort(scope), workerTrainerEnv(scope));
}
