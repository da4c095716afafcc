/**
 * Fused MLP training step: loss and gradients of a stack of Dense layers (y = x·W + b, W [in, out])
 * with one activation between them, computed by hand-written forward and backward passes over the
 * flat ParamStore arrays — no tensors, no tape, no per-op dispatch. This removes the per-op
 * overhead that dominates small networks (W1/W2 in bench/WORKLOADS.md) and lets large ones spend
 * their time in the GEMM (engine/backend/wasm/gemm.ts).
 *
 * Formulas (lecture "Backpropagation"): with z_l = h_{l-1}·W_l + b_l, h_l = f(z_l):
 *   δ_L = ∂loss/∂z_L (fused per loss, below);  ∂W_l = h_{l-1}ᵀ·δ_l;  ∂b_l = Σ_rows δ_l;
 *   δ_{l-1} = (δ_l·W_lᵀ) ⊙ f'(z_{l-1}), with f' from the stored activations: ReLU 1[h > 0],
 *   sigmoid h(1 − h), tanh 1 − h².
 * Fused output gradients (N = rows·outputs for MSE/BCE, rows for cross-entropy):
 *   MSE  mean((ŷ − y)²):                        δ = 2(ŷ − y)/N
 *   BCE on sigmoid outputs p (p clamped to [ε, 1 − ε], ε = 1e-7, as engine/losses bce):
 *                                               δ = (p − y)/N where ε < p < 1 − ε, else 0
 *   BCE on logits z (stable form max(z, 0) − z·y + ln(1 + e^{−|z|}), as engine/losses bceWithLogits):
 *                                               δ = (σ(z) − y)/N
 *   softmax cross-entropy on logits z:          δ = (softmax(z) − onehot(y))/rows
 * The results equal the autodiff path (engine/losses + engine/nn) up to float rounding
 * (test/unit/perf/fastpath.test.ts checks them against it and against finite differences).
 *
 * Invariants: scratch buffers are sized by the largest batch seen and reused, so a steady-state
 * step allocates no typed arrays; gradients are WRITTEN (not accumulated) into the store's grads;
 * frozen parameters are not supported here (use the autodiff path).
 */
import { gemmPlain } from '../backend/cpu-reference';
import { WASM_MIN_FLOPS } from '../backend/cpu-kernels';
import type { HostArray } from '../backend/types';
import { gemmWasm, wasmGemmAvailable } from '../backend/wasm/gemm';
import type { ParamStore } from '../memory/param-store';

export type FusedActivation = 'relu' | 'sigmoid' | 'tanh' | 'linear';
export type FusedLoss = 'mse' | 'bce' | 'bce_logits' | 'softmax_ce';

export interface FusedMlpSpec {
  /** Layer widths [in, h1, …, out]. */
  layers: readonly number[];
  /** Activation after every hidden Dense layer (unless `activations` gives one per hidden layer). */
  hidden: FusedActivation;
  /** Optional activation per hidden layer (length layers.length − 2); overrides `hidden`. */
  activations?: readonly FusedActivation[];
  /** Activation after the last layer ('sigmoid' only with BCE; 'linear' for MSE and cross-entropy). */
  output: 'linear' | 'sigmoid';
  loss: FusedLoss;
  /** Parameter names in the store, per layer: weight [in, out] and bias [out]. */
  names: readonly { W: string; b: string }[];
}

const BCE_EPS = 1e-7;

/** out = op(A)·op(B), WebAssembly SIMD for float32 products large enough to pay for packing. */
function gemm(
  a: HostArray,
  b: HostArray,
  out: HostArray,
  m: number,
  n: number,
  k: number,
  tA: boolean,
  tB: boolean,
): void {
  if (out instanceof Float32Array && m * n * k >= WASM_MIN_FLOPS && wasmGemmAvailable()) {
    gemmWasm(a as Float32Array, b as Float32Array, out, m, n, k, tA, tB);
  } else gemmPlain(a, b, out, m, n, k, tA, tB);
}

