/**
 * Node adapter (CLI, tests, benchmarks): the standard `GPU` object from the npm package `webgpu`
 * (Dawn). Engine code never imports this file; hosts inject its result into WebGpuBackend.create.
 *
 * Dawn backends: 'vulkan' (Linux with a real GPU), 'metal', 'd3d12', 'opengles' (Mesa/llvmpipe on
 * the CPU, with EGL_PLATFORM=surfaceless for a headless machine), or undefined to let Dawn choose.
 * Not usable inside Electron's main/utility processes: Dawn's mapped ranges are external
 * ArrayBuffers that Electron's V8 memory cage refuses (see docs/webgpu.md).
 */
import { createRequire } from 'node:module';
import type { WGpu } from './gpu-api';

export interface NodeGpuOptions {
  /** Dawn backend name; default: 'opengles' when no GPU is expected, else Dawn's own choice. */
  backend?: 'vulkan' | 'metal' | 'd3d12' | 'opengles' | 'default';
}

let cached: { key: string; gpu: WGpu } | null = null;

/**
 * The GPU object of the `webgpu` package (cached per backend: Dawn keeps one instance per process).
 * @throws Error naming the package when it cannot be loaded.
 */
export async function createNodeGpu(opts: NodeGpuOptions = {}): Promise<WGpu> {
  const backend = opts.backend ?? 'opengles';
  if (cached !== null && cached.key === backend) return cached.gpu;
  if (backend === 'opengles') process.env.EGL_PLATFORM ??= 'surfaceless';
  let mod: { create(flags: string[]): unknown; globals: object };
  try {
    mod = (await import('webgpu')) as unknown as typeof mod;
  } catch (e) {
    // The package is ESM with a native addon; a require fallback helps odd loaders.
    try {
      mod = createRequire(import.meta.url)('webgpu') as typeof mod;
    } catch {
      throw new Error(`WebGPU for Node: cannot load the 'webgpu' package (${(e as Error).message})`);
    }
  }
  // The package's globals (GPUBufferUsage, …) are expected by Dawn's own objects.
  for (const [k, v] of Object.entries(mod.globals))
    if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  const gpu = mod.create(backend === 'default' ? [] : [`backend=${backend}`]) as WGpu;
  cached = { key: backend, gpu };
  return gpu;
}
