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
