/**
 * Broadcasting elementwise kernels with one to three inputs: the binary arithmetic primitives,
 * the comparisons (0/1 masks) and `where`. Each output element decodes its multi-index over the
 * (merged) output shape and reads every input through its broadcast strides (0 on broadcast axes).
 * Params: 0 n, 1 out offset, 2–4 input offsets, 8 rank r, 9.. out shape (r words), then per input
 * r strides (input k at 9 + r·(k+1)). The host merges adjacent axes first, so r is usually 1–2.
 */
import type { BinaryPrim, ComparePrim } from '../../../ops/prims';
import { bindings, PRELUDE } from './common';

export const BINARY_EXPR: Readonly<Record<BinaryPrim | ComparePrim, string>> = {
  add: 'a + b',
  sub: 'a - b',
  mul: 'a * b',
  div: 'a / b',
  maximum: 'select(b, a, a >= b || a != a)',
  greater: 'select(0.0, 1.0, a > b)',
  greaterEqual: 'select(0.0, 1.0, a >= b)',
  equal: 'select(0.0, 1.0, a == b)',
};

function body(inputs: number, expr: string): string {
  const names = ['ia', 'ib', 'ic'].slice(0, inputs);
  return `${PRELUDE}${bindings(inputs)}
@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let i = flatId(g, nw);
  if (i >= p(0u)) { return; }
  let r = p(8u);
${names.map((v, k) => `  var ${v} = p(${2 + k}u);`).join('\n')}
  var rem = i;
  for (var d = i32(r) - 1; d >= 0; d--) {
    let du = u32(d);
    let k = rem % p(9u + du);
    rem = rem / p(9u + du);
${names.map((v, k) => `    ${v} += k * p(9u + r * ${k + 1}u + du);`).join('\n')}
  }
  ${expr}
}
`;
}

export function binaryWgsl(prim: BinaryPrim | ComparePrim): string {
  return body(2, `let a = in0[ia]; let b = in1[ib]; out[p(1u) + i] = ${BINARY_EXPR[prim]};`);
}

export function whereWgsl(): string {
  return body(3, 'out[p(1u) + i] = select(in2[ic], in1[ib], in0[ia] != 0.0);');
}
