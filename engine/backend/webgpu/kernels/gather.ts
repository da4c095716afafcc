/**
 * Gather along an axis: x viewed as [outer, dim, inner], out as [outer, m, inner];
 * out[o, j, t] = x[o, idx[j], t]. Indices (validated on the host) come in binding 5.
 * Params: 0 n, 1 out offset, 2 input offset, 5 inner, 6 dim, 7 m, 8 index offset (i32 words).
 */
import { bindings, PRELUDE } from './common';

export function gatherWgsl(): string {
  return `${PRELUDE}${bindings(1)}
@group(0) @binding(5) var<storage, read> idx: array<i32>;
@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let i = flatId(g, nw);
  if (i >= p(0u)) { return; }
  let inner = p(5u);
  let m = p(7u);
  let t = i % inner;
  let r = i / inner;
  let j = r % m;
  let o = r / m;
  let src = (o * p(6u) + u32(idx[p(8u) + j])) * inner + t;
  out[p(1u) + i] = in0[p(2u) + src];
}
`;
}
