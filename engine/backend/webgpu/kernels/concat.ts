/**
 * One part of a concatenation: copies input x (viewed as [outer, len]) into columns
 * [col, col + len) of the output (viewed as [outer, outRow]). The backend runs it once per input,
 * so together the parts write every output element.
 * Params: 0 n (= outer·len), 1 out offset, 2 input offset, 5 len, 6 outRow, 7 col.
 */
import { bindings, PRELUDE } from './common';

export function concatPartWgsl(): string {
  return `${PRELUDE}${bindings(1)}
@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let i = flatId(g, nw);
  if (i >= p(0u)) { return; }
  let len = p(5u);
  let o = i / len;
  let j = i - o * len;
  out[p(1u) + o * p(6u) + p(7u) + j] = in0[p(2u) + i];
}
`;
}
