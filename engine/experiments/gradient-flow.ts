/**
 * Gradient flow at initialisation (lecture: "Exploding and vanishing gradients"): per layer of the
 * user's graph, from input to output, the size of ∂L/∂θ of the layer's trainable parameters on one
 * batch before any training — the L2 norm ‖g‖₂ = √Σg² and the mean absolute value (1/n)Σ|g| — for a
 * few initialisation seeds (mean and range over seeds). A deep sigmoid stack shows norms shrinking
 * toward the input (σ' ≤ 1/4 per layer); a ReLU/He stack keeps them level.
 *
 * Invariants: the loss is the training objective (data loss + L1/L2 penalties) in training mode
 * (dropout active, as in a real first step), on the same first batch for every seed (`batch: 'first'`,
 * the session's first shuffled batch of the split seed's rows) or on all training rows (`'full'`);
 * layers come in the compiled graph's topological order and only those with trainable parameters
 * are listed.
 */
import { tidy } from '../index';
import type { Project } from '../project/types';
import { Rng } from '../random/rng';
import { makeBatch, totalLoss } from '../session/objective';
import type { Progress } from './common';
import { initialModel } from './model';

export interface LayerGradient {
  nodeId: string;
  type: string;
  /** Trainable parameter count of the layer. */
  size: number;
  /** Per seed: ‖g‖₂ over the layer's trainable parameters. */
  l2: number[];
  /** Per seed: mean |g| over the layer's trainable parameters. */
  meanAbs: number[];
}

export interface GradientFlowResult {
  seeds: number[];
  /** Rows in the batch the gradient was taken on. */
  batchRows: number;
  loss: number[];
  layers: LayerGradient[];
}

export interface GradientFlowOptions {
  project: Project;
  data: Uint8Array;
  /** Initialisation seeds (default [project seed]). */
  seeds?: number[];
  /** 'first' mini-batch (default) or the 'full' training split. */
  batch?: 'first' | 'full';
  batchSize?: number;
  onProgress?: Progress;
}

/**
 * Per-layer gradient sizes at initialisation.
 * @throws DataImportError / CompileError when the data or graph cannot be trained; RangeError for no seeds.
 */
export function gradientFlow(opts: GradientFlowOptions): GradientFlowResult {
  const seeds = opts.seeds ?? [opts.project.training.seed];
  if (seeds.length === 0) throw new RangeError('Gradient flow needs at least one seed.');
  const layers: LayerGradient[] = [];
  const losses: number[] = [];
  let batchRows = 0;
  seeds.forEach((seed, si) => {
    const {
      model: m,
      data,
      batchSize,
    } = initialModel(opts.project, opts.data, {
      seed,
      ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
    });
    // The batch is the same for every seed: shuffled by the project's seed, not the varied one.
    const shuffler = new Rng((opts.project.training.seed >>> 0) ^ 0x9e3779b9);
    const order = Int32Array.from(data.trainRows);
    shuffler.shuffle(order);
    const idx = opts.batch === 'full' ? order : order.subarray(0, batchSize);
    batchRows = idx.length;
    const rng = new Rng((seed >>> 0) ^ 0x9e3779b9);
    const store = m.store;
    const loss = tidy(() => {
      store.zeroGrad();
      const b = makeBatch(m, data, idx);
      return store
        .valueAndGrad((p) => totalLoss(m, m.forward(b.x, { training: true, rng }, p), b, p))
        .value.item();
    });
    losses.push(loss);
    const G = store.grads;
    let li = 0;
    for (const l of m.layers) {
      const specs = Object.values(l.params)
        .map((name) => store.spec(name))
        .filter((s) => s.trainable);
      if (specs.length === 0) continue;
      let sq = 0;
      let abs = 0;
      let n = 0;
      for (const s of specs)
        for (let i = s.offset; i < s.offset + s.size; i++) {
          sq += G[i] * G[i];
          abs += Math.abs(G[i]);
          n++;
        }
      if (si === 0) layers.push({ nodeId: l.nodeId, type: l.type, size: n, l2: [], meanAbs: [] });
      layers[li].l2.push(Math.sqrt(sq));
      layers[li].meanAbs.push(abs / n);
      li++;
    }
    opts.onProgress?.(si + 1, seeds.length, `seed ${seed}`);
  });
  return { seeds, batchRows, loss: losses, layers };
}

/** Mean, minimum and maximum of a list (for the bars and their range). */
export function spread(v: readonly number[]): { mean: number; min: number; max: number } {
  return {
    mean: v.reduce((a, b) => a + b, 0) / v.length,
    min: Math.min(...v),
    max: Math.max(...v),
  };
}
