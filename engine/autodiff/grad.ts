/**
 * Automatic differentiation, define-by-run.
 *
 * - Reverse mode (`valueAndGrad`, `grad`, `vjp`): a Tape per call records the primitives run
 *   on the differentiated inputs; the backward pass applies each primitive's VJP rule.
 * - Forward mode (`jvp`): eager dual numbers — inputs get a tangent, every primitive computes
 *   its output tangent by its JVP rule as it runs.
 * - Hessian-vector products (`hvp`): forward-over-reverse — run valueAndGrad on inputs that
 *   carry tangent v; since VJP rules use differentiable primitives, each gradient's tangent is
 *   H·v (Pearlmutter 1994, "Fast exact multiplication by the Hessian").
 *
 * Invariants: all bookkeeping lives in per-call objects (Tape, dual context) attached to
 * per-call alias tensors, never to the caller's tensors and never in module state, so two
 * models or runs cannot interfere. Intermediates are freed when the call returns (it runs in a
 * tidy scope); the value, gradients and aux outputs survive into the caller's scope.
 * Limits: no reverse-over-reverse and no nested jvp (perturbation confusion); both throw.
 */
import { add } from '../ops/ops';
import { RULES } from '../ops/rules';
import type { PrimName } from '../ops/prims';
import { tidy } from '../memory/scope';
import { onesLike, zerosLike } from '../tensor/create';
import { fmtShape, sameShape } from '../tensor/shape';
import { Tensor, type DualLike } from '../tensor/tensor';
import { Tape, type VjpFn } from './tape';
import { flattenTree, unflattenTree, type Tree } from './tree';

const vjpOf = (p: PrimName): VjpFn => RULES[p].vjp as unknown as VjpFn;

/** A non-owning alias of `t` sharing its buffer and its current autodiff state. */
function alias(t: Tensor): Tensor {
  t.assertLive('autodiff input');
  const a = new Tensor(t.backend, t.buf, t.shape, false);
  a.tape = t.tape;
  a.slot = t.slot;
  a.dual = t.dual;
  a.tangent = t.tangent;
  return a;
}

/** What a differentiated function may return: the value, or the value plus auxiliary outputs. */
export type FnResult = Tensor | { loss: Tensor; aux?: unknown };

export interface ValueAndGrad<P extends Tree> {
  /** The function's value (a scalar for valueAndGrad). */
  value: Tensor;
  /** ∂value/∂params, same tree shape as params (zeros for parameters value does not depend on). */
  grads: P;
  /** Whatever `f` returned as `aux` (tensors inside survive). */
  aux: unknown;
}

function reverse<P extends Tree>(
  f: (p: P) => FnResult,
  params: P,
  seedOf: (v: Tensor) => Tensor,
  where: string,
): ValueAndGrad<P> {
  return tidy(() => {
    const leaves = flattenTree(params);
    const tape = new Tape();
    const aliases = leaves.map((t) => {
      const a = alias(t);
      tape.watch(a);
      return a;
    });
    let r: FnResult;
    try {
      r = f(unflattenTree(params, aliases));
    } catch (e) {
      tape.recording = false;
      throw e;
    }
    tape.recording = false;
    const value = r instanceof Tensor ? r : r.loss;
    const aux = r instanceof Tensor ? undefined : r.aux;
    if (!(value instanceof Tensor))
      throw new TypeError(`${where}: f must return a Tensor or { loss: Tensor, aux }`);
    const seed = seedOf(value);
    const ct = tape.backward(value, seed, vjpOf, add);
    const grads = aliases.map((a, i) => ct[a.slot] ?? zerosLike(leaves[i]));
    tape.release();
    return { value, grads: unflattenTree(params, grads), aux };
  });
}

/**
 * Reverse mode: returns a function computing f(params) and ∂f/∂params.
 * @param f maps a parameter tree to a SCALAR tensor (any shape with one element), or to
 *   `{ loss, aux }`. Tensors created inside f other than value/aux are freed on return.
 * @throws RangeError when the value has more than one element (use `vjp` then).
 */
