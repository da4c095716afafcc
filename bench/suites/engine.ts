/**
 * `npm run bench [-- --suite engine] [--quick] [--runs N] [--only xor,tabular,...]`: trains the workloads
 * W1–W4 of bench/workloads.json with the engine (CPU backend, float32), on the hash-generated data and weights
 * of bench/WORKLOADS.md, and reports samples/s and ms/step (median, min and max over runs after a warm-up)
 * plus the final loss beside the reference runs' loss. Writes bench-results/engine.json.
 *
 * What is timed: forward + backward + optimizer update of every step, including reading the loss back
 * (as the trainer does for its chart). Batches are pre-built tensors (the data pipeline is not timed).
 * Optimizers come from engine/optim (SGD+momentum in the lecture's form, Adam with bias correction).
 * --quick: one run with few steps per workload (final losses then are not comparable to the references).
 *
 * `--session [--rounds N]`: the whole trainer instead (engine/session/run.ts runSession: data, shuffling,
 * steps, per-epoch metrics) on the shipped examples, with its fast path (engine/fastpath/trainer.ts) and
 * forced onto the general autodiff path (fastPath: false), in interleaved rounds; samples/s = epochs ×
 * training rows / wall time. Writes bench-results/session.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keep, ParamStore, sigmoid, tensor, tidy, type Tensor } from '../../engine/index';
import { bce, crossEntropyWithLogits, mse } from '../../engine/losses';
import { dense, relu } from '../../engine/nn';
import { getOptimizer } from '../../engine/optim/registry';
import { compileGraph } from '../../engine/compile';
import { fusedTrainerFor } from '../../engine/fastpath/trainer';
import { graphProjectHooks } from '../../engine/graph';
import { datasetInfoOf } from '../../engine/graph/dataset-info';
import { loadProject } from '../../engine/project';
import { prepareForTraining, projectImportSettings } from '../../engine/session/dataset';
import { runSession } from '../../engine/session/run';
import type { OptimizerStateBase } from '../../engine/optim/types';
import { batchRange, inputs, targets, totalSteps, weights, type WorkloadSpec } from '../data';

const here = dirname(fileURLToPath(import.meta.url));
const ORDER = ['xor', 'tabular', 'mnist', 'wide'] as const;
const LABEL: Record<string, string> = {
  xor: 'W1 xor',
  tabular: 'W2 tabular',
  mnist: 'W3 mnist',
  wide: 'W4 wide',
};
/** Final losses of the reference runs (bench/WORKLOADS.md). */
export const REFERENCE: Record<string, number | null> = {
  xor: 0.02012,
  tabular: 0.011,
  mnist: null,
  wide: 2.45794,
};

interface Stats {
  median: number;
  min: number;
  max: number;
}

interface WorkloadResult {
  id: string;
  steps: number;
  batch: number;
  runs: number;
  samplesPerSec: Stats;
  msPerStep: Stats;
  finalLoss: number;
  referenceLoss: number | null;
  /** Full step count of the workload was run, so finalLoss is comparable with referenceLoss. */
  comparable: boolean;
}

function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return { median: s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2, min: s[0], max: s[s.length - 1] };
}

/** A model for one workload: params in a flat store, pre-built batch tensors, one training step. */
export class Trainer {
  readonly store = new ParamStore();
  private readonly opt;
  private state: OptimizerStateBase;
  private readonly batches: { x: Tensor; y: Tensor | null; cls: Int32Array | null; rows: number }[] = [];
  private readonly L: number;

  constructor(
    readonly id: string,
    readonly w: WorkloadSpec,
  ) {
    const xor = id === 'xor';
    this.L = w.layers.length - 1;
    for (let l = 0; l < this.L; l++) {
      const W = weights(w, l);
      this.store.add(`W${l}`, [w.layers[l], w.layers[l + 1]], (v) => v.set(W));
      this.store.add(`b${l}`, [w.layers[l + 1]], 0);
    }
    const X = inputs(w, xor);
    const Y = targets(w, X, xor);
    const nIn = w.layers[0];
    const perEpoch = Math.ceil(w.rows / w.batch);
    for (let b = 0; b < perEpoch; b++) {
      const [s, e] = batchRange(w, b);
      const x = keep(tensor(X.subarray(s * nIn, e * nIn), [e - s, nIn]));
      if (Y instanceof Int32Array) this.batches.push({ x, y: null, cls: Y.subarray(s, e), rows: e - s });
      else this.batches.push({ x, y: keep(tensor(Y.subarray(s, e), [e - s, 1])), cls: null, rows: e - s });
    }
    const o = w.optimizer;
    if (o.name === 'sgd') {
      this.opt = getOptimizer((o.momentum ?? 0) > 0 ? 'momentum' : 'sgd');
      this.state = this.opt.init(this.store.length, (o.momentum ?? 0) > 0 ? { beta: o.momentum! } : {});
    } else {
      this.opt = getOptimizer('adam');
      this.state = this.opt.init(this.store.length, {
        beta1: o.beta1 ?? 0.9,
        beta2: o.beta2 ?? 0.999,
        delta: o.eps ?? 1e-8,
      });
    }
  }

