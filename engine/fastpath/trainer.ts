/**
 * The trainer's fast path: recognises a compiled graph that `FusedMlp` (mlp.ts) computes exactly —
 * a chain Dataset/Input → Dense → [activation] → Dense → … → loss — and gives the session a
 * `lossAndGrad(rows)` that gathers the batch into reused buffers and runs the fused step. Anything
 * else (Dropout, BatchNorm, RBF, Maxout, Add/Concat, PReLU, other activations, class weights, L1/L2
 * penalties, Huber/MAE, float64 stores, device backends, optimizers that re-evaluate the loss) gets
 * null, and the session keeps the general autodiff path.
 *
 * Supported: Dense layers with bias (trainable, [in, units] weights); element-wise ReLU, sigmoid,
 * tanh or identity after any Dense layer (at most one non-identity activation between two Dense
 * layers); losses MSE on values (linear output), BCE on a sigmoid output, BCE on logits,
 * cross-entropy on logits, and cross-entropy on a softmax output (the general path fuses that pair
 * into log-softmax too, lecture "Output activation functions").
 *
 * Invariants: the loss and gradient equal the general path's (engine/session/objective totalLoss)
 * up to float32 rounding (test/unit/perf/trainer-fastpath.test.ts trains both); gradients are
 * written into the model's ParamStore, so clipping and every flat-array optimizer work unchanged; a
 * steady-state call allocates no typed arrays (buffers sized for the largest batch).
 */
import type { CompiledModel } from '../compile';
import type { PreparedDataset } from '../data/prepare';
import { getNodeType } from '../graph/registry';
import type { Graph } from '../graph/types';
import type { SplitEvaluator } from '../session/objective';
import { FusedMlp, type FusedActivation, type FusedLoss } from './mlp';

/** Rows per fused forward pass when evaluating a split (bounds the activation buffers). */
const EVAL_CHUNK = 1024;

/**
 * The session's handle on the fused step. As a SplitEvaluator it also gives the per-epoch metrics'
 * loss and probabilities through the fused forward pass (chunks of EVAL_CHUNK rows).
 */
export interface FusedTrainer extends SplitEvaluator {
  readonly mlp: FusedMlp;
  /**
   * Loss of the training rows `idx` (dataset row indices) and its gradient, written into the model's
   * store.grads. @returns the mean loss (NaN/±∞ when the model diverged).
   * @throws RangeError on a class index outside the output width (bad data).
   */
  lossAndGrad(idx: ArrayLike<number>): number;
}

const ELEMENTWISE: Record<string, FusedActivation> = {
  'Activation.relu': 'relu',
  'Activation.sigmoid': 'sigmoid',
  'Activation.tanh': 'tanh',
  'Activation.identity': 'linear',
};

/** The single edge into `target`'s port, or null when there is none or several. */
function oneEdgeInto(graph: Graph, target: string, port: string): string | null {
  let src: string | null = null;
  for (const e of graph.edges) {
    if (e.target !== target || e.targetPort !== port) continue;
    if (src !== null) return null;
    src = e.source;
  }
  return src;
}

/**
 * The fused step for `model` when its graph is a chain the fused MLP computes exactly, else null.
 * @param optimizerNeeds the optimizer's `info.needs` (methods that evaluate the loss elsewhere
 *   get null: they need the general path's loss closures).
 */
