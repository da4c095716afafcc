/**
 * Optimizer updates over the flat parameter buffer, in place, one thread per entry; formulas as
 * engine/optim (lecture "Gradient descent algorithms" Alg. 1–2, "Adaptive first order"):
 *   sgd:      θ ← θ − α g
 *   momentum: v ← βv − α g;  θ ← θ + v
 *   adam:     m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  θ ← θ − α·m̂/(δ + √v̂),
 *             m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ) (the host passes c₁ = 1−β₁ᵗ, c₂ = 1−β₂ᵗ; δ outside the root).
 * Bindings: 1 θ (read_write), 2 gradient (read), 3 first state vector, 4 second (read_write, at
 * offset 0, owned by the optimizer). The CPU optimizers keep state in float64; here it is float32.
 * Params: 0 n, 1 θ offset, 2 gradient offset, 5 α, 6 β / β₁, 7 β₂, 8 δ, 9 c₁, 10 c₂ (f32 bits).
 */
import { PRELUDE } from './common';

export type GpuOptimizerName = 'sgd' | 'momentum' | 'adam';

const HEAD = `@group(0) @binding(1) var<storage, read_write> theta: array<f32>;
@group(0) @binding(2) var<storage, read> grad: array<f32>;
`;

const BODY: Record<GpuOptimizerName, string> = {
  sgd: `theta[p(1u) + i] -= pf(5u) * g;`,
  momentum: `let v = pf(6u) * s0[i] - pf(5u) * g;
  s0[i] = v;
  theta[p(1u) + i] += v;`,
  adam: `let b1 = pf(6u);
  let b2 = pf(7u);
  let m = b1 * s0[i] + (1.0 - b1) * g;
  let v = b2 * s1[i] + (1.0 - b2) * g * g;
  s0[i] = m;
  s1[i] = v;
  let mhat = m / pf(9u);
  let vhat = v / pf(10u);
  theta[p(1u) + i] -= pf(5u) / (pf(8u) + sqrt(vhat)) * mhat;`,
};

export function optimizerWgsl(name: GpuOptimizerName): string {
  const states = name === 'sgd' ? 0 : name === 'momentum' ? 1 : 2;
  let decl = HEAD;
  for (let s = 0; s < states; s++)
    decl += `@group(0) @binding(${3 + s}) var<storage, read_write> s${s}: array<f32>;\n`;
  return `${PRELUDE}${decl}
@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gi: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let i = flatId(gi, nw);
  if (i >= p(0u)) { return; }
  let g = grad[p(2u) + i];
  ${BODY[name]}
}
`;
}
