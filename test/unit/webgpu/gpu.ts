/**
 * Shared WebGPU setup for the backend tests: a WebGpuBackend on Dawn's OpenGL ES backend (Mesa
 * llvmpipe here, EGL_PLATFORM=surfaceless for a headless machine). When no adapter exists the
 * WebGPU suites skip LOUDLY with the reason; set NETLOOM_REQUIRE_WEBGPU=1 to make that a failure.
 */
import { WebGpuBackend } from '../../../engine/backend/webgpu/backend';
import { createNodeGpu } from '../../../engine/backend/webgpu/webgpu.node';

export interface GpuSetup {
  backend: WebGpuBackend | null;
  reason: string;
}

/** Creates a backend (one per test file: vitest runs files in separate processes). */
export async function setupWebGpu(opts: { matmul?: 'tiled' | 'naive' } = {}): Promise<GpuSetup> {
  process.env.EGL_PLATFORM ??= 'surfaceless';
  try {
    const gpu = await createNodeGpu({
      backend: (process.env.NETLOOM_GPU_BACKEND as 'opengles') ?? 'opengles',
    });
    const backend = await WebGpuBackend.create(gpu, { featureLevel: 'compatibility', ...opts });
    return { backend, reason: '' };
  } catch (e) {
    const reason = (e as Error).message;
    if (process.env.NETLOOM_REQUIRE_WEBGPU === '1') throw e;
    console.error(`\n*** WebGPU tests SKIPPED: ${reason} ***\n`);
    return { backend: null, reason };
  }
}

/** |a − b| ≤ atol + rtol·|b| elementwise (b = the reference), with the first offending index in the message. */
export function expectNear(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  atol = 1e-6,
  rtol = 1e-5,
  what = '',
  slack?: ArrayLike<number>,
): void {
  if (actual.length !== expected.length)
    throw new Error(`${what}: length ${actual.length}, expected ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (!Number.isFinite(e) && a === e) continue;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e) + (slack ? slack[i] : 0))) {
      throw new Error(`${what}: element ${i}: got ${a}, expected ${e} (atol ${atol}, rtol ${rtol})`);
    }
  }
}
