/**
 * Strided copy: out[o] = in0[off + base + Σ_d idx_d(o)·stride_d] with idx decoded over the output
 * shape. Implements reshape/stopGradient (contiguous strides), transpose (permuted strides),
 * broadcastTo (0 on broadcast axes) and slice (`base` = flat offset of `begin`).
 * Params: 0 n, 1 out offset, 2 input offset, 5 base, 8 rank r, 9.. out shape, 9 + r.. strides.
 */
import { bindings, PRELUDE } from './common';

export function stridedCopyWgsl(): string {
  return `${PRELUDE}${bindings(1)}
@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let i = flatId(g, nw);
  if (i >= p(0u)) { return; }
  let r = p(8u);
  var src = p(2u) + p(5u);
  var rem = i;
  for (var d = i32(r) - 1; d >= 0; d--) {
    let du = u32(d);
    let k = rem % p(9u + du);
    rem = rem / p(9u + du);
    src += k * p(9u + r + du);
  }
  out[p(1u) + i] = in0[src];
}
`;
}