/**
 * The fused forward + backward of one Dense stack over a ParamStore (see the module header for the
 * formulas and invariants); inputs [rows, in], targets [rows, out] (class indices for cross-entropy).
 */
export class FusedMlp {
  private readonly L: number;
  /** Activation after each layer (hidden ones, then the output's). */
  private readonly acts: FusedActivation[] = [];
  private readonly W: HostArray[] = [];
  private readonly b: HostArray[] = [];
  private readonly dW: HostArray[] = [];
  private readonly db: HostArray[] = [];
  /** h[l] = activation output of layer l (h[L-1] = network output), sized for `cap` rows. */
  private h: HostArray[] = [];
  /** Two ping-pong δ buffers of the widest layer. */
  private d0: HostArray = new Float32Array(0);
  private d1: HostArray = new Float32Array(0);
  private cap = 0;

  /**
   * @throws Error when a named parameter is missing, has the wrong shape, or is frozen; or when the
   * spec combines an output activation and loss this path does not fuse.
   */
  constructor(
    readonly store: ParamStore,
    readonly spec: FusedMlpSpec,
  ) {
    const { layers, names } = spec;
    this.L = layers.length - 1;
    if (this.L < 1) throw new RangeError('FusedMlp: needs at least [in, out] layer widths');
    if (names.length !== this.L)
      throw new RangeError(`FusedMlp: ${names.length} name pairs for ${this.L} layers`);
    if (spec.output === 'sigmoid' && spec.loss !== 'bce')
      throw new Error(`FusedMlp: a sigmoid output is only fused with BCE (got ${spec.loss})`);
    if (spec.loss === 'bce' && spec.output !== 'sigmoid')
      throw new Error('FusedMlp: BCE expects probabilities; set output: sigmoid');
    if (spec.activations && spec.activations.length !== this.L - 1)
      throw new RangeError(
        `FusedMlp: ${spec.activations.length} hidden activations for ${this.L - 1} hidden layers`,
      );
    for (let l = 0; l < this.L - 1; l++) this.acts.push(spec.activations ? spec.activations[l] : spec.hidden);
    this.acts.push(spec.output);
    const P = store.params;
    const G = store.grads;
    for (let l = 0; l < this.L; l++) {
      const w = store.spec(names[l].W);
      const bb = store.spec(names[l].b);
      const [i, o] = [layers[l], layers[l + 1]];
      if (w.shape.length !== 2 || w.shape[0] !== i || w.shape[1] !== o)
        throw new RangeError(
          `FusedMlp: '${w.name}' is [${w.shape.join(', ')}], layer ${l} needs [${i}, ${o}]`,
        );
      if (bb.size !== o)
        throw new RangeError(`FusedMlp: '${bb.name}' has ${bb.size} elements, layer ${l} needs ${o}`);
      if (!w.trainable || !bb.trainable)
        throw new Error(
          `FusedMlp: '${w.name}'/'${bb.name}' is frozen; use the autodiff path for frozen layers`,
        );
      this.W.push(P.subarray(w.offset, w.offset + w.size));
      this.b.push(P.subarray(bb.offset, bb.offset + bb.size));
      this.dW.push(G.subarray(w.offset, w.offset + w.size));
      this.db.push(G.subarray(bb.offset, bb.offset + bb.size));
    }
  }

  private ensure(rows: number): void {
    if (rows <= this.cap) return;
    const mk = (n: number) => (this.store.dtype === 'float32' ? new Float32Array(n) : new Float64Array(n));
    const { layers } = this.spec;
    this.h = [];
    for (let l = 0; l < this.L; l++) this.h.push(mk(rows * layers[l + 1]));
    const widest = Math.max(...layers.slice(1));
    this.d0 = mk(rows * widest);
    this.d1 = mk(rows * widest);
    this.cap = rows;
  }

