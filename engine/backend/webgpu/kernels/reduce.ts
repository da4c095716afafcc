/**
 * Reductions `sum` and `max` over any set of axes: one workgroup per (output element, chunk of
 * at most REDUCE_CHUNK reduced elements). Each of the RW threads accumulates a strided share of its
 * chunk, then a tree reduction in workgroup memory combines the partial results. With more than
 * one chunk per output the kernel writes partials [n, chunks] and the host reduces them again, so
 * a long reduction spreads over many workgroups and no thread loops more than REDUCE_CHUNK / RW
 * times (Mesa's llvmpipe also stops loops after 65 535 iterations). `max` propagates NaN like the CPU kernel (a value replaces the accumulator unless
 * it is ≤ it). Summation order differs from the CPU's sequential loop: results agree to float32
 * rounding (relative ~1e−6 for long sums).
 * Params: 0 outputs n, 1 out offset, 2 input offset, 3 chunk length, 4 chunks per output P (the
 * output then holds n·P partials), 5 R (elements per output), 6 kept rank kr,
 * 7 reduced rank rr, 8 initial value (bits), 9.. kept shape, kept strides, reduced shape, reduced
 * strides (kr, kr, rr, rr words; strides are the input's).
 */
import { bindings, PRELUDE } from './common';

/** Threads per reduction workgroup. */
export const RW = 64;
/** Reduced elements handled by one workgroup (256 per thread). */
export const REDUCE_CHUNK = RW * 256;

/**
 * WGSL of the chunked reduction (sum or max) described above: one workgroup of RW threads per
 * (output element, chunk of ≤ REDUCE_CHUNK reduced elements).
 */
export function reduceWgsl(op: 'sum' | 'max'): string {
  const combine = op === 'sum' ? 'a + v' : 'select(a, v, !(v <= a))';
  return `${PRELUDE}${bindings(1)}
var<workgroup> part: array<f32, ${RW}>;
fn combine(a: f32, v: f32) -> f32 { return ${combine}; }
@compute @workgroup_size(${RW})
fn main(@builtin(workgroup_id) w: vec3u, @builtin(num_workgroups) nw: vec3u,
        @builtin(local_invocation_index) l: u32) {
  let wid = w.x + w.y * nw.x;
  let P = p(4u);
  if (wid >= p(0u) * P) { return; }
  let o = wid / P;
  let r0 = (wid - o * P) * p(3u);
  let kr = p(6u);
  let rr = p(7u);
  let ks = 9u;
  let rs = 9u + 2u * kr;
  var base = p(2u);
  var rem = o;
  for (var d = i32(kr) - 1; d >= 0; d--) {
    let du = u32(d);
    let k = rem % p(ks + du);
    rem = rem / p(ks + du);
    base += k * p(ks + kr + du);
  }
  var a = pf(8u);
  let r1 = min(p(5u), r0 + p(3u));
  for (var r = r0 + l; r < r1; r += ${RW}u) {
    var off = base;
    var q = r;
    for (var d = i32(rr) - 1; d >= 0; d--) {
      let du = u32(d);
      let k = q % p(rs + du);
      q = q / p(rs + du);
      off += k * p(rs + rr + du);
    }
    a = combine(a, in0[off]);
  }
  part[l] = a;
  workgroupBarrier();
  for (var s = ${RW / 2}u; s > 0u; s >>= 1u) {
    if (l < s) { part[l] = combine(part[l], part[l + s]); }
    workgroupBarrier();
  }
  if (l == 0u) { out[p(1u) + wid] = part[0]; }
}
`;
}
