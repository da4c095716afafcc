/**
 * WGSL shared by every kernel: the parameter block and the flat thread index.
 *
 * Binding convention (all kernels): @binding(0) the parameter block (a 256-byte uniform slot:
 * 64 u32 words, floats stored as bits), @binding(1) the output (read_write), @binding(2..4) the
 * inputs (read-only), @binding(5) integer side data (indices). Buffers are bound WHOLE and every
 * kernel adds the tensor's element offset from the parameter block, so parameter-store views at
 * any offset work. Words 0–4 are common: 0 = thread count n, 1 = output offset, 2–4 = input offsets.
 */

/** Threads per workgroup of the 1-D kernels (fits the compatibility defaults). */
export const WG = 64;
/** Largest tensor rank a kernel accepts after adjacent axes are merged. */
export const MAX_RANK = 8;
/** Words in one parameter block. */
export const PARAM_WORDS = 64;

export const PRELUDE = /* wgsl */ `
@group(0) @binding(0) var<uniform> P: array<vec4u, 16>;
fn p(i: u32) -> u32 { return P[i >> 2u][i & 3u]; }
fn pf(i: u32) -> f32 { return bitcast<f32>(p(i)); }
const WG: u32 = ${WG}u;
// Flat id over a 2-D grid of 1-D workgroups (grids wider than 65535 groups wrap into y).
fn flatId(g: vec3u, nw: vec3u) -> u32 { return g.x + g.y * nw.x * WG; }
`;

/** Output binding plus `count` read-only input bindings named in0, in1, … */
export function bindings(count: number): string {
  let s = '@group(0) @binding(1) var<storage, read_write> out: array<f32>;\n';
  for (let i = 0; i < count; i++)
    s += `@group(0) @binding(${2 + i}) var<storage, read> in${i}: array<f32>;\n`;
  return s;
}
