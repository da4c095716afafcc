/** Reverse mode, forward mode and Hessian-vector products against independent references. */
import { describe, expect, it } from 'vitest';
import * as E from '../../../engine/index';
import { Rng } from '../../../engine/random/rng';
import { rand64, t64 } from './helpers';

type Net = { W1: E.Tensor; b1: E.Tensor; W2: E.Tensor; b2: E.Tensor; W3: E.Tensor; b3: E.Tensor };

function makeNet(rng: Rng): Net {
  return {
    W1: rand64(rng, [3, 5]),
    b1: rand64(rng, [5]),
    W2: rand64(rng, [5, 4]),
    b2: rand64(rng, [4]),
    W3: rand64(rng, [4, 2]),
    b3: rand64(rng, [2]),
  };
}
/** 3-layer network built from primitives: tanh, sigmoid-weighted erf, linear output [B, 2]. */
function forward(p: Net, x: E.Tensor): E.Tensor {
  const h1 = E.tanh(E.add(E.matmul(x, p.W1), p.b1));
  const z2 = E.add(E.matmul(h1, p.W2), p.b2);
  const h2 = E.mul(E.sigmoid(z2), E.erf(z2));
  return E.add(E.matmul(h2, p.W3), p.b3);
}
/** Scalar loss: cross-entropy of the logits (via logSumExp and gather) plus an L2 term. */
function loss(p: Net, x: E.Tensor, y: number[]): E.Tensor {
  const logits = forward(p, x);
  const [B, C] = logits.shape;
  const lse = E.logSumExp(logits, 1);
  const picked = E.gather(
    E.reshape(logits, [B * C]),
    y.map((c, i) => i * C + c),
  );
  return E.add(E.mean(E.sub(lse, picked)), E.mul(E.sum(E.square(p.W2)), 0.01));
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
const leaves = (n: Net): E.Tensor[] => [n.W1, n.b1, n.W2, n.b2, n.W3, n.b3];

describe('reverse mode', () => {
  it('gradient of a linear-quadratic form matches the closed form', () => {
    // L = ½ xᵀ A x + bᵀ x → ∇L = ½(A + Aᵀ)x + b.
    const rng = new Rng(2);
    const A = rand64(rng, [4, 4]);
    const b = rand64(rng, [4]);
    const x = rand64(rng, [4, 1]);
    const { value, grads } = E.valueAndGrad((x: E.Tensor) =>
      E.add(E.mul(E.sum(E.mul(x, E.matmul(A, x))), 0.5), E.sum(E.mul(b, E.reshape(x, [4])))),
    )(x);
    const a = A.dataSync();
    const xv = x.dataSync();
    const bv = b.dataSync();
    let v = 0;
    for (let i = 0; i < 4; i++) {
      let gi = bv[i];
      v += bv[i] * xv[i];
      for (let j = 0; j < 4; j++) {
        gi += 0.5 * (a[i * 4 + j] + a[j * 4 + i]) * xv[j];
        v += 0.5 * xv[i] * a[i * 4 + j] * xv[j];
      }
      expect(grads.dataSync()[i]).toBeCloseTo(gi, 13);
    }
    expect(value.item()).toBeCloseTo(v, 13);
  });

  it('sigmoid gradient keeps relative precision in the tails (x = ±20)', () => {
    const g = E.grad((x: E.Tensor) => E.sum(E.sigmoid(x)))(t64([-20, 20])).dataSync();
    const ref = Math.exp(-20) / (1 + Math.exp(-20)) ** 2;
    expect(Math.abs(g[0] - ref) / ref).toBeLessThan(1e-12);
    expect(Math.abs(g[1] - ref) / ref).toBeLessThan(1e-12);
  });

  it('returns zero gradients for unused parameters and keeps aux outputs', () => {
    const p = { used: t64([1, 2]), unused: t64([3]) };
    const r = E.valueAndGrad((q: typeof p) => ({
      loss: E.sum(E.square(q.used)),
      aux: { twice: E.mul(q.used, 2) },
    }))(p);
    expect(Array.from(r.grads.used.dataSync())).toEqual([2, 4]);
    expect(Array.from(r.grads.unused.dataSync())).toEqual([0]);
    expect(Array.from((r.aux as { twice: E.Tensor }).twice.dataSync())).toEqual([2, 4]);
  });

  it('rejects a non-scalar loss with a clear message', () => {
    expect(() => E.valueAndGrad((x: E.Tensor) => E.mul(x, 2))(t64([1, 2]))).toThrow(/scalar loss.*\[2\]/);
  });

  it('vjp of a non-scalar function equals Jᵀu computed by hand', () => {
    // f(x) = x ⊙ x (elementwise) → Jᵀu = 2 x ⊙ u.
    const r = E.vjp((x: E.Tensor) => E.mul(x, x), t64([1, -2, 3]), t64([0.5, 1, -1]));
    expect(Array.from(r.grads.dataSync())).toEqual([1, -4, -6]);
  });

  it('two independent models interleaved give the same results as run alone', () => {
    const x = rand64(new Rng(9), [6, 3]);
    const y = [0, 1, 1, 0, 1, 0];
    const alone = (seed: number): number[] => {
      const n = makeNet(new Rng(seed));
      return leaves(E.valueAndGrad((q: Net) => loss(q, x, y))(n).grads).flatMap((g) =>
        Array.from(g.dataSync()),
      );
    };
    const a = alone(1);
    const b = alone(2);
    const n1 = makeNet(new Rng(1));
    const n2 = makeNet(new Rng(2));
    // Start differentiating model 2 while model 1's forward pass is running.
    let inner: number[] = [];
    const r1 = E.valueAndGrad((q: Net) => {
      const l = loss(q, x, y);
      inner = leaves(E.valueAndGrad((q2: Net) => loss(q2, x, y))(n2).grads).flatMap((g) =>
        Array.from(g.dataSync()),
      );
      return l;
    })(n1);
    expect(leaves(r1.grads).flatMap((g) => Array.from(g.dataSync()))).toEqual(a);
    expect(inner).toEqual(b);
  });
});

describe('forward mode agrees with reverse mode', () => {
  it('⟨u, J v⟩ (jvp) = ⟨Jᵀ u, v⟩ (vjp) on a 3-layer network', () => {
    for (const seed of [1, 2, 3]) {
      const rng = new Rng(seed);
      const p = makeNet(rng);
      const x = rand64(rng, [7, 3]);
      const v = makeNet(rng);
      const u = rand64(rng, [7, 2]);
      const { value, tangent } = E.jvp((q: Net) => forward(q, x), p, v);
      const uJv = dot(u.dataSync(), tangent.dataSync());
      const back = E.vjp((q: Net) => forward(q, x), p, u);
      let JTuv = 0;
      const gl = leaves(back.grads);
      const vl = leaves(v);
      for (let i = 0; i < gl.length; i++) JTuv += dot(gl[i].dataSync(), vl[i].dataSync());
      expect(Math.abs(uJv - JTuv)).toBeLessThan(1e-12 * Math.max(1, Math.abs(JTuv)));
      expect(Array.from(value.dataSync())).toEqual(Array.from(back.value.dataSync()));
    }
  });

  it('jvp of a scalar function equals the central difference along the tangent', () => {
    const rng = new Rng(4);
    const p = makeNet(rng);
    const v = makeNet(rng);
    const x = rand64(rng, [5, 3]);
    const y = [1, 0, 1, 1, 0];
    const { tangent } = E.jvp((q: Net) => loss(q, x, y), p, v);
    const h = 1e-5;
    const at = (s: number): number =>
      E.tidy(() => {
        const q = Object.fromEntries(
          Object.entries(p).map(([k, t]) => [k, E.add(t, E.mul((v as Record<string, E.Tensor>)[k], s))]),
        ) as Net;
        return loss(q, x, y).item();
      });
    const fd = (at(h) - at(-h)) / (2 * h);
    expect(Math.abs(tangent.item() - fd)).toBeLessThan(1e-8);
  });

  it('rejects nested jvp and mismatched tangents', () => {
    const x = t64([1, 2]);
    expect(() => E.jvp((a: E.Tensor) => E.mul(a, 2), x, t64([1, 2, 3]))).toThrow(
      /tangent 0 is float64 \[3\]/,
    );
    expect(() =>
      E.jvp((a: E.Tensor) => E.jvp((b: E.Tensor) => E.mul(b, 2), a, t64([1, 1])).value, x, t64([1, 1])),
    ).toThrow(/nested forward-mode/);
  });
});

describe('Hessian-vector products (forward-over-reverse)', () => {
  it('equal the closed form A·v for a quadratic', () => {
    // L = ½ xᵀ S x with S symmetric → H v = S v.
    const rng = new Rng(6);
    const M = rand64(rng, [4, 4]);
    const S = E.add(M, E.transpose(M));
    const x = rand64(rng, [4, 1]);
    const v = rand64(rng, [4, 1]);
    const r = E.hvp((q: E.Tensor) => E.mul(E.sum(E.mul(q, E.matmul(S, q))), 0.5), x, v);
    const s = S.dataSync();
    const vv = v.dataSync();
    for (let i = 0; i < 4; i++) {
      let ref = 0;
      for (let j = 0; j < 4; j++) ref += s[i * 4 + j] * vv[j];
      expect(r.hvp.dataSync()[i]).toBeCloseTo(ref, 13);
    }
  });

  it('equal central finite differences of the gradient on a 3-layer network', () => {
    const rng = new Rng(8);
    const p = makeNet(rng);
    const v = makeNet(rng);
    const x = rand64(rng, [6, 3]);
    const y = [0, 1, 1, 0, 1, 1];
    const f = (q: Net): E.Tensor => loss(q, x, y);
    const r = E.hvp(f, p, v);
    const h = 1e-5;
    const gradAt = (s: number): number[] =>
      E.tidy(() => {
        const q = Object.fromEntries(
          Object.entries(p).map(([k, t]) => [k, E.add(t, E.mul((v as Record<string, E.Tensor>)[k], s))]),
        ) as Net;
        return leaves(E.grad(f)(q)).flatMap((g) => Array.from(g.dataSync()));
      });
    const gp = gradAt(h);
    const gm = gradAt(-h);
    const hv = leaves(r.hvp).flatMap((t) => Array.from(t.dataSync()));
    let maxErr = 0;
    let maxAbs = 0;
    for (let i = 0; i < hv.length; i++) {
      maxErr = Math.max(maxErr, Math.abs(hv[i] - (gp[i] - gm[i]) / (2 * h)));
      maxAbs = Math.max(maxAbs, Math.abs(hv[i]));
    }
    expect(maxAbs).toBeGreaterThan(1e-3); // not vacuous
    expect(maxErr).toBeLessThan(1e-7);
    // The gradient returned alongside equals plain reverse mode.
    expect(leaves(r.grads).flatMap((t) => Array.from(t.dataSync()))).toEqual(gradAt(0));
  });

  it('vᵀHv is symmetric in the sense uᵀ(Hv) = vᵀ(Hu)', () => {
    const rng = new Rng(10);
    const p = makeNet(rng);
    const u = makeNet(rng);
    const v = makeNet(rng);
    const x = rand64(rng, [4, 3]);
    const f = (q: Net): E.Tensor => loss(q, x, [0, 1, 0, 1]);
    const Hv = leaves(E.hvp(f, p, v).hvp);
    const Hu = leaves(E.hvp(f, p, u).hvp);
    let a = 0;
    let b = 0;
    leaves(u).forEach((t, i) => (a += dot(t.dataSync(), Hv[i].dataSync())));
    leaves(v).forEach((t, i) => (b += dot(t.dataSync(), Hu[i].dataSync())));
    expect(Math.abs(a - b)).toBeLessThan(1e-12 * Math.max(1, Math.abs(a)));
  });
});

describe('tail precision of tanh', () => {
  it('tanh gradient at x = ±10 matches sech² to 1e-12 relative', () => {
    const g = E.grad((x: E.Tensor) => E.sum(E.tanh(x)))(t64([-10, 10])).dataSync();
    const ref = 1 / Math.cosh(10) ** 2;
    expect(Math.abs(g[0] - ref) / ref).toBeLessThan(1e-12);
    expect(Math.abs(g[1] - ref) / ref).toBeLessThan(1e-12);
  });
});

describe('float32 and float64 paths agree', () => {
  it('float32 gradients of the 3-layer network match float64 to float32 precision', () => {
    const rng = new Rng(21);
    const p64 = makeNet(rng);
    const x64 = rand64(rng, [5, 3]);
    const y = [1, 0, 0, 1, 1];
    const to32 = (t: E.Tensor): E.Tensor => E.cast(t, 'float32');
    const p32 = Object.fromEntries(Object.entries(p64).map(([k, t]) => [k, to32(t)])) as Net;
    const g64 = leaves(E.grad((q: Net) => loss(q, x64, y))(p64));
    const g32 = leaves(E.grad((q: Net) => loss(q, to32(x64), y))(p32));
    for (let i = 0; i < g64.length; i++) {
      const a = g32[i].dataSync();
      const b = g64[i].dataSync();
      expect(a).toBeInstanceOf(Float32Array);
      for (let j = 0; j < b.length; j++)
        expect(Math.abs(a[j] - b[j])).toBeLessThan(1e-5 * Math.max(1, Math.abs(b[j])));
    }
  });
});
