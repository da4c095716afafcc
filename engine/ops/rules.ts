/**
 * The rule table: for every primitive its shape rule (forward semantics + validation), its
 * vector-Jacobian product (reverse mode) and its Jacobian-vector product (forward mode),
 * side by side. The forward kernels live in each backend's kernel table.
 *
 * Invariants: `Rules` is a mapped type over PrimName, so a missing rule fails `tsc`. VJP and
 * JVP rules are written with the public differentiable ops, so they can themselves be
 * differentiated in forward mode (Hessian-vector products). `vjp: null` / `jvp: null` mark
 * piecewise-constant primitives (compare, sign): their derivative is zero almost everywhere,
 * so they are not recorded. Broadcasting binary ops reduce their cotangents back to each
 * input's shape with `sumTo`.
 *
 * Derivatives (standard calculus; lecture "Backpropagation"): d(1/x) = −1/x², d eˣ = eˣ,
 * d ln x = 1/x, d ln(1+x) = 1/(1+x), d(eˣ−1) = eˣ, d√x = 1/(2√x), d tanh = 1 − tanh² = 4σ(2x)σ(−2x),
 * d σ = σ(x)σ(−x), d erf = 2/√π·e^{−x²}, d|x| = sign x; for C = op(A)·op(B):
 * dA = G·Bᵀ, dB = Aᵀ·G and their transposed-layout variants.
 */
