/**
 * Compile-time guarantees (checked by `tsc -p tsconfig.test.json`): a rule or kernel table
 * missing a primitive does not type-check. At run time the tables are complete.
 */
import { describe, expect, it } from 'vitest';
import { CPU_KERNELS, type CpuKernels } from '../../../engine/backend/cpu-kernels';
import { RULES, type Rules } from '../../../engine/ops/rules';

function withoutExp<T extends { exp: unknown }>(t: T): Omit<T, 'exp'> {
  const { exp: _drop, ...rest } = t;
  return rest;
}

describe('primitive tables are complete by construction', () => {
  it('tsc rejects tables with a missing primitive', () => {
    // @ts-expect-error — a rule table without 'exp' is not a Rules
    const badRules: Rules = withoutExp(RULES);
    // @ts-expect-error — a kernel table without 'exp' is not CpuKernels
    const badKernels: CpuKernels = withoutExp(CPU_KERNELS);
    expect(Object.keys(badRules)).not.toContain('exp');
    expect(Object.keys(badKernels)).not.toContain('exp');
  });
  it('rules and CPU kernels cover the same primitives', () => {
    expect(Object.keys(CPU_KERNELS).sort()).toEqual(Object.keys(RULES).sort());
  });
});

describe('ParamStore plugs into the optimizer contract (engine/optim/types.ts)', () => {
  it('lossAndGradFn and hvpFn have the optimizer context types', async () => {
    const E = await import('../../../engine/index');
    type Ctx = import('../../../engine/optim/types').StepContext;
    const s = new E.ParamStore({ dtype: 'float64' });
    s.add('w', [2], 1);
    const f = (p: Readonly<Record<string, import('../../../engine/index').Tensor>>) => E.sum(E.mul(p.w, p.w));
    const ctx: Ctx = { lr: 0.1, lossAndGrad: s.lossAndGradFn(f), hvp: s.hvpFn(f), fullBatch: true };
    const g = new Float64Array(s.length);
    expect(ctx.lossAndGrad!(s.params, g)).toBe(2);
    expect(Array.from(g.subarray(0, 2))).toEqual([2, 2]);
    const out = new Float64Array(s.length);
    ctx.hvp!(
      Float64Array.from(s.params),
      Float64Array.from({ length: s.length }, () => 1),
      out,
    );
    expect(Array.from(out.subarray(0, 3))).toEqual([2, 2, 0]);
  });
});
