/**
 * Tiled matrix product: a T×T workgroup computes a (T·S)×(T·S) block of C, each thread an S×S
 * sub-block held in registers; the K dimension is walked in steps of T through two tiles of A and
 * B staged in workgroup memory (each loaded element is reused T·S times). Out-of-range rows and
 * columns load zeros, so any m, n, k work. Same layout conventions and params as matmul-naive.
 * T = 16 needs maxComputeInvocationsPerWorkgroup ≥ 256 (requested explicitly); T = 8 otherwise.
 */
import { bindings, PRELUDE } from './common';

/** Block of C per workgroup along each axis for tile size t (S = 4 outputs per thread per axis). */
export const tiledBlock = (t: number): number => t * 4;

export function matmulTiledWgsl(t: number): string {
  const S = 4;
  const B = t * S; // rows/columns of C per workgroup
  return `${PRELUDE}${bindings(2)}
const T: u32 = ${t}u;
const S: u32 = ${S}u;
const BS: u32 = ${B}u;
var<workgroup> As: array<f32, ${B * t}>; // BS rows × T columns of op(A)
var<workgroup> Bs: array<f32, ${t * B}>; // T rows × BS columns of op(B)
fn loadA(i: u32, q: u32, m: u32, k: u32, ta: bool) -> f32 {
  if (i >= m || q >= k) { return 0.0; }
  return in0[p(2u) + select(i * k + q, q * m + i, ta)];
}
fn loadB(q: u32, j: u32, n: u32, k: u32, tb: bool) -> f32 {
  if (q >= k || j >= n) { return 0.0; }
  return in1[p(3u) + select(q * n + j, j * k + q, tb)];
}
@compute @workgroup_size(${t}, ${t})
fn main(@builtin(workgroup_id) w: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let m = p(5u);
  let n = p(6u);
  let k = p(7u);
  let ta = p(8u) != 0u;
  let tb = p(9u) != 0u;
  let row0 = w.y * BS;
  let col0 = w.x * BS;
  let lx = lid.x;
  let ly = lid.y;
  var acc: array<f32, ${S * S}>;
  for (var z = 0u; z < S * S; z++) { acc[z] = 0.0; }
  let tiles = (k + T - 1u) / T;
  for (var t0 = 0u; t0 < tiles; t0++) {
    let q0 = t0 * T;
    // Each thread stages S elements of each tile.
    for (var s = 0u; s < S; s++) {
      let r = ly * S + s;
      As[r * T + lx] = loadA(row0 + r, q0 + lx, m, k, ta);
      let c = lx * S + s;
      Bs[ly * BS + c] = loadB(q0 + ly, col0 + c, n, k, tb);
    }
    workgroupBarrier();
    for (var q = 0u; q < T; q++) {
      var bv: array<f32, ${S}>;
      for (var c = 0u; c < S; c++) { bv[c] = Bs[q * BS + lx * S + c]; }
      for (var r = 0u; r < S; r++) {
        let av = As[(ly * S + r) * T + q];
        for (var c = 0u; c < S; c++) { acc[r * S + c] += av * bv[c]; }
      }
    }
    workgroupBarrier();
  }
  for (var r = 0u; r < S; r++) {
    let i = row0 + ly * S + r;
    if (i < m) {
      for (var c = 0u; c < S; c++) {
        let j = col0 + lx * S + c;
        if (j < n) { out[p(1u) + i * n + j] = acc[r * S + c]; }
      }
    }
  }
}
`;
}
