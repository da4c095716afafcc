/**
 * Forward passes of the layers, as compositions of the core's differentiable primitives (so their gradients
 * come from autodiff and are checked by gradcheck). Shapes are [batch, features]; parameters are tensors
 * (views into the core's flat ParamStore, declared by `layerParams` in specs.ts).
 *
 * Invariants: no layer keeps hidden state except BatchNorm's running statistics, which live in the caller's
 * arrays (ParamStore 'state' entries) and are updated only in training mode; Dropout draws its mask from the
 * Rng passed in (reproducible); every function throws a RangeError naming the layer on a shape mismatch.
 */
import {
  add,
  concat as concatOp,
  div,
  exp,
  full,
  matmul,
  max,
  maximum,
  mean,
  mul,
  neg,
  reshape,
  sqrt,
  square,
  sub,
  sum,
  tensor,
  type ParamStore,
  type Tensor,
} from '../../index';
import { initialize } from '../../init/initializers';
import type { Rng } from '../../random/rng';
import type { ParamDecl } from './specs';

function need2d(x: Tensor, layer: string): [number, number] {
  if (x.rank !== 2)
    throw new RangeError(`${layer}: expects input [batch, features], got [${x.shape.join(', ')}]`);
  return [x.shape[0], x.shape[1]];
}

/**
 * Dense (fully connected) layer y = x·W + b (lecture "Feed-forwards neural networks": T_i(x) = W_iᵀx + b_i).
 * @param x [B, in]; @param W [in, out]; @param b [out] or null. @returns [B, out].
 */
export function dense(x: Tensor, W: Tensor, b: Tensor | null): Tensor {
  const [, d] = need2d(x, 'Dense');
  if (W.rank !== 2 || W.shape[0] !== d)
    throw new RangeError(
      `Dense: input has ${d} features but the weight is [${W.shape.join(', ')}] (needs [${d}, units])`,
    );
  const y = matmul(x, W);
  return b ? add(y, b) : y;
}

/** Floor on 2σ² in the RBF layer (a normal float32; far below any width the width heuristics produce). */
export const RBF_MIN_2SIGMA2 = 1e-30;

/**
 * RBF layer (lecture "Radial Basis Function Nets"): φ(x) = [1, exp(−‖x − μᵢ‖²/(2σᵢ²)) for i < N].
 * @param x [B, d]; @param centres μ [N, d]; @param widths σ [N] (the sign of σ does not matter; σ = 0 is allowed, see RBF_MIN_2SIGMA2).
 * @param includeConstant prepend the constant 1 (default true). @returns [B, N + 1] (or [B, N]).
 * The squared distances are formed directly from x − μ (not by ‖x‖² − 2x·μ + ‖μ‖², which cancels badly).
 */
export function rbf(x: Tensor, centres: Tensor, widths: Tensor, includeConstant = true): Tensor {
  const [B, d] = need2d(x, 'RBF');
  const [N, dc] = centres.shape;
  if (centres.rank !== 2 || dc !== d)
    throw new RangeError(
      `RBF: input has ${d} features but the centres are [${centres.shape.join(', ')}] (needs [N, ${d}])`,
    );
  if (widths.rank !== 1 || widths.shape[0] !== N)
    throw new RangeError(
      `RBF: widths have shape [${widths.shape.join(', ')}], expected [${N}] (one per centre)`,
    );
  const diff = sub(reshape(x, [B, 1, d]), reshape(centres, [1, N, d])); // [B, N, d]
  const d2 = sum(square(diff), 2); // [B, N]
  // 2σ² is floored at RBF_MIN_2SIGMA2 so that σ = 0 gives the limit (1 at the centre, 0 elsewhere), not 0/0 = NaN.
  const phi = exp(neg(div(d2, maximum(mul(square(widths), 2), RBF_MIN_2SIGMA2))));
  if (!includeConstant) return phi;
  return concatOp([full([B, 1], 1, { dtype: x.dtype, backend: x.backend }), phi], 1);
}

/**
 * Maxout (Goodfellow et al. 2013; lecture "Output activation functions"): z = x·W + b with units·k columns,
 * unit u taking columns u·k … u·k + k − 1; output max over each group. The gradient goes to the arg-max piece
 * (shared equally only on exact ties, a measure-zero event).
 * @param x [B, in]; @param W [in, units·k]; @param b [units·k] or null. @returns [B, units].
 */
export function maxout(x: Tensor, W: Tensor, b: Tensor | null, units: number, pieces: number): Tensor {
  const z = dense(x, W, b);
  if (z.shape[1] !== units * pieces)
    throw new RangeError(
      `Maxout: weight has ${z.shape[1]} columns but units·pieces = ${units}·${pieces} = ${units * pieces}`,
    );
  return max(reshape(z, [z.shape[0], units, pieces]), 2);
}

/**
 * Inverted dropout (Srivastava et al. 2014): in training each value is zeroed with probability `rate` and the
 * rest are scaled by 1/(1 − rate), so evaluation is the identity. The mask comes from `rng` (row-major order).
 * @throws RangeError unless 0 ≤ rate < 1.
 */
