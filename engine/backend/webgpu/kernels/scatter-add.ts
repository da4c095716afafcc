/**
 * Scatter-add (adjoint of gather) without atomics: x viewed as [outer, m, inner], out as
 * [outer, dimSize, inner]. The host inverts the index list into CSR form (start[d] … start[d+1]
 * lists the positions j with idx[j] = d, ascending), so each output element sums its own sources
 * in the same order as the CPU kernel and elements without sources get 0.
 * Params: 0 n, 1 out offset, 2 input offset, 5 inner, 6 dimSize, 7 m, 8 side-data offset
 * (start: dimSize + 1 words, then the m positions).
 */
import { bindings, PRELUDE } from './common';

export function scatterAddWgsl(): string {
  return `${PRELUDE}${bindings(1)}
@group(0) @binding(5) var<storage, read> idx: array<i32>;
@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let i = flatId(g, nw);
  if (i >= p(0u)) { return; }
  let inner = p(5u);
  let dimSize = p(6u);
  let m = p(7u);
  let base = p(8u);
  let t = i % inner;
  let r = i / inner;
  let d = r % dimSize;
  let o = r / dimSize;
  var acc = 0.0;
  let lo = u32(idx[base + d]);
  let hi = u32(idx[base + d + 1u]);
  for (var k = lo; k < hi; k++) {
    let j = u32(idx[base + dimSize + 1u + k]);
    acc += in0[p(2u) + (o * m + j) * inner + t];
  }
  out[p(1u) + i] = acc;
}
`;
}
