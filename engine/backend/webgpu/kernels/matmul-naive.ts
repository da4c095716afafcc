/**
 * Reference matrix product, one thread per output element, no shared memory: the correctness
 * oracle for the tiled kernel. C[m,n] = op(A)·op(B); op(A)(i,p) = transA ? A[p,i] : A[i,p],
 * op(B)(p,j) = transB ? B[j,p] : B[p,j] (read through strides, no transposed copy).
 * Params: 1 out offset, 2 A offset, 3 B offset, 5 m, 6 n, 7 k, 8 transA, 9 transB.
 * Grid: 8×8 workgroups over (columns, rows).
 */
import { bindings, PRELUDE } from './common';

export function matmulNaiveWgsl(): string {
  return `${PRELUDE}${bindings(2)}
@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) g: vec3u) {
  let m = p(5u);
  let n = p(6u);
  let k = p(7u);
  let i = g.y;
  let j = g.x;
  if (i >= m || j >= n) { return; }
  let ta = p(8u) != 0u;
  let tb = p(9u) != 0u;
  let a0 = p(2u);
  let b0 = p(3u);
  var acc = 0.0;
  for (var q = 0u; q < k; q++) {
    let av = in0[a0 + select(i * k + q, q * m + i, ta)];
    let bv = in1[b0 + select(q * n + j, j * k + q, tb)];
    acc += av * bv;
  }
  out[p(1u) + i * n + j] = acc;
}
`;
}
