/**
 * The backend-parameterised op suite: every primitive (and the compositions built from them) runs
 * on each backend and is compared with values computed independently here in float64 JS; on WebGPU
 * the results must also match the CPU backend within 1e−6 + 1e−5·|cpu| (1e−4 relative for
 * reductions over more than 10⁴ elements). Shapes are small: Mesa's llvmpipe is slow. The cases live
 * in ./cases (shared with the Chromium/SwiftShader run, test/e2e/webgpu-ops.spec.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../../engine/backend/types';
import * as E from '../../../engine/index';
import { CASES, GRAD_CASES, gradInputs, gradsOn, makeInputs, rtolOf, runOn } from './cases';
import { expectNear, setupWebGpu } from './gpu';

const { backend: gpu } = await setupWebGpu();
const cpu = new E.CpuBackend();
const BACKENDS: [string, Backend | null][] = [
  ['cpu', cpu],
  ['webgpu', gpu],
];

describe.each(BACKENDS)('primitives on the %s backend', (name, be) => {
  describe.skipIf(be === null)(`${name}`, () => {
    it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s', async (_n, c, i) => {
      const xs = makeInputs(c, 100 + i);
      const got = await runOn(be!, c, xs);
      const rtol = rtolOf(c);
      const slack = c.slack?.(xs);
      // Two float32 sums, each within `slack` of the exact value: twice the slack between them.
      const between = slack ? Array.from(slack, (v) => 2 * v) : undefined;
      if (be !== cpu)
        expectNear(got, await runOn(cpu, c, xs), 1e-6, rtol, `${c.name} vs CPU backend`, between);
      const ref = c.ref(xs);
      expectNear(got, ref, 1e-6, rtol, `${c.name} vs float64 reference`, slack);
    });
  });
});

describe.skipIf(gpu === null)('VJPs on WebGPU match the CPU backend', () => {
  it.each(GRAD_CASES.map((c, i) => [c.name, c, i] as const))('%s', async (_n, c, i) => {
    const xs = gradInputs(c, i);
    const onCpu = await gradsOn(cpu, c, xs);
    const onGpu = await gradsOn(gpu!, c, xs);
    onCpu.forEach((ref, k) =>
      expectNear(onGpu[k], ref, 1e-6, 1e-5, `${c.name}: ${k === 0 ? 'value' : `grad ${k - 1}`}`),
    );
    // The gradient must not be trivially zero (else the comparison proves nothing).
    expect(onCpu.slice(1).some((g) => g.some((v) => Math.abs(v) > 1e-3))).toBe(true);
  });
});