  /** Restores the documented initial weights and a fresh optimizer state. */
  reset(): void {
    const P = this.store.params;
    P.fill(0);
    for (let l = 0; l < this.L; l++) {
      const s = this.store.spec(`W${l}`);
      P.set(weights(this.w, l), s.offset);
    }
    this.state = this.opt.init(this.store.length, this.state.hyper);
  }

  private forward(p: Readonly<Record<string, Tensor>>, x: Tensor): Tensor {
    let h = x;
    for (let l = 0; l < this.L; l++) {
      h = dense(h, p[`W${l}`], p[`b${l}`]);
      const last = l === this.L - 1;
      if (!last) h = this.w.hidden === 'relu' ? relu(h) : sigmoid(h);
      else if (this.w.output === 'sigmoid') h = sigmoid(h);
    }
    return h;
  }

  /** One step on batch `t`; returns the loss computed before the update. */
  step(t: number): number {
    const b = this.batches[t % this.batches.length];
    this.store.zeroGrad();
    const loss = tidy(() =>
      this.store
        .valueAndGrad((p) => {
          const out = this.forward(p, b.x);
          if (this.w.loss === 'softmax_ce') return crossEntropyWithLogits(out, b.cls!);
          return this.w.loss === 'bce' ? bce(out, b.y!) : mse(out, b.y!);
        })
        .value.item(),
    );
    this.opt.update(this.state, this.store.params, this.store.grads, { lr: this.w.optimizer.lr });
    return loss;
  }

  rowsOf(t: number): number {
    return this.batches[t % this.batches.length].rows;
  }
}

function parseArgs(args: string[]): { quick: boolean; runs: number | null; only: string[] } {
  const quick = args.includes('--quick');
  const ri = args.indexOf('--runs');
  const runs = ri >= 0 ? Number(args[ri + 1]) : null;
  if (runs !== null && !(Number.isInteger(runs) && runs >= 1))
    throw new RangeError(`--runs needs a positive integer, got ${args[ri + 1]}`);
  const oi = args.indexOf('--only');
  const only = oi >= 0 ? args[oi + 1].split(',') : [...ORDER];
  for (const o of only)
    if (!ORDER.includes(o as (typeof ORDER)[number]))
      throw new RangeError(`--only: unknown workload '${o}' (have ${ORDER.join(', ')})`);
  return { quick, runs, only };
}

const QUICK_STEPS: Record<string, number> = { xor: 1000, tabular: 100, mnist: 10, wide: 2 };
const DEFAULT_RUNS: Record<string, number> = { xor: 5, tabular: 3, mnist: 3, wide: 1 };

/** Examples and epochs for `--session` (a few seconds each on the general path). */
const SESSION_EXAMPLES: [string, number][] = [
  ['iris', 30],
  ['xor', 300],
  ['digits', 10],
  ['wine', 30],
  ['breast-cancer', 30],
];

async function sessionBench(args: string[]): Promise<void> {
  const ri = args.indexOf('--rounds');
  const rounds = ri >= 0 ? Number(args[ri + 1]) : 3;
  if (!(Number.isInteger(rounds) && rounds >= 1)) throw new RangeError('--rounds needs a positive integer');
  const root = join(here, '..', '..', 'examples');
  const rows: string[][] = [];
  const results: unknown[] = [];
  for (const [name, epochs] of SESSION_EXAMPLES) {
    const text = readFileSync(join(root, `${name}.netloom.json`), 'utf8');
    const data = new Uint8Array(readFileSync(join(root, `${name}.csv`)));
    const project = () => loadProject(text, { hooks: graphProjectHooks });
    const p = project();
    const prepared = prepareForTraining(data, projectImportSettings(p));
    const model = compileGraph(p.graph, {
      dataset: datasetInfoOf(prepared),
      seed: 1,
      batchSize: p.training.batchSize,
    });
    const fused = fusedTrainerFor(p.graph, model, prepared, []) !== null;
    const samples = epochs * prepared.trainRows.length;
    const sps: Record<'fast' | 'general', number[]> = { fast: [], general: [] };
    // Warm-up (JIT), then interleaved rounds.
    await runSession({ project: project(), data, epochs: 1 });
    await runSession({ project: project(), data, epochs: 1, fastPath: false });
    for (let r = 0; r < rounds; r++) {
      for (const mode of ['fast', 'general'] as const) {
        const t0 = performance.now();
        const res = await runSession({ project: project(), data, epochs, fastPath: mode === 'fast' });
        if (res.status !== 'completed') throw new Error(`${name}: ${JSON.stringify(res.terminal)}`);
        sps[mode].push(samples / ((performance.now() - t0) / 1000));
      }
    }
    const fast = stats(sps.fast);
    const general = stats(sps.general);
    results.push({
      example: name,
      epochs,
      trainRows: prepared.trainRows.length,
      fusedPath: fused,
      fast,
      general,
    });
    const f = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 0 });
    rows.push([
      name,
      String(epochs),
      fused ? 'fused' : 'general',
      f(fast.median),
      f(general.median),
      `${(fast.median / general.median).toFixed(2)}×`,
    ]);
  }
  const head = ['example', 'epochs', 'path taken', 'trainer samples/s', 'general path', 'speed-up'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(`
session benchmark (runSession, CPU, medians of ${rounds} interleaved rounds; load ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')})`);
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  const out = join(here, '..', '..', 'bench-results');
  mkdirSync(out, { recursive: true });
  const file = join(out, 'session.json');
  writeFileSync(
    file,
    JSON.stringify(
      {
        suite: 'engine --session',
        date: new Date().toISOString(),
        node: process.version,
        loadAverage: loadavg(),
        rounds,
        results,
      },
      null,
      2,
    ),
  );
  console.log(`\nwrote ${file}`);
}

