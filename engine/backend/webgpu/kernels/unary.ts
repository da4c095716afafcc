/**
 * Elementwise unary kernels: out[i] = f(in0[i]) over n elements (same shape in and out).
 * Params: 0 n, 1 out offset, 2 input offset. One WGSL module per primitive (f inlined).
 */
import type { UnaryPrim } from '../../../ops/prims';
import { bindings, PRELUDE } from './common';
import { MATH } from './math';

/** WGSL expression of each primitive in terms of `x` (float32). */
export const UNARY_EXPR: Readonly<Record<UnaryPrim, string>> = {
  neg: '-x',
  reciprocal: '1.0 / x',
  exp: 'exp(x)',
  log: 'log(x)',
  log1p: 'log1p_s(x)',
  expm1: 'expm1_s(x)',
  sqrt: 'sqrt(x)',
  tanh: 'tanh_s(x)',
  sigmoid: 'sigmoid_s(x)',
  erf: 'erf_s(x)',
  abs: 'abs(x)',
  sign: 'sign_s(x)',
};

export function unaryWgsl(prim: UnaryPrim): string {
  return `${PRELUDE}${MATH}${bindings(1)}
@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let i = flatId(g, nw);
  if (i >= p(0u)) { return; }
  let x = in0[p(2u) + i];
  out[p(1u) + i] = ${UNARY_EXPR[prim]};
}
`;
}