export function valueAndGrad<P extends Tree>(f: (params: P) => FnResult): (params: P) => ValueAndGrad<P> {
  return (params) =>
    reverse(
      f,
      params,
      (v) => {
        if (v.size !== 1) {
          throw new RangeError(
            `valueAndGrad: f must return a scalar loss, got shape ${fmtShape(v.shape)} (reduce it with sum/mean, or use vjp)`,
          );
        }
        return onesLike(v);
      },
      'valueAndGrad',
    );
}

/** Gradient only: grad(f)(params) = valueAndGrad(f)(params).grads. */
export function grad<P extends Tree>(f: (params: P) => FnResult): (params: P) => P {
  const vg = valueAndGrad(f);
  return (params) => vg(params).grads;
}

/**
 * Vector-Jacobian product: value = f(params) of any shape and grads = Jᵀ·cotangent.
 * @throws RangeError when cotangent's shape differs from the value's.
 */
export function vjp<P extends Tree>(
  f: (params: P) => FnResult,
  params: P,
  cotangent: Tensor,
): ValueAndGrad<P> {
  return reverse(
    f,
    params,
    (v) => {
      if (!sameShape(v.shape, cotangent.shape)) {
        throw new RangeError(
          `vjp: cotangent ${fmtShape(cotangent.shape)} does not match the output ${fmtShape(v.shape)}`,
        );
      }
      return cotangent;
    },
    'vjp',
  );
}

function attachTangents(
  primals: readonly Tensor[],
  tangents: readonly Tensor[],
  dual: DualLike,
  where: string,
): Tensor[] {
  if (primals.length !== tangents.length) {
    throw new RangeError(`${where}: ${primals.length} primals but ${tangents.length} tangents`);
  }
  return primals.map((p, i) => {
    const t = tangents[i];
    if (p.dual !== null && p.dual.active)
      throw new Error(`${where}: nested forward-mode differentiation is not supported`);
    if (!sameShape(p.shape, t.shape) || p.dtype !== t.dtype) {
      throw new RangeError(
        `${where}: tangent ${i} is ${t.dtype} ${fmtShape(t.shape)} but its primal is ${p.dtype} ${fmtShape(p.shape)}`,
      );
    }
    const a = alias(p);
    a.dual = dual;
    a.tangent = t;
    return a;
  });
}

/**
 * Forward mode: value = f(primals) and tangent = J·tangents (directional derivative).
 * @param primals parameter tree; @param tangents tree of the same structure and shapes.
 */
export function jvp<P extends Tree>(
  f: (primals: P) => Tensor,
  primals: P,
  tangents: P,
): { value: Tensor; tangent: Tensor } {
  const dual: DualLike = { active: true };
  return tidy(() => {
    const aliases = attachTangents(flattenTree(primals), flattenTree(tangents), dual, 'jvp');
    let out: Tensor;
    try {
      out = f(unflattenTree(primals, aliases));
    } finally {
      dual.active = false;
    }
    // The context is now inactive, so later ops on `value` carry no tangents.
    const tangent = out.dual === dual && out.tangent !== null ? out.tangent : zerosLike(out);
    return { value: out, tangent };
  });
}

/**
 * Hessian-vector product of a scalar f at params along v (forward-over-reverse).
 * @returns value f(params), grads ∇f, and hvp = ∇²f·v, all trees shaped like params.
 */
export function hvp<P extends Tree>(
  f: (params: P) => FnResult,
  params: P,
  v: P,
): ValueAndGrad<P> & { hvp: P } {
  const dual: DualLike = { active: true };
  return tidy(() => {
    const aliases = attachTangents(flattenTree(params), flattenTree(v), dual, 'hvp');
    let r: ValueAndGrad<P>;
    try {
      r = valueAndGrad(f)(unflattenTree(params, aliases));
    } finally {
      dual.active = false;
    }
    const gl = flattenTree(r.grads);
    const hv = gl.map((g) => (g.dual === dual && g.tangent !== null ? g.tangent : zerosLike(g)));
    return { ...r, hvp: unflattenTree(params, hv) };
  });
}