  /**
   * Loss of the batch and its gradient, written into `store.grads` (every trainable slice of this
   * network overwritten; padding untouched).
   * @param x inputs [rows, in] row-major (same float type as the store)
   * @param target MSE/BCE/BCE on logits: [rows, out] values; softmax_ce: class indices [rows] in [0, out)
   * @returns the mean loss (as engine/losses defines it)
   * @throws RangeError on a wrong input length or a class index out of range.
   */
  lossAndGrad(x: HostArray, rows: number, target: HostArray | Int32Array): number {
    const { layers, loss } = this.spec;
    const acts = this.acts;
    const L = this.L;
    const nIn = layers[0];
    const nOut = layers[L];
    if (x.length < rows * nIn)
      throw new RangeError(`FusedMlp: x has ${x.length} values, needs ${rows}×${nIn}`);
    const need = loss === 'softmax_ce' ? rows : rows * nOut;
    if (target.length < need)
      throw new RangeError(`FusedMlp: target has ${target.length} values, needs ${need}`);
    this.ensure(rows);
    this.predict(x, rows);
    let d = this.d0;
    let dn = this.d1;
    const value = this.lossDelta(rows, target, d);
    // ---- backward
    for (let l = L - 1; l >= 0; l--) {
      const i = layers[l];
      const o = layers[l + 1];
      const hin = l === 0 ? x : this.h[l - 1];
      gemm(hin, d, this.dW[l], i, o, rows, true, false); // ∂W = h_{l-1}ᵀ·δ
      const db = this.db[l];
      db.fill(0);
      for (let r = 0; r < rows; r++) {
        const ro = r * o;
        for (let j = 0; j < o; j++) db[j] += d[ro + j];
      }
      if (l > 0) {
        gemm(d, this.W[l], dn, rows, i, o, false, true); // δ·Wᵀ
        actGrad(dn, this.h[l - 1], rows * i, acts[l - 1]);
        const tmp = d;
        d = dn;
        dn = tmp;
      }
    }
    return value;
  }

  /**
   * Mean loss of a batch without gradients (forward pass + loss; the store's grads are untouched).
   * Afterwards `outputs(rows)` holds the network outputs of the batch.
   * @param x, target as for lossAndGrad. @throws RangeError as lossAndGrad.
   */
  loss(x: HostArray, rows: number, target: HostArray | Int32Array): number {
    const { layers, loss } = this.spec;
    if (x.length < rows * layers[0])
      throw new RangeError(`FusedMlp: x has ${x.length} values, needs ${rows}×${layers[0]}`);
    const need = loss === 'softmax_ce' ? rows : rows * layers[this.L];
    if (target.length < need)
      throw new RangeError(`FusedMlp: target has ${target.length} values, needs ${need}`);
    this.predict(x, rows);
    return this.lossDelta(rows, target, this.d0);
  }

  /** Outputs [rows, out] of the last forward pass (internal buffer, valid until the next call). */
  outputs(rows: number): HostArray {
    return this.h[this.L - 1].subarray(0, rows * this.spec.layers[this.L]);
  }

