/**
 * Entry of the trainer process. Built to out/main/trainer.js (Electron) and
 * out/trainer/trainer.mjs (scripts/build-trainer.mjs, for the CLI and integration tests); the
 * same module runs as an Electron utilityProcess and as a Node `child_process.fork` child.
 *
 * WebGPU: offered when the `webgpu` package (Dawn for Node) loads and finds an adapter (Dawn's default
 * backend, else OpenGL ES — Mesa on a machine without a GPU; NETLOOM_GPU_BACKEND forces one); set
 * NETLOOM_WEBGPU=0 (or the older NETLOOM_TRAINER_WEBGPU=0) to skip probing. The Electron
 * utilityProcess never loads it (the addon targets Node's ABI, and Electron's memory cage refuses
 * Dawn's external ArrayBuffers): desktop WebGPU runs belong in a renderer Web Worker (docs/webgpu.md).
 *
 * CPU threads: large matrix products use the GEMM helper threads (worker_threads on a shared
 * WebAssembly memory, engine/backend/wasm/threads.node.ts) — automatically 2 on a machine with ≥ 2
 * cores when a layer is large enough (engine/backend/wasm/pool.ts); NETLOOM_THREADS=N sets the count
 * (1 = one thread). Each run starts the pool and closes it when it ends.
 */

import { readFile } from 'node:fs/promises';
import { version } from '../../package.json';
import { nodeTrainerPort } from '../../engine/session/port.node';
import { startTrainer, type GpuLike } from '../../engine/session/trainer';
import { setGemmThreadProvider } from '../../engine/backend/wasm/pool';
import { nodeGemmThreadProvider } from '../../engine/backend/wasm/threads.node.ts';

const { port, runtime } = nodeTrainerPort();

/** NETLOOM_THREADS as a thread count (undefined: automatic); a bad value is ignored with a warning. */
function threadsFromEnv(): number | undefined {
  const v = process.env.NETLOOM_THREADS;
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (Number.isInteger(n) && n >= 1) return n;
  console.warn(
    `netloom trainer: NETLOOM_THREADS must be a positive integer, got '${v}'; using automatic threads`,
  );
  return undefined;
}

try {
  setGemmThreadProvider(nodeGemmThreadProvider(threadsFromEnv()));
} catch (e) {
  // No worker_threads here: every product runs on this thread (same results).
  console.warn(`netloom trainer: no GEMM helper threads (${e instanceof Error ? e.message : String(e)})`);
}

type DawnModule = { create(flags: string[]): GpuLike; globals: object };

async function loadDawn(): Promise<GpuLike | undefined> {
  // A thrown reason is reported to the user when WebGPU is asked for (engine/session/trainer.ts).
  if (process.env.NETLOOM_WEBGPU === '0' || process.env.NETLOOM_TRAINER_WEBGPU === '0')
    throw new Error('disabled by NETLOOM_WEBGPU=0');
  // The `webgpu` addon is built for Node's ABI, and Electron's memory cage refuses its buffers.
  if (runtime === 'utility-process')
    throw new Error(
      "the desktop trainer process cannot use WebGPU; WebGPU runs go to the renderer's Web Worker",
    );
  // A variable specifier keeps bundlers from trying to inline the native module.
  const specifier = 'webgpu';
  const mod = (await import(/* @vite-ignore */ specifier)) as DawnModule;
  // Dawn's objects expect the package's globals (GPUBufferUsage, …).
  for (const [k, v] of Object.entries(mod.globals))
    if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  const forced = process.env.NETLOOM_GPU_BACKEND;
  if (forced) {
    if (forced === 'opengles') process.env.EGL_PLATFORM ??= 'surfaceless';
    return mod.create(forced === 'default' ? [] : [`backend=${forced}`]);
  }
  const dflt = mod.create([]);
  if (await dflt.requestAdapter()) return dflt;
  // No adapter from the default backend (no Vulkan driver…): OpenGL ES, headless.
  process.env.EGL_PLATFORM ??= 'surfaceless';
  return mod.create(['backend=opengles']);
}

startTrainer(port, {
  runtime,
  version,
  gpu: loadDawn,
  readFile: async (p) => new Uint8Array(await readFile(p)),
});
