/**
 * Zero padding: out[o] = in0[idx(o) − before] inside the box, 0 outside (writes every element).
 * Params: 0 n, 1 out offset, 2 input offset, 8 rank r, then four blocks of r words at 9: out
 * shape, before, input shape, input strides.
 */
import { bindings, PRELUDE } from './common';

export function padWgsl(): string {
  return `${PRELUDE}${bindings(1)}
@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let i = flatId(g, nw);
  if (i >= p(0u)) { return; }
  let r = p(8u);
  var src = p(2u);
  var inside = true;
  var rem = i;
  for (var d = i32(r) - 1; d >= 0; d--) {
    let du = u32(d);
    let k = rem % p(9u + du);
    rem = rem / p(9u + du);
    let before = p(9u + r + du);
    if (k < before || k >= before + p(9u + 2u * r + du)) { inside = false; }
    else { src += (k - before) * p(9u + 3u * r + du); }
  }
  out[p(1u) + i] = select(0.0, in0[src], inside);
}
`;
}
