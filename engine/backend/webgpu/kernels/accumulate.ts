/**
 * In-place accumulate out[i] += in0[i] (same shape): the gradient accumulation of the parameter
 * store, which passes the same buffer as output and first input. Binding the output read_write
 * and reading it there avoids the copy the generic path needs (WebGPU forbids binding one buffer
 * as read-only and writable in one dispatch).
 * Params: 0 n, 1 out offset (= the accumulator), 2 input offset.
 */
import { bindings, PRELUDE } from './common';

export function accumulateWgsl(): string {
  return `${PRELUDE}${bindings(1)}
@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let i = flatId(g, nw);
  if (i >= p(0u)) { return; }
  out[p(1u) + i] += in0[p(2u) + i];
}
`;
}
