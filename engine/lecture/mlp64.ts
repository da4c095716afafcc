/**
 * A small analytic float64 multilayer perceptron (forward + backward) for the lecture experiments.
 * It exists so the experiments do not depend on the core autodiff (engine/autodiff) and can run
 * hundreds of seeds in a few seconds; its gradients are checked against finite differences in
 * test/unit/optim/lecture.test.ts.
 *
 * Layout of the flat parameter vector, layer by layer: W (in×out, row-major, so h_out = h_in·W),
 * then b (out) when the layer has a bias. Activations: sigmoid, ReLU, identity.
 * Invariants: buffers are allocated once per network; `lossAndGrad` allocates nothing.
 */

export type Activation = 'sigmoid' | 'relu' | 'identity';

export interface LayerSpec {
  in: number;
  out: number;
  bias: boolean;
  activation: Activation;
}

/** Offsets of each layer's weights and bias in the flat vector. */
export interface LayerOffsets {
  w: number;
  b: number;
}

/** Computes offsets and the total parameter count. */
export function layout(layers: readonly LayerSpec[]): { offsets: LayerOffsets[]; count: number } {
  const offsets: LayerOffsets[] = [];
  let o = 0;
  for (const l of layers) {
    const w = o;
    o += l.in * l.out;
    const b = l.bias ? o : -1;
    if (l.bias) o += l.out;
    offsets.push({ w, b });
  }
  return { offsets, count: o };
}

/**
 * Loss head applied to the last layer's activations a (batch×out):
 * - 'bce-logits': last layer must be 'identity'; mean over the batch of BCE(σ(z), y), computed
 *   stably as softplus(z) − y·z (the lecture's sigmoid output + BCE).
 * - 'sum-mean': mean over the batch of Σ_units a (the vanishing-gradient probe; y unused).
 */
export type LossHead = 'bce-logits' | 'sum-mean';

/**
 * A fully connected float64 network with hand-written backpropagation, for the lecture experiments that
 * need thousands of runs (xor-init, vanishing-gradients). Parameters live in one flat vector (layout in
 * `offsets`, weights [in, out] row-major then biases); buffers are allocated once per batch size.
 * Cross-checked against the engine's autodiff in test/unit/optim/core-crosscheck.test.ts.
 * @throws RangeError in the constructor when consecutive layer widths do not match.
 */
export class Mlp64 {
  readonly offsets: LayerOffsets[];
  readonly paramCount: number;
  /** Activations per layer (index 0 = input), each batch×width. */
  private readonly acts: Float64Array[];
  private readonly deltas: Float64Array[];

  constructor(
    readonly layers: readonly LayerSpec[],
    readonly batch: number,
  ) {
    for (let i = 1; i < layers.length; i++) {
      if (layers[i].in !== layers[i - 1].out) {
        throw new RangeError(
          `Mlp64: layer ${i} takes ${layers[i].in} inputs but layer ${i - 1} gives ${layers[i - 1].out}`,
        );
      }
    }
    const l = layout(layers);
    this.offsets = l.offsets;
    this.paramCount = l.count;
    this.acts = [
      new Float64Array(batch * layers[0].in),
      ...layers.map((s) => new Float64Array(batch * s.out)),
    ];
    this.deltas = layers.map((s) => new Float64Array(batch * s.out));
  }

  /** Forward pass; returns the last layer's activations (a view owned by the network). */
  forward(params: ArrayLike<number>, x: ArrayLike<number>): Float64Array {
    const B = this.batch;
    this.acts[0].set(x as ArrayLike<number>);
    for (let k = 0; k < this.layers.length; k++) {
      const L = this.layers[k];
      const hin = this.acts[k];
      const hout = this.acts[k + 1];
      const { w, b } = this.offsets[k];
      for (let r = 0; r < B; r++) {
        const o = r * L.out;
        for (let j = 0; j < L.out; j++) hout[o + j] = b >= 0 ? params[b + j] : 0;
        // Row-major W: accumulate z = h·W one input at a time (contiguous inner loop).
        for (let i = 0; i < L.in; i++) {
          const h = hin[r * L.in + i];
          if (h === 0) continue;
          const row = w + i * L.out;
          for (let j = 0; j < L.out; j++) hout[o + j] += h * params[row + j];
        }
        if (L.activation === 'sigmoid')
          for (let j = o; j < o + L.out; j++) hout[j] = 1 / (1 + Math.exp(-hout[j]));
        else if (L.activation === 'relu')
          for (let j = o; j < o + L.out; j++) hout[j] = hout[j] > 0 ? hout[j] : 0;
      }
    }
    return this.acts[this.layers.length];
  }

  /**
   * Loss and gradient ∂loss/∂params (written into grad, same layout).
   * @param y targets batch×out for 'bce-logits' (ignored for 'sum-mean').
   */
  lossAndGrad(
    params: ArrayLike<number>,
    x: ArrayLike<number>,
    y: ArrayLike<number> | null,
    head: LossHead,
    grad: Float64Array | Float32Array,
  ): number {
    const B = this.batch;
    const nL = this.layers.length;
    const out = this.forward(params, x);
    const last = this.layers[nL - 1];
    const dTop = this.deltas[nL - 1];
    let loss = 0;
    // dTop = ∂loss/∂(last activation); converted to ∂loss/∂z below.
    for (let r = 0; r < B; r++) {
      for (let j = 0; j < last.out; j++) {
        const idx = r * last.out + j;
        if (head === 'bce-logits') {
          const z = out[idx];
          const t = y![idx];
          const softplus = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
          loss += (softplus - t * z) / B;
          dTop[idx] = (1 / (1 + Math.exp(-z)) - t) / B;
        } else {
          loss += out[idx] / B;
          dTop[idx] = 1 / B;
        }
      }
    }
    grad.fill(0);
    for (let k = nL - 1; k >= 0; k--) {
      const L = this.layers[k];
      const hin = this.acts[k];
      const hout = this.acts[k + 1];
      const d = this.deltas[k];
      // δ ← δ ⊙ act'(z), expressed through the activation value.
      if (L.activation === 'sigmoid') for (let i = 0; i < d.length; i++) d[i] *= hout[i] * (1 - hout[i]);
      else if (L.activation === 'relu') for (let i = 0; i < d.length; i++) if (!(hout[i] > 0)) d[i] = 0;
      const { w, b } = this.offsets[k];
      for (let r = 0; r < B; r++) {
        for (let i = 0; i < L.in; i++) {
          const h = hin[r * L.in + i];
          if (h === 0) continue;
          const row = w + i * L.out;
          for (let j = 0; j < L.out; j++) grad[row + j] += h * d[r * L.out + j];
        }
        if (b >= 0) for (let j = 0; j < L.out; j++) grad[b + j] += d[r * L.out + j];
      }
      if (k > 0) {
        const dPrev = this.deltas[k - 1];
        for (let r = 0; r < B; r++) {
          for (let i = 0; i < L.in; i++) {
            let s = 0;
            const row = w + i * L.out;
            for (let j = 0; j < L.out; j++) s += params[row + j] * d[r * L.out + j];
            dPrev[r * L.in + i] = s;
          }
        }
      }
    }
    return loss;
  }
}
