/**
 * Fused bias + activation for forward-only passes (predictions): out[r, c] = act(x[r, c] + b[c]),
 * one dispatch instead of two (add, then the activation's primitives). Not used by training:
 * autodiff differentiates the primitive compositions.
 * Params: 0 n, 1 out offset, 2 x offset, 3 b offset, 5 columns.
 */
import { bindings, PRELUDE } from './common';
import { MATH } from './math';

export type FusedActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh';

const ACT: Record<FusedActivation, string> = {
  linear: 'v',
  relu: 'max(v, 0.0)',
  sigmoid: 'sigmoid_s(v)',
  tanh: 'tanh_s(v)',
};
export const FUSED_ACTIVATIONS = Object.keys(ACT) as FusedActivation[];

/** WGSL of the fused out[r, c] = act(x[r, c] + b[c]) kernel (forward-only passes; see the module header). */
export function biasActWgsl(act: FusedActivation): string {
  return `${PRELUDE}${MATH}${bindings(2)}
@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let i = flatId(g, nw);
  if (i >= p(0u)) { return; }
  let v = in0[p(2u) + i] + in1[p(3u) + i % p(5u)];
  out[p(1u) + i] = ${ACT[act]};
}
`;
}