  /** Mean loss of the outputs in h[L−1] against `target`, and δ_L = ∂loss/∂z_L written into `d`. */
  private lossDelta(rows: number, target: HostArray | Int32Array, d: HostArray): number {
    const { layers, loss } = this.spec;
    const nOut = layers[this.L];
    const out = this.h[this.L - 1];
    const n = rows * nOut;
    let value = 0;
    if (loss === 'mse') {
      const t = target as HostArray;
      const s = 2 / n;
      for (let q = 0; q < n; q++) {
        const r = out[q] - t[q];
        value += r * r;
        d[q] = r * s;
      }
      value /= n;
    } else if (loss === 'bce') {
      const t = target as HostArray;
      for (let q = 0; q < n; q++) {
        const p0 = out[q];
        const p = p0 < BCE_EPS ? BCE_EPS : p0 > 1 - BCE_EPS ? 1 - BCE_EPS : p0;
        value -= t[q] * Math.log(p) + (1 - t[q]) * Math.log(1 - p);
        d[q] = p0 > BCE_EPS && p0 < 1 - BCE_EPS ? (p0 - t[q]) / n : 0;
      }
      value /= n;
    } else if (loss === 'bce_logits') {
      const t = target as HostArray;
      for (let q = 0; q < n; q++) {
        const z = out[q];
        const y = t[q];
        value += (z > 0 ? z : 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
        // σ(z) in the two-branch form that never overflows.
        const sg = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
        d[q] = (sg - y) / n;
      }
      value /= n;
    } else {
      const cls = target;
      for (let r = 0; r < rows; r++) {
        const o = r * nOut;
        const c = cls[r];
        if (!(Number.isInteger(c) && c >= 0 && c < nOut))
          throw new RangeError(`FusedMlp: class index ${c} in row ${r} is outside [0, ${nOut})`);
        let mx = -Infinity;
        for (let j = 0; j < nOut; j++) if (out[o + j] > mx) mx = out[o + j];
        let se = 0;
        for (let j = 0; j < nOut; j++) {
          const e = Math.exp(out[o + j] - mx);
          d[o + j] = e;
          se += e;
        }
        value += mx + Math.log(se) - out[o + c];
        const inv = 1 / (se * rows);
        for (let j = 0; j < nOut; j++) d[o + j] *= inv;
        d[o + c] -= 1 / rows;
      }
      value /= rows;
    }
    return value;
  }

  /**
   * Forward pass only: network outputs [rows, out] (probabilities for a sigmoid output, logits for
   * the logit losses). Returns an internal buffer valid until the next call.
   */
  predict(x: HostArray, rows: number): HostArray {
    const { layers } = this.spec;
    this.ensure(rows);
    let inp: HostArray = x;
    for (let l = 0; l < this.L; l++) {
      gemm(inp, this.W[l], this.h[l], rows, layers[l + 1], layers[l], false, false);
      biasAct(this.h[l], this.b[l], rows * layers[l + 1], layers[l + 1], this.acts[l]);
      inp = this.h[l];
    }
    return this.h[this.L - 1].subarray(0, rows * layers[this.L]);
  }
}

/** h[r, j] = f(h[r, j] + b[j]) in place. Sigmoid in the stable two-branch form. */
function biasAct(h: HostArray, b: HostArray, n: number, o: number, act: FusedActivation): void {
  if (act === 'relu') {
    for (let q = 0, j = 0; q < n; q++) {
      const v = h[q] + b[j];
      h[q] = v > 0 ? v : 0;
      if (++j === o) j = 0;
    }
  } else if (act === 'sigmoid') {
    for (let q = 0, j = 0; q < n; q++) {
      const v = h[q] + b[j];
      if (v >= 0) h[q] = 1 / (1 + Math.exp(-v));
      else {
        const e = Math.exp(v);
        h[q] = e / (1 + e);
      }
      if (++j === o) j = 0;
    }
  } else if (act === 'tanh') {
    for (let q = 0, j = 0; q < n; q++) {
      h[q] = Math.tanh(h[q] + b[j]);
      if (++j === o) j = 0;
    }
  } else {
    for (let q = 0, j = 0; q < n; q++) {
      h[q] += b[j];
      if (++j === o) j = 0;
    }
  }
}

/** d ⊙= f'(z) expressed through the activation output h. */
function actGrad(d: HostArray, h: HostArray, n: number, act: FusedActivation): void {
  if (act === 'relu') {
    for (let q = 0; q < n; q++) if (!(h[q] > 0)) d[q] = 0;
  } else if (act === 'sigmoid') {
    for (let q = 0; q < n; q++) d[q] *= h[q] * (1 - h[q]);
  } else if (act === 'tanh') {
    for (let q = 0; q < n; q++) d[q] *= 1 - h[q] * h[q];
  }
}