export function fusedTrainerFor(
  graph: Graph,
  model: CompiledModel,
  data: PreparedDataset,
  optimizerNeeds: readonly string[],
): FusedTrainer | null {
  if (optimizerNeeds.length > 0 || model.optimizer.secondOrder) return null;
  const store = model.store;
  if (store.dtype !== 'float32' || store.backend.name !== 'cpu') return null;
  const lossSpec = model.loss;
  if (lossSpec.l1 > 0 || lossSpec.l2 > 0) return null;
  if (lossSpec.params.classWeights != null) return null;
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const layerOf = new Map(model.layers.map((l) => [l.nodeId, l]));

  // Walk from the loss's prediction back to the data, collecting Dense layers and activations.
  const dense: { W: string; b: string; inW: number; outW: number }[] = [];
  const actsAfter: FusedActivation[] = []; // activation after each Dense (reverse order while walking)
  let pending: FusedActivation | 'softmax' | null = null;
  let id = oneEdgeInto(graph, lossSpec.nodeId, 'prediction');
  for (let guard = 0; id !== null && guard <= graph.nodes.length; guard++) {
    const node = nodes.get(id);
    if (!node) return null;
    const def = getNodeType(node.type);
    if (!def) return null;
    if (def.family === 'dataset' || def.family === 'input') break;
    if (node.type === 'Dense') {
      const l = layerOf.get(id);
      const c = l?.config;
      if (!l || !c || c.type !== 'dense' || !c.bias || !l.params.weight || !l.params.bias) return null;
      dense.push({ W: l.params.weight, b: l.params.bias, inW: l.inputWidth, outW: l.outputWidth });
      actsAfter.push(pending === null ? 'linear' : (pending as FusedActivation));
      pending = null;
    } else if (def.family === 'activation') {
      if (def.params.length > 0) return null;
      const a: FusedActivation | 'softmax' | undefined =
        node.type === 'Activation.softmax' ? 'softmax' : ELEMENTWISE[node.type];
      if (a === undefined) return null;
      if (a === 'linear') {
        // identity: nothing to do
      } else if (pending !== null) return null;
      else {
        // Softmax only as the network's last node (fused with cross-entropy below).
        if (a === 'softmax' && dense.length > 0) return null;
        pending = a;
      }
    } else return null;
    id = oneEdgeInto(graph, id, 'in');
  }
  if (id === null || pending !== null || dense.length === 0) return null;
  dense.reverse();
  actsAfter.reverse();

  // Output activation and loss.
  const outAct = actsAfter[actsAfter.length - 1] as FusedActivation | 'softmax';
  let loss: FusedLoss;
  let output: 'linear' | 'sigmoid' = 'linear';
  const task = data.recipe.task;
  switch (lossSpec.name) {
    case 'mse':
      if (outAct !== 'linear' || task !== 'regression') return null;
      loss = 'mse';
      break;
    case 'bce':
      if (outAct !== 'sigmoid' || task === 'regression') return null;
      loss = 'bce';
      output = 'sigmoid';
      break;
    case 'bce_logits':
      if (outAct !== 'linear' || task === 'regression') return null;
      loss = 'bce_logits';
      break;
    case 'cross_entropy':
      if (outAct !== 'softmax' || task === 'regression') return null;
      loss = 'softmax_ce';
      break;
    case 'cross_entropy_logits':
      if (outAct !== 'linear' || task === 'regression') return null;
      loss = 'softmax_ce';
      break;
    default:
      return null;
  }

  // Shapes: a chain of widths, covering every store entry, all trainable.
  const layers = [dense[0].inW, ...dense.map((d) => d.outW)];
  for (let l = 1; l < dense.length; l++) if (dense[l].inW !== dense[l - 1].outW) return null;
  if (layers[0] !== data.featureWidth) return null;
  const nOut = layers[layers.length - 1];
  if (nOut !== model.outputWidth) return null;
  if (loss === 'mse' && data.targetWidth !== nOut) return null;
  if ((loss === 'bce' || loss === 'bce_logits') && nOut !== 1) return null;
  const used = new Set(dense.flatMap((d) => [d.W, d.b]));
  if (store.entries.length !== used.size || !store.entries.every((e) => used.has(e.name) && e.trainable))
    return null;

  let mlp: FusedMlp;
  try {
    mlp = new FusedMlp(store, {
      layers,
      hidden: 'linear',
      activations: actsAfter.slice(0, -1) as FusedActivation[],
      output,
      loss,
      names: dense.map((d) => ({ W: d.W, b: d.b })),
    });
  } catch {
    return null;
  }

  const F = data.featureWidth;
  const T = loss === 'mse' ? data.targetWidth : 1;
  const features = data.features;
  let cap = 0;
  let xb = new Float32Array(0);
  let yb = new Float32Array(0);
  let cb = new Int32Array(0);
  /** Copies rows `idx` into the reused batch buffers; @returns the target in the loss's form. */
  const gather = (idx: ArrayLike<number>): Float32Array | Int32Array => {
    const B = idx.length;
    if (B > cap) {
      cap = B;
      xb = new Float32Array(B * F);
      yb = new Float32Array(B * T);
      cb = new Int32Array(B);
    }
    for (let i = 0; i < B; i++) {
      const r = idx[i] * F;
      const o = i * F;
      for (let j = 0; j < F; j++) xb[o + j] = features[r + j];
    }
    if (loss === 'mse') {
      const t = data.targets as Float32Array;
      for (let i = 0; i < B; i++) {
        const r = idx[i] * T;
        for (let j = 0; j < T; j++) yb[i * T + j] = t[r + j];
      }
      return yb;
    }
    const c = data.targets as Int32Array;
    if (loss === 'softmax_ce') {
      for (let i = 0; i < B; i++) cb[i] = c[idx[i]];
      return cb;
    }
    for (let i = 0; i < B; i++) yb[i] = c[idx[i]];
    return yb;
  };
  return {
    mlp,
    lossAndGrad(idx) {
      const target = gather(idx); // may grow xb: read it after
      return mlp.lossAndGrad(xb, idx.length, target);
    },
    evaluate(rows) {
      const n = rows.length;
      const probs = new Float64Array(n * nOut);
      let lossSum = 0;
      for (let s = 0; s < n; s += EVAL_CHUNK) {
        const idx = Array.from({ length: Math.min(EVAL_CHUNK, n - s) }, (_, i) => rows[s + i]);
        const B = idx.length;
        const target = gather(idx); // may grow xb: read it after
        lossSum += B * mlp.loss(xb, B, target);
        const out = mlp.outputs(B);
        const o = s * nOut;
        // model.toProbabilities: softmax of logits, σ of a BCE logit, otherwise the outputs as they are.
        if (loss === 'softmax_ce') {
          for (let r = 0; r < B; r++) {
            let mx = -Infinity;
            for (let j = 0; j < nOut; j++) mx = Math.max(mx, out[r * nOut + j]);
            let se = 0;
            for (let j = 0; j < nOut; j++) se += Math.exp(out[r * nOut + j] - mx);
            for (let j = 0; j < nOut; j++) probs[o + r * nOut + j] = Math.exp(out[r * nOut + j] - mx) / se;
          }
        } else if (loss === 'bce_logits') {
          for (let q = 0; q < B * nOut; q++) {
            const z = out[q];
            probs[o + q] = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
          }
        } else for (let q = 0; q < B * nOut; q++) probs[o + q] = out[q];
      }
      return { loss: lossSum / n, probs };
    },
  };
}