import { broadcastShapes, fmtShape, reducedShape, sameShape, sizeOf, type Shape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import * as o from './ops';
import type { PrimAttrs, PrimName } from './prims';

export interface Rule<K extends PrimName> {
  /** Output shape; throws a RangeError naming the primitive on invalid inputs. */
  shape(s: readonly Shape[], a: PrimAttrs[K]): Shape;
  /** Cotangents of the inputs given the output cotangent g (null: input not differentiable). */
  vjp: ((g: Tensor, x: readonly Tensor[], out: Tensor, a: PrimAttrs[K]) => (Tensor | null)[]) | null;
  /** Output tangent given input tangents t (same shapes as the inputs). */
  jvp: ((t: readonly Tensor[], x: readonly Tensor[], out: Tensor, a: PrimAttrs[K]) => Tensor) | null;
}
export type Rules = { [K in PrimName]: Rule<K> };

const same = (s: readonly Shape[]): Shape => s[0];
const bcast =
  (name: string) =>
  (s: readonly Shape[]): Shape =>
    broadcastShapes(s[0], s[1], name);
const TWO_OVER_SQRT_PI = 1.1283791670955126;

/** Elementwise unary rule from its derivative f'(x, out) written with ops. */
function unaryRule<K extends PrimName>(d: (x: Tensor, out: Tensor) => Tensor): Rule<K> {
  return {
    shape: same,
    vjp: (g, x, out) => [o.mul(g, d(x[0], out))],
    jvp: (t, x, out) => o.mul(t[0], d(x[0], out)),
  };
}

function compareRule<K extends PrimName>(name: string): Rule<K> {
  return { shape: bcast(name), vjp: null, jvp: null };
}

function inversePerm(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  for (let i = 0; i < perm.length; i++) inv[perm[i]] = i;
  return inv;
}

/** Shape with reduced axes kept as 1 (for broadcasting a reduction's cotangent back). */
function keptShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function checkIndices(idx: Int32Array, dim: number, where: string): void {
  for (let j = 0; j < idx.length; j++) {
    const v = idx[j];
    if (v < 0 || v >= dim)
      throw new RangeError(`${where}: index ${v} at position ${j} is outside [0, ${dim})`);
  }
}

export const RULES: Rules = {
  neg: { shape: same, vjp: (g) => [o.neg(g)], jvp: (t) => o.neg(t[0]) },
  reciprocal: unaryRule((_x, y) => o.neg(o.mul(y, y))),
  exp: unaryRule((_x, y) => y),
  log: { shape: same, vjp: (g, x) => [o.div(g, x[0])], jvp: (t, x) => o.div(t[0], x[0]) },
  log1p: {
    shape: same,
    vjp: (g, x) => [o.div(g, o.add(x[0], 1))],
    jvp: (t, x) => o.div(t[0], o.add(x[0], 1)),
  },
  expm1: unaryRule((_x, y) => o.add(y, 1)),
  sqrt: {
    shape: same,
    vjp: (g, _x, y) => [o.div(o.mul(g, 0.5), y)],
    jvp: (t, _x, y) => o.div(o.mul(t[0], 0.5), y),
  },
  // 1 − tanh²x and σ(1 − σ) lose relative precision in the tails (1 − y cancels); the
  // equivalent forms sech²x = 4σ(2x)σ(−2x) and σ(x)σ(−x) keep it.
  tanh: unaryRule((x) => {
    const x2 = o.mul(x, 2);
    return o.mul(o.mul(o.sigmoid(x2), o.sigmoid(o.neg(x2))), 4);
  }),
  sigmoid: unaryRule((x, y) => o.mul(y, o.sigmoid(o.neg(x)))),
  erf: unaryRule((x) => o.mul(o.exp(o.neg(o.mul(x, x))), TWO_OVER_SQRT_PI)),
  abs: unaryRule((x) => o.sign(x)),
  sign: { shape: same, vjp: null, jvp: null },

  add: {
    shape: bcast('add'),
    vjp: (g, x) => [o.sumTo(g, x[0].shape), o.sumTo(g, x[1].shape)],
    jvp: (t) => o.add(t[0], t[1]),
  },
  sub: {
    shape: bcast('sub'),
    vjp: (g, x) => [o.sumTo(g, x[0].shape), o.sumTo(o.neg(g), x[1].shape)],
    jvp: (t) => o.sub(t[0], t[1]),
  },
  mul: {
    shape: bcast('mul'),
    vjp: (g, x) => [o.sumTo(o.mul(g, x[1]), x[0].shape), o.sumTo(o.mul(g, x[0]), x[1].shape)],
    jvp: (t, x) => o.add(o.mul(t[0], x[1]), o.mul(x[0], t[1])),
  },
  div: {
    shape: bcast('div'),
    // out = a/b: ∂/∂a = 1/b, ∂/∂b = −out/b.
    vjp: (g, x, y) => [
      o.sumTo(o.div(g, x[1]), x[0].shape),
      o.sumTo(o.neg(o.div(o.mul(g, y), x[1])), x[1].shape),
    ],
    jvp: (t, x, y) => o.div(o.sub(t[0], o.mul(t[1], y)), x[1]),
  },
  maximum: {
    shape: bcast('maximum'),
    // Gradient goes to the larger input; at ties it is split equally (a valid subgradient).
    vjp: (g, x) => {
      const w = maxWeight(x[0], x[1]);
      return [o.sumTo(o.mul(g, w), x[0].shape), o.sumTo(o.mul(g, o.sub(1, w)), x[1].shape)];
    },
    jvp: (t, x) => {
      const w = maxWeight(x[0], x[1]);
      return o.add(o.mul(t[0], w), o.mul(t[1], o.sub(1, w)));
    },
  },
  greater: compareRule('greater'),
  greaterEqual: compareRule('greaterEqual'),
  equal: compareRule('equal'),
  where: {
    shape: (s) => broadcastShapes(broadcastShapes(s[0], s[1], 'where'), s[2], 'where'),
    vjp: (g, x) => [null, o.sumTo(o.where(x[0], g, 0), x[1].shape), o.sumTo(o.where(x[0], 0, g), x[2].shape)],
    jvp: (t, x) => o.where(x[0], t[1], t[2]),
  },

  sum: {
    shape: (s, a) => reducedShape(s[0], a.axes, a.keepDims),
    vjp: (g, x, _y, a) => [o.broadcastTo(o.reshape(g, keptShape(x[0].shape, a.axes)), x[0].shape)],
    jvp: (t, _x, _y, a) => o.sum(t[0], a.axes, a.keepDims),
  },
  max: {
    shape: (s, a) => {
      for (const ax of a.axes) {
        if (s[0][ax] === 0)
          throw new RangeError(`max: cannot reduce the empty axis ${ax} of ${fmtShape(s[0])}`);
      }
      return reducedShape(s[0], a.axes, a.keepDims);
    },
    // Cotangent shared equally among tied maxima.
    vjp: (g, x, y, a) => {
      const w = maxMask(x[0], y, a.axes);
      return [o.mul(w, o.reshape(g, keptShape(x[0].shape, a.axes)))];
    },
    jvp: (t, x, y, a) => o.sum(o.mul(t[0], maxMask(x[0], y, a.axes)), a.axes, a.keepDims),
  },

  matmul: {
    shape: (s, { transA, transB }) => {
      const [sa, sb] = s;
      if (sa.length !== 2 || sb.length !== 2) {
        throw new RangeError(`matmul: needs 2-D tensors, got ${fmtShape(sa)} and ${fmtShape(sb)}`);
      }
      const [m, ka] = transA ? [sa[1], sa[0]] : [sa[0], sa[1]];
      const [kb, n] = transB ? [sb[1], sb[0]] : [sb[0], sb[1]];
      if (ka !== kb) {
        throw new RangeError(
          `matmul: inner dimensions differ: ${transA ? 'Aᵀ' : 'A'} ${fmtShape(sa)} · ${transB ? 'Bᵀ' : 'B'} ${fmtShape(sb)} (${ka} vs ${kb})`,
        );
      }
      return [m, n];
    },
    vjp: (g, [a, b], _y, { transA, transB }) => {
      if (!transA && !transB) return [o.matmul(g, b, { transB: true }), o.matmul(a, g, { transA: true })];
      if (transA && !transB) return [o.matmul(b, g, { transB: true }), o.matmul(a, g)];
      if (!transA && transB) return [o.matmul(g, b), o.matmul(g, a, { transA: true })];
      return [o.matmul(b, g, { transA: true, transB: true }), o.matmul(g, a, { transA: true, transB: true })];
    },
    jvp: (t, x, _y, a) => o.add(o.matmul(t[0], x[1], a), o.matmul(x[0], t[1], a)),
  },

  reshape: {
    shape: (s, { shape }) => {
      if (sizeOf(shape) !== sizeOf(s[0])) {
        throw new RangeError(
          `reshape: cannot reshape ${fmtShape(s[0])} (${sizeOf(s[0])} elements) to ${fmtShape(shape)}`,
        );
      }
      return shape;
    },
    vjp: (g, x) => [o.reshape(g, x[0].shape)],
    jvp: (t, _x, _y, a) => o.reshape(t[0], a.shape),
  },
  transpose: {
    shape: (s, { perm }) => {
      const r = s[0].length;
      const seen = new Array<boolean>(r).fill(false);
      if (perm.length !== r)
        throw new RangeError(`transpose: perm [${perm.join(', ')}] does not match rank ${r}`);
      for (const p of perm) {
        if (!Number.isInteger(p) || p < 0 || p >= r || seen[p]) {
          throw new RangeError(`transpose: [${perm.join(', ')}] is not a permutation of 0..${r - 1}`);
        }
        seen[p] = true;
      }
      return perm.map((p) => s[0][p]);
    },
    vjp: (g, _x, _y, a) => [o.transpose(g, inversePerm(a.perm))],
    jvp: (t, _x, _y, a) => o.transpose(t[0], a.perm),
  },
  broadcastTo: {
    shape: (s, { shape }) => {
      const b = broadcastShapes(s[0], shape, 'broadcastTo');
      if (!sameShape(b, shape))
        throw new RangeError(`broadcastTo: ${fmtShape(s[0])} cannot be broadcast to ${fmtShape(shape)}`);
      return shape;
    },
    vjp: (g, x) => [o.sumTo(g, x[0].shape)],
    jvp: (t, _x, _y, a) => o.broadcastTo(t[0], a.shape),
  },
  slice: {
    shape: (s, { begin, size }) => {
      const sh = s[0];
      if (begin.length !== sh.length || size.length !== sh.length) {
        throw new RangeError(`slice: begin/size must have ${sh.length} entries for ${fmtShape(sh)}`);
      }
      for (let i = 0; i < sh.length; i++) {
        if (!(begin[i] >= 0 && size[i] >= 0 && begin[i] + size[i] <= sh[i])) {
          throw new RangeError(
            `slice: axis ${i}: [${begin[i]}, ${begin[i] + size[i]}) is outside 0..${sh[i]} of ${fmtShape(sh)}`,
          );
        }
      }
      return size;
    },
    vjp: (g, x, _y, { begin, size }) => [
      o.pad(
        g,
        begin,
        x[0].shape.map((d, i) => d - begin[i] - size[i]),
      ),
    ],
    jvp: (t, _x, _y, a) => o.slice(t[0], a.begin, a.size),
  },
  pad: {
    shape: (s, { before, after }) => {
      const sh = s[0];
      if (before.length !== sh.length || after.length !== sh.length) {
        throw new RangeError(`pad: before/after must have ${sh.length} entries for ${fmtShape(sh)}`);
      }
      return sh.map((d, i) => {
        if (!(Number.isInteger(before[i]) && Number.isInteger(after[i]) && before[i] >= 0 && after[i] >= 0)) {
          throw new RangeError(`pad: axis ${i}: padding must be non-negative integers`);
        }
        return d + before[i] + after[i];
      });
    },
    vjp: (g, x, _y, { before }) => [o.slice(g, before, x[0].shape)],
    jvp: (t, _x, _y, a) => o.pad(t[0], a.before, a.after),
  },
  concat: {
    shape: (s, { axis }) => {
      const r = s[0].length;
      if (axis < 0 || axis >= r) throw new RangeError(`concat: axis ${axis} is out of range for rank ${r}`);
      const out = [...s[0]];
      for (let k = 1; k < s.length; k++) {
        const sk = s[k];
        if (sk.length !== r || sk.some((d, i) => i !== axis && d !== s[0][i])) {
          throw new RangeError(
            `concat: input ${k} has shape ${fmtShape(sk)}, incompatible with ${fmtShape(s[0])} along axis ${axis}`,
          );
        }
        out[axis] += sk[axis];
      }
      return out;
    },
    vjp: (g, x, _y, { axis }) => {
      let off = 0;
      return x.map((xi) => {
        const begin = xi.shape.map((_d, i) => (i === axis ? off : 0));
        off += xi.shape[axis];
        return o.slice(g, begin, xi.shape);
      });
    },
    jvp: (t, _x, _y, a) => o.concat(t, a.axis),
  },
  gather: {
    shape: (s, { indices, axis }) => {
      const sh = s[0];
      if (axis < 0 || axis >= sh.length)
        throw new RangeError(`gather: axis ${axis} is out of range for ${fmtShape(sh)}`);
      checkIndices(indices, sh[axis], 'gather');
      return sh.map((d, i) => (i === axis ? indices.length : d));
    },
    vjp: (g, x, _y, { indices, axis }) => [o.scatterAdd(g, indices, axis, x[0].shape[axis])],
    jvp: (t, _x, _y, a) => o.gather(t[0], a.indices, a.axis),
  },
  scatterAdd: {
    shape: (s, { indices, axis, dimSize }) => {
      const sh = s[0];
      if (axis < 0 || axis >= sh.length)
        throw new RangeError(`scatterAdd: axis ${axis} is out of range for ${fmtShape(sh)}`);
      if (indices.length !== sh[axis]) {
        throw new RangeError(`scatterAdd: ${indices.length} indices for axis ${axis} of size ${sh[axis]}`);
      }
      checkIndices(indices, dimSize, 'scatterAdd');
      return sh.map((d, i) => (i === axis ? dimSize : d));
    },
    vjp: (g, _x, _y, { indices, axis }) => [o.gather(g, indices, axis)],
    jvp: (t, _x, _y, a) => o.scatterAdd(t[0], a.indices, a.axis, a.dimSize),
  },
};

/** 1 where a > b, ½ where a = b, 0 where a < b (constant w.r.t. differentiation). */
function maxWeight(a: Tensor, b: Tensor): Tensor {
  return o.add(o.greater(a, b), o.mul(o.equal(a, b), 0.5));
}

/** Mask of the positions attaining the max divided by their count (x's shape). */
function maxMask(x: Tensor, y: Tensor, axes: readonly number[]): Tensor {
  const yk = o.reshape(o.stopGradient(y), keptShape(x.shape, axes));
  const mask = o.equal(x, yk);
  return o.div(mask, o.sum(mask, axes, true));
}
