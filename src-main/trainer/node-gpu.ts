/**
 * WebGPU for Node hosts that run the engine in-process (the CLI, tests): a `WebGpuBackend` on Dawn
 * (npm package `webgpu`). Dawn's backend comes from NETLOOM_GPU_BACKEND (vulkan, metal, d3d12,
 * opengles, default); without it, Dawn's default backend is tried, then OpenGL ES at the
 * compatibility feature level (Mesa llvmpipe on a machine without a GPU; EGL_PLATFORM=surfaceless).
 * NETLOOM_WEBGPU=0 disables WebGPU. Not for Electron processes (see docs/webgpu.md).
 */
import { WebGpuBackend } from '../../engine/backend/webgpu/backend';
import { createNodeGpu, type NodeGpuOptions } from '../../engine/backend/webgpu/webgpu.node.ts';

let cached: Promise<WebGpuBackend> | null = null;

/**
 * The process's WebGPU backend (created once).
 * @throws Error with the reason when WebGPU is disabled, the package cannot load or no adapter exists.
 */
export function nodeGpuBackend(
  env: Record<string, string | undefined> = process.env,
): Promise<WebGpuBackend> {
  cached ??= create(env);
  cached.catch(() => (cached = null));
  return cached;
}

async function create(env: Record<string, string | undefined>): Promise<WebGpuBackend> {
  if (env.NETLOOM_WEBGPU === '0') throw new Error('WebGPU is disabled (NETLOOM_WEBGPU=0)');
  const pref = env.NETLOOM_GPU_BACKEND as NodeGpuOptions['backend'] | undefined;
  const order: NonNullable<NodeGpuOptions['backend']>[] = pref ? [pref] : ['default', 'opengles'];
  const problems: string[] = [];
  for (const backend of order) {
    try {
      const gpu = await createNodeGpu({ backend });
      return await WebGpuBackend.create(gpu, backend === 'opengles' ? { featureLevel: 'compatibility' } : {});
    } catch (e) {
      problems.push(`${backend}: ${(e as Error).message}`);
    }
  }
  throw new Error(`no usable WebGPU adapter (${problems.join('; ')})`);
}