export async function run(args: string[]): Promise<void> {
  if (args.includes('--session')) return sessionBench(args);
  const opts = parseArgs(args);
  const all = JSON.parse(readFileSync(join(here, '..', 'workloads.json'), 'utf8')) as Record<
    string,
    WorkloadSpec
  >;
  const results: WorkloadResult[] = [];
  for (const id of ORDER) {
    if (!opts.only.includes(id)) continue;
    const w = all[id];
    const full = totalSteps(w);
    const steps = opts.quick ? Math.min(full, QUICK_STEPS[id]) : full;
    const runs = opts.runs ?? (opts.quick ? 1 : DEFAULT_RUNS[id]);
    const tr = new Trainer(id, w);
    const warm = opts.quick ? Math.min(w.warmup_steps, 5) : w.warmup_steps;
    for (let t = 0; t < warm; t++) tr.step(t);
    const sps: number[] = [];
    const mps: number[] = [];
    let finalLoss = NaN;
    for (let r = 0; r < runs; r++) {
      tr.reset();
      let rows = 0;
      const t0 = performance.now();
      for (let t = 0; t < steps; t++) {
        finalLoss = tr.step(t);
        rows += tr.rowsOf(t);
      }
      const ms = performance.now() - t0;
      sps.push(rows / (ms / 1000));
      mps.push(ms / steps);
    }
    const res: WorkloadResult = {
      id,
      steps,
      batch: w.batch,
      runs,
      samplesPerSec: stats(sps),
      msPerStep: stats(mps),
      finalLoss,
      referenceLoss: REFERENCE[id],
      comparable: steps === full,
    };
    results.push(res);
    console.error(`${LABEL[id]}: done (${runs} run(s) of ${steps} steps)`);
  }
  printTable(results, opts.quick);
  const out = join(here, '..', '..', 'bench-results');
  mkdirSync(out, { recursive: true });
  const file = join(out, 'engine.json');
  writeFileSync(
    file,
    JSON.stringify(
      {
        suite: 'engine',
        date: new Date().toISOString(),
        node: process.version,
        cpu: cpus()[0]?.model ?? '?',
        cores: cpus().length,
        backend: 'cpu',
        dtype: 'float32',
        quick: opts.quick,
        results,
      },
      null,
      2,
    ),
  );
  console.log(`\nwrote ${file}`);
}

function printTable(rs: WorkloadResult[], quick: boolean): void {
  const f = (v: number, d = 0) =>
    v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  const rows = rs.map((r) => [
    LABEL[r.id],
    `${r.steps}×${r.batch}`,
    String(r.runs),
    f(r.samplesPerSec.median),
    `${f(r.samplesPerSec.min)}–${f(r.samplesPerSec.max)}`,
    f(r.msPerStep.median, 3),
    `${f(r.msPerStep.min, 3)}–${f(r.msPerStep.max, 3)}`,
    r.finalLoss.toFixed(5),
    r.referenceLoss === null
      ? '—'
      : r.comparable
        ? r.referenceLoss.toFixed(5)
        : `(${r.referenceLoss.toFixed(5)} at full length)`,
  ]);
  const head = [
    'workload',
    'steps×batch',
    'runs',
    'samples/s',
    'min–max',
    'ms/step',
    'min–max',
    'final loss',
    'reference',
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(
    `\nengine benchmark (CPU backend, float32${quick ? ', --quick' : ''}; median over runs after warm-up)`,
  );
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}
