/**
 * Row softmax for predictions (not a differentiable primitive: training differentiates the
 * log-sum-exp composition): out[r, c] = exp(x[r, c] − max_r) / Σ_c exp(x[r, c] − max_r).
 * One workgroup per row; max and sum by tree reduction in workgroup memory.
 * Params: 0 rows, 1 out offset, 2 input offset, 5 cols.
 */
import { bindings, PRELUDE } from './common';

export function softmaxWgsl(): string {
  return `${PRELUDE}${bindings(1)}
var<workgroup> part: array<f32, 64>;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) w: vec3u, @builtin(num_workgroups) nw: vec3u,
        @builtin(local_invocation_index) l: u32) {
  let row = w.x + w.y * nw.x;
  if (row >= p(0u)) { return; }
  let C = p(5u);
  let src = p(2u) + row * C;
  let dst = p(1u) + row * C;
  var mx = -3.4028234663852886e38;
  for (var c = l; c < C; c += 64u) { mx = max(mx, in0[src + c]); }
  part[l] = mx;
  workgroupBarrier();
  for (var s = 32u; s > 0u; s >>= 1u) {
    if (l < s) { part[l] = max(part[l], part[l + s]); }
    workgroupBarrier();
  }
  let m = part[0];
  workgroupBarrier();
  var acc = 0.0;
  for (var c = l; c < C; c += 64u) { acc += exp(in0[src + c] - m); }
  part[l] = acc;
  workgroupBarrier();
  for (var s = 32u; s > 0u; s >>= 1u) {
    if (l < s) { part[l] += part[l + s]; }
    workgroupBarrier();
  }
  let total = part[0];
  for (var c = l; c < C; c += 64u) { out[dst + c] = exp(in0[src + c] - m) / total; }
}
`;
}
