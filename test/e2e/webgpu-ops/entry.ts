/**
 * Browser entry of the op suite on Chromium's WebGPU (SwiftShader): bundled by
 * test/e2e/webgpu-ops.spec.ts with esbuild and run on a same-origin test page. It runs the shared
 * cases of test/unit/webgpu/cases.ts on the CPU backend and on a WebGpuBackend created from the
 * page's `navigator.gpu`, and publishes, per case, the worst error as a multiple of the tolerance
 * (≤ 1 passes) on `window.__webgpuOps` (a promise of an OpsReport).
 */
import { CpuBackend } from '../../../engine/backend/cpu';
import type { WGpu } from '../../../engine/backend/webgpu/gpu-api';
import { WebGpuBackend } from '../../../engine/backend/webgpu/backend';
import {
  CASES,
  GRAD_CASES,
  caseGroup,
  gradInputs,
  gradsOn,
  makeInputs,
  rtolOf,
  runOn,
  worstError,
} from '../../unit/webgpu/cases';
import type { CaseResult, OpsReport } from './report';

async function run(): Promise<OpsReport> {
  const gpuApi = (navigator as unknown as { gpu?: WGpu }).gpu;
  if (!gpuApi) return { backend: null, reason: 'navigator.gpu is undefined on the page', results: [] };
  // No adapter is the one reason to skip; any later failure (device, kernels) rejects → the test fails.
  if (!(await gpuApi.requestAdapter()))
    return { backend: null, reason: 'navigator.gpu.requestAdapter() returned null', results: [] };
  const gpu = await WebGpuBackend.create(gpuApi);
  const cpu = new CpuBackend();
  const results: CaseResult[] = [];
  for (const [i, c] of CASES.entries()) {
    try {
      const xs = makeInputs(c, 100 + i);
      const got = await runOn(gpu, c, xs);
      const onCpu = await runOn(cpu, c, xs);
      const rtol = rtolOf(c);
      results.push({
        name: c.name,
        group: caseGroup(c),
        rtol,
        // Both backends sum in float32, each within the slack of the exact value (and the CPU's Wasm
        // GEMM may fuse multiply-adds where the runtime has relaxed SIMD): twice the slack between them.
        vsCpu: [worstError(got, onCpu, 1e-6, rtol, doubled(c.slack?.(xs)))],
        vsReference: worstError(got, c.ref(xs), 1e-6, rtol, c.slack?.(xs)),
        gradientNonZero: true,
        error: '',
      });
    } catch (e) {
      results.push(failed(c.name, caseGroup(c), e));
    }
  }
  for (const [i, c] of GRAD_CASES.entries()) {
    try {
      const xs = gradInputs(c, i);
      const onCpu = await gradsOn(cpu, c, xs);
      const onGpu = await gradsOn(gpu, c, xs);
      results.push({
        name: c.name,
        group: 'vjp',
        rtol: 1e-5,
        // [value, grad 0, grad 1, …]
        vsCpu: onCpu.map((ref, k) => worstError(onGpu[k], ref, 1e-6, 1e-5)),
        vsReference: null,
        gradientNonZero: onCpu.slice(1).some((g) => g.some((v) => Math.abs(v) > 1e-3)),
        error: '',
      });
    } catch (e) {
      results.push(failed(c.name, 'vjp', e));
    }
  }
  const { adapterDescription, featureLevel, matmul, tile } = gpu.info;
  gpu.destroy();
  return { backend: { adapterDescription, featureLevel, matmul, tile }, reason: '', results };
}

function failed(name: string, group: CaseResult['group'], e: unknown): CaseResult {
  const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return { name, group, rtol: 0, vsCpu: [], vsReference: null, gradientNonZero: false, error };
}

(window as unknown as { __webgpuOps: Promise<OpsReport> }).__webgpuOps = run();

/** Twice each element's slack (two float32 results, each within the slack of the exact value). */
function doubled(slack: ArrayLike<number> | undefined): number[] | undefined {
  return slack ? Array.from(slack, (v) => 2 * v) : undefined;
}
