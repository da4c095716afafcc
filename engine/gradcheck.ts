/**
 * Gradient checking by central finite differences in float64.
 *
 * For f: tensors → tensor, the analytic gradient of L = Σ u ⊙ f(x) (u a fixed random
 * projection when f's output has more than one element; u = 1 for a scalar) from reverse
 * mode is compared with (L(x + h·eᵢ) − L(x − h·eᵢ)) / 2h for every element i of every input
 * (truncation error O(h²)). Forward mode is checked too: the JVP along a random direction v
 * must equal ⟨∇L, v⟩. Inputs are converted to float64 first, so f must work for any dtype.
 * Avoid kinks (|x| at 0, ReLU at 0, max at ties): there the derivative does not exist.
 */
import { jvp, valueAndGrad } from './autodiff/grad';
import type { HostArray } from './backend/types';
import { tidy } from './memory/scope';
import { mul, sum } from './ops/ops';
import { Rng } from './random/rng';
import { tensor } from './tensor/create';
import { fmtShape } from './tensor/shape';
import type { Tensor } from './tensor/tensor';

export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-6). */
  atol?: number;
  /** Relative tolerance (default 1e-5). */
  rtol?: number;
  /** Seed of the projection u and the JVP direction (default 1). */
  seed?: number;
  /** Also check forward mode (default true). */
  checkJvp?: boolean;
  /**
   * Check at most this many elements per input (chosen at random with the seed; default all).
   * Finite differences cost two evaluations of f per element, so use it for large layers.
   */
  maxPerInput?: number;
}

export interface GradcheckReport {
  ok: boolean;
  maxAbsErr: number;
  /** Largest |analytic − numeric| / |numeric| over elements with |numeric| > atol. */
  maxRelErr: number;
  /** The worst element: input index, flat element index, both derivatives. */
  worst: { input: number; index: number; analytic: number; numeric: number } | null;
  /** ⟨∇L, v⟩ vs the JVP along v (NaN when not checked). */
  jvpAnalytic: number;
  jvpFromGrad: number;
  message: string;
}

/**
 * Compares analytic and numeric derivatives of `f` at `inputs` (see module header).
 * @returns a report; it never throws for a mismatch (see assertGradcheck).
 */
export function gradcheck(
  f: (...xs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  opts: GradcheckOptions = {},
): GradcheckReport {
  const eps = opts.eps ?? 1e-6;
  const atol = opts.atol ?? 1e-6;
  const rtol = opts.rtol ?? 1e-5;
  const rng = new Rng(opts.seed ?? 1);
  return tidy(() => {
    const host: Float64Array[] = inputs.map((x) => Float64Array.from(x.dataSync()));
    const backend = inputs[0].backend;
    const mk = (d: HostArray, i: number): Tensor => tensor(d, inputs[i].shape, { dtype: 'float64', backend });
    const xs = host.map(mk);
    const out0 = f(...xs);
    const u =
      out0.size === 1
        ? null
        : tensor(
            Array.from({ length: out0.size }, () => rng.uniform(-1, 1)),
            out0.shape,
            { dtype: 'float64', backend },
          );
    const L = (...a: Tensor[]): Tensor => (u === null ? sum(f(...a)) : sum(mul(f(...a), u)));
    const { value, grads } = valueAndGrad((p: Tensor[]) => L(...p))(xs);
    if (!Number.isFinite(value.item()))
      throw new Error(`gradcheck: f is not finite at the given inputs (${value.item()})`);
    const gh = grads.map((g) => g.dataSync());
    let maxAbs = 0;
    let maxRel = 0;
    let worst: GradcheckReport['worst'] = null;
    let worstScore = -1;
    let ok = true;
    for (let k = 0; k < host.length; k++) {
      const len = host[k].length;
      const limit = opts.maxPerInput ?? Infinity;
      const which = len <= limit ? null : rng.permutation(len).subarray(0, limit);
      const count = which === null ? len : which.length;
      for (let e = 0; e < count; e++) {
        const i = which === null ? e : which[e];
        const orig = host[k][i];
        const evalAt = (v: number): number =>
          tidy(() => {
            host[k][i] = v;
            const r = L(...host.map(mk)).item();
            host[k][i] = orig;
            return r;
          });
        const numeric = (evalAt(orig + eps) - evalAt(orig - eps)) / (2 * eps);
        const analytic = gh[k][i];
        const err = Math.abs(analytic - numeric);
        const rel = err / Math.max(Math.abs(numeric), 1e-12);
        const bad = !(err <= atol + rtol * Math.abs(numeric));
        if (bad) ok = false;
        maxAbs = Math.max(maxAbs, err);
        if (Math.abs(numeric) > atol) maxRel = Math.max(maxRel, rel);
        const score = err / (atol + rtol * Math.abs(numeric));
        if (score > worstScore || Number.isNaN(score)) {
          worstScore = score;
          worst = { input: k, index: i, analytic, numeric };
        }
      }
    }
    let jvpAnalytic = NaN;
    let jvpFromGrad = NaN;
    if (opts.checkJvp ?? true) {
      const vs = host.map((h) => Float64Array.from(h, () => rng.uniform(-1, 1)));
      jvpFromGrad = 0;
      for (let k = 0; k < vs.length; k++)
        for (let i = 0; i < vs[k].length; i++) jvpFromGrad += gh[k][i] * vs[k][i];
      jvpAnalytic = jvp((p: Tensor[]) => L(...p), xs, vs.map(mk)).tangent.item();
      if (!(Math.abs(jvpAnalytic - jvpFromGrad) <= atol + rtol * Math.abs(jvpFromGrad) * 10)) ok = false;
    }
    const w = worst;
    const message = ok
      ? 'gradcheck passed'
      : `gradcheck failed: max abs error ${maxAbs.toExponential(3)}` +
        (w
          ? ` at input ${w.input} ${fmtShape(inputs[w.input].shape)} element ${w.index}: analytic ${w.analytic}, numeric ${w.numeric}`
          : '') +
        (Number.isNaN(jvpAnalytic) ? '' : `; JVP ${jvpAnalytic} vs ⟨grad, v⟩ ${jvpFromGrad}`);
    return { ok, maxAbsErr: maxAbs, maxRelErr: maxRel, worst, jvpAnalytic, jvpFromGrad, message };
  });
}

/** gradcheck that throws an Error with the report's message on failure. */
export function assertGradcheck(
  f: (...xs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  opts?: GradcheckOptions,
): GradcheckReport {
  const r = gradcheck(f, inputs, opts);
  if (!r.ok) throw new Error(r.message);
  return r;
}
