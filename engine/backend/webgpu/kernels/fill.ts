/** Fill: out[i] = value. Params: 0 n, 1 out offset, 5 value (f32 bits, so ±∞ and NaN pass through). */
import { bindings, PRELUDE } from './common';

export function fillWgsl(): string {
  return `${PRELUDE}${bindings(0)}
@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let i = flatId(g, nw);
  if (i >= p(0u)) { return; }
  out[p(1u) + i] = pf(5u);
}
`;
}