export function dropout(x: Tensor, rate: number, rng: Rng, training: boolean): Tensor {
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`Dropout: rate must be in [0, 1), got ${rate}`);
  if (!training || rate === 0) return x;
  const keep = 1 / (1 - rate);
  const m = new Float64Array(x.size);
  for (let i = 0; i < m.length; i++) m[i] = rng.next() < rate ? 0 : keep;
  return mul(x, tensor(m, x.shape, { dtype: x.dtype, backend: x.backend }));
}

/** Running statistics of a BatchNorm layer (writable arrays of length features, e.g. ParamStore state views). */
export interface BatchNormState {
  mean: Float32Array | Float64Array;
  var: Float32Array | Float64Array;
}

/**
 * Batch normalisation over features (Ioffe & Szegedy 2015): y = γ·(x − μ)/√(σ² + ε) + β.
 * Training: μ, σ² are the batch mean and biased variance (differentiated through), and the running statistics
 * are updated r ← (1 − momentum)·r + momentum·batch, with the unbiased variance (PyTorch convention; reads the
 * batch statistics back synchronously). Evaluation: uses the running statistics as constants.
 * @param x [B, F]; @param gamma, beta [F] or null (affine off). @throws RangeError on a batch of 1 in training.
 */
export function batchNorm(
  x: Tensor,
  gamma: Tensor | null,
  beta: Tensor | null,
  state: BatchNormState,
  opts: { training: boolean; momentum?: number; eps?: number },
): Tensor {
  const [B, F] = need2d(x, 'BatchNorm');
  if (state.mean.length !== F || state.var.length !== F)
    throw new RangeError(`BatchNorm: running statistics have ${state.mean.length} features, input has ${F}`);
  const eps = opts.eps ?? 1e-5;
  const momentum = opts.momentum ?? 0.1;
  let xhat: Tensor;
  if (opts.training) {
    if (B < 2)
      throw new RangeError(
        'BatchNorm: training needs at least 2 rows per batch (the variance of 1 row is 0)',
      );
    const mu = mean(x, 0, true);
    const xc = sub(x, mu);
    const v = mean(square(xc), 0, true);
    xhat = div(xc, sqrt(add(v, eps)));
    const m = mu.dataSync();
    const vv = v.dataSync();
    const unbias = B / (B - 1);
    for (let f = 0; f < F; f++) {
      state.mean[f] = (1 - momentum) * state.mean[f] + momentum * m[f];
      state.var[f] = (1 - momentum) * state.var[f] + momentum * vv[f] * unbias;
    }
  } else {
    const opt = { dtype: x.dtype, backend: x.backend };
    const inv = Float64Array.from(state.var, (v) => 1 / Math.sqrt(v + eps));
    xhat = mul(sub(x, tensor(state.mean, [1, F], opt)), tensor(inv, [1, F], opt));
  }
  if (gamma) xhat = mul(xhat, gamma);
  if (beta) xhat = add(xhat, beta);
  return xhat;
}

/** Element-wise sum of ≥ 2 tensors of identical shape (skip connection). @throws RangeError on a mismatch. */
export function addLayer(xs: readonly Tensor[]): Tensor {
  if (xs.length < 2) throw new RangeError(`Add: needs at least 2 inputs, got ${xs.length}`);
  const s = xs[0].shape;
  xs.forEach((t, i) => {
    if (t.rank !== s.length || t.shape.some((v, k) => v !== s[k]))
      throw new RangeError(
        `Add: input ${i} has shape [${t.shape.join(', ')}] but input 0 has [${s.join(', ')}]`,
      );
  });
  return xs.slice(1).reduce((a, b) => add(a, b), xs[0]);
}

/** Concatenation along the feature axis: [B, F₀], [B, F₁], … → [B, ΣFᵢ]. */
export function concatLayer(xs: readonly Tensor[]): Tensor {
  if (xs.length === 0) throw new RangeError('Concat: needs at least one input');
  const B = xs[0].shape[0];
  xs.forEach((t, i) => {
    need2d(t, 'Concat');
    if (t.shape[0] !== B)
      throw new RangeError(`Concat: input ${i} has ${t.shape[0]} rows but input 0 has ${B}`);
  });
  return concatOp(xs, 1);
}

/**
 * Declares a layer's parameters in a ParamStore under `prefix.name` and fills them from their initializers
 * with `rng` (in declaration order, so a model is reproducible from its seed).
 * @returns the store names, keyed by the local names ('weight', 'bias', …).
 */
export function addLayerParams(
  store: ParamStore,
  prefix: string,
  decls: readonly ParamDecl[],
  rng: Rng,
): Record<string, string> {
  const names: Record<string, string> = {};
  for (const p of decls) {
    const full_ = `${prefix}.${p.name}`;
    const r = rng.fork();
    store.add(full_, p.shape, (view) => void initialize(p.init, p.shape, r, view, p.fans), {
      trainable: p.trainable,
    });
    names[p.name] = full_;
  }
  return names;
}

/**
 * A live view of one parameter's values in the store's flat array (writing it changes the parameter), e.g.
 * BatchNorm's running statistics: `{ mean: paramView(store, n.running_mean), var: paramView(store, n.running_var) }`.
 * Note: entries declared with role 'state' must be kept out of weight decay (their gradient is always 0).
 */
export function paramView(store: ParamStore, name: string): Float32Array | Float64Array {
  const s = store.spec(name);
  return store.params.subarray(s.offset, s.offset + s.size) as Float32Array | Float64Array;
}
