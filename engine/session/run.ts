/**
 * The training session: CSV bytes + project → prepared data (engine/data) → compiled model
 * (engine/compile) → mini-batch training with the graph's loss, optimizer, schedule, clipping and the
 * project's early stopping, emitting typed events (events.ts). Platform-neutral: the same code runs in
 * an Electron utilityProcess, a Node child process, a Web Worker and in-process (CLI, tests).
 *
 * Invariants:
 * - deterministic: the same project, data, seeds and epochs give the same weights bit for bit; a run
 *   continued from a checkpoint equals the uninterrupted run (weights, optimizer state, Rng state and
 *   history are all restored);
 * - a non-finite loss (or gradient) ends the run with a `failed` event naming epoch and batch, and the
 *   model keeps the weights of the last finite step;
 * - exactly one terminal event (`finished`, `stopped`, `failed`) is emitted, and `runSession` never
 *   throws for bad input (it reports `failed`).
 * Schedules count epochs (t = completed epochs, 0-based), so the rate is constant within an epoch.
 *
 * CPU fast path: a plain chain of Dense layers and element-wise activations with a supported loss and a
 * gradient-only optimizer computes its loss and gradients with the fused step (engine/fastpath/trainer.ts)
 * instead of the tape; the weights equal the general path's up to float32 rounding (fastPath: false forces
 * the general path). Everything after the gradient (clipping, optimizer, events, checkpoints) is shared;
 * the per-epoch metrics then also come from the fused forward pass (the final metrics from the general path).
 * AdamW's weight decay is masked to the trainable entries (never BatchNorm running statistics or frozen
 * parameters). Where a platform registered GEMM helper threads (engine/backend/wasm/pool.ts: the Node
 * trainer and the CLI), a run with a large enough layer uses two threads and closes them before it returns;
 * the weights are bit-identical for any thread count.
 *
 * WebGPU runs (`backend`): the model is compiled (initialised, RBF centres placed, checkpoint loaded) on
 * the CPU as always, then a twin with its ParamStore on the device trains there — forward, backward
 * and the optimizer update (SGD, momentum, Adam) never leave the device. Read back: the batch loss
 * (4 bytes per step, for the non-finite check and the chart) and, once per epoch, the parameters and
 * gradients into the CPU twin, which computes the metrics, norms and histograms and the checkpoint.
 * A device failure (lost adapter, out of memory, shader error) ends the run with a `failed` event of
 * code 'backend'; the CPU twin keeps the weights of the last completed epoch.
 */
import { keep, tidy } from '../index';
import { WebGpuOptimizer, type WebGpuOptimizerName } from '../backend/webgpu/optim';
import type { WebGpuBackend } from '../backend/webgpu/backend';
import { CompileError, compileGraph, type CompiledModel } from '../compile';
import { DataImportError } from '../data/problems';
import { fusedTrainerFor } from '../fastpath/trainer';
import { THREAD_MIN_FLOPS } from '../backend/wasm/gemm';
import { acquireGemmThreads, autoGemmThreads, gemmThreadProvider } from '../backend/wasm/pool';
import type { PreparedDataset } from '../data/prepare';
import { datasetInfoOf } from '../graph/dataset-info';
import type { Graph } from '../graph/types';
import {
  checkOptimizerFits,
  clipGradNorm,
  clipGradValue,
  earlyStopping,
  getOptimizer,
  type OptimizerStateBase,
  type StateValue,
  type StepContext,
} from '../optim';
import type {
  Checkpoint,
  EarlyStopping,
  EpochRecord,
  Project,
  Run,
  StateValue as ProjectStateValue,
} from '../project/types';
import { Rng } from '../random/rng';
import { kmeansPlusPlus, randomSampleCentres, uniformCentres, growingNeuralGas, rbfWidths } from '../rbf';
import { learningRate, makeSchedule, scheduleInfos, type ScheduleSpec } from '../schedules';
import { prepareForTraining, projectImportSettings, recipeToJson } from './dataset';
import type { SessionEvent, SessionFailed, SessionFinished, TensorStats } from './events';
import { evaluateSplit, makeBatch, totalLoss } from './objective';
import { clearTimer, setTimer, sleep } from './platform';

/** Longest wait for a thread provider's helpers to come up before a run starts without them (ms). */
const HELPERS_READY_WAIT_MS = 2000;
import { decideBackend, type BackendDecision, type SessionBackendOptions } from './device';

/** Host-side control: asked before every batch; resolve false to stop (pause by not resolving yet). */
export interface SessionControl {
  mayContinue(): boolean | Promise<boolean>;
  /** True while the host has paused the run (a batch run then is a single step: always reported). */
  isPaused?(): boolean;
}

export interface SessionOptions {
  project: Project;
  /** The CSV bytes of the project's dataset (or another file with the same columns). */
  data: Uint8Array;
  /** Total epochs (default project.training.epochs); when continuing, the epoch to end at. */
  epochs?: number;
  /** Seed of initialisation, shuffling and dropout (default project.training.seed). */
  seed?: number;
  /** Seed of the train/validation/test split (default the import settings' seed). */
  splitSeed?: number;
  batchSize?: number;
  /** Continue a saved run (its graph, checkpoint weights, optimizer and Rng state, history). */
  continueFrom?: Run;
  control?: SessionControl;
  emit?: (event: SessionEvent) => void;
  /** Milliseconds clock (default Date.now). */
  now?: () => number;
  /** Yield to the event loop after this much compute, so commands can arrive (default 20 ms). */
  yieldEveryMs?: number;
  /** Minimum milliseconds between batch events (default 50 = 20 per second). */
  batchEventMs?: number;
  /** Compute backend (default: the CPU). See device.ts. */
  backend?: SessionBackendOptions;
  /**
   * Train plain Dense chains on the CPU through the fused step (engine/fastpath/trainer.ts), which
   * equals the general path up to float32 rounding (default true); false forces the general
   * autodiff path (comparisons, tests).
   */
  fastPath?: boolean;
  /**
   * Threads for the CPU matrix products (engine/backend/wasm/pool.ts): 1 disables the helper threads,
   * N uses N (at most the cores). Default: the platform provider's preferred count, else automatic —
   * 2 when the machine has ≥ 2 cores and the largest product of a step (batch·in·out of a layer) has
   * ≥ THREAD_MIN_FLOPS multiply-adds, else 1. Only where a provider is registered (Node trainer, CLI);
   * the browser's Web Worker stays on one thread. The weights do not depend on the thread count.
   */
  threads?: number;
}

export interface SessionResult {
  status: 'completed' | 'early-stopped' | 'stopped' | 'failed';
  /** The terminal event. */
  terminal: SessionEvent;
  /** The trained model (weights kept per the rules above), or null when it could not be built. */
  model: CompiledModel | null;
  data: PreparedDataset | null;
  /** Graph trained (the continued run's snapshot when continuing). */
  graph: Graph;
  history: EpochRecord[];
  final: Run['final'];
  checkpoint: Checkpoint | null;
  /** Threads that computed the CPU matrix products (1 without helper threads). */
  threads: number;
}

/** Deep copy of optimizer state (typed arrays copied), so a checkpoint is not mutated by later steps. */
export function cloneState<T extends StateValue | ProjectStateValue>(v: T): T {
  if (ArrayBuffer.isView(v)) return (v as unknown as Float32Array).slice() as unknown as T;
  if (Array.isArray(v)) return v.map((x) => cloneState(x as StateValue)) as unknown as T;
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = cloneState(x as StateValue);
    return o as T;
  }
  return v;
}

/** Weights of every store entry as checkpoint tensors (float32 copies). */
export function weightsOf(model: CompiledModel): Checkpoint['weights'] {
  const P = model.store.params;
  return model.store.entries.map((e) => ({
    name: e.name,
    shape: [...e.shape],
    data: Float32Array.from(P.subarray(e.offset, e.offset + e.size)),
  }));
}

/**
 * Loads checkpoint weights into a model by name.
 * @throws CompileError when a tensor is missing or has another shape (the graph changed).
 */
export function loadWeights(model: CompiledModel, weights: Checkpoint['weights']): void {
  const byName = new Map(weights.map((w) => [w.name, w]));
  const P = model.store.params;
  for (const e of model.store.entries) {
    const w = byName.get(e.name);
    if (!w || w.data.length !== e.size || w.shape.join(',') !== e.shape.join(','))
      throw new CompileError(
        `The saved weights do not fit the model: '${e.name}' is ${w ? `[${w.shape.join(', ')}]` : 'missing'}, the model needs [${e.shape.join(', ')}]. Train from scratch.`,
      );
    P.set(w.data, e.offset);
  }
}

function l2(a: ArrayLike<number>, from = 0, to = a.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

/**
 * Per parameter tensor: L2 norms and histograms of the weights and of the last step's gradient
 * (`store.grads` after clipping; WebGPU runs have read it back into this CPU twin). Each histogram has
 * `bins` equal-width bins from the tensor's own min to max (a constant tensor: all in bin 0); a value
 * equal to max falls in the last bin; non-finite values are not counted. Frozen tensors report a zero
 * gradient norm and an all-zero gradient histogram.
 */
function tensorStats(model: CompiledModel, bins = 16): TensorStats[] {
  const P = model.store.params;
  const G = model.store.grads;
  const histogramOf = (A: ArrayLike<number>, from: number, to: number) => {
    let min = Infinity;
    let max = -Infinity;
    for (let i = from; i < to; i++) {
      if (A[i] < min) min = A[i];
      if (A[i] > max) max = A[i];
    }
    const counts = new Array<number>(bins).fill(0);
    const span = max - min;
    for (let i = from; i < to; i++) {
      const k = span > 0 ? Math.min(bins - 1, Math.floor(((A[i] - min) / span) * bins)) : 0;
      if (k >= 0) counts[k]++;
    }
    return { min: Number.isFinite(min) ? min : 0, max: Number.isFinite(max) ? max : 0, counts };
  };
  return model.store.entries.map((e) => {
    const end = e.offset + e.size;
    return {
      name: e.name,
      nodeId: e.name.slice(0, e.name.lastIndexOf('.')),
      trainable: e.trainable,
      weightNorm: l2(P, e.offset, end),
      gradNorm: e.trainable ? l2(G, e.offset, end) : 0,
      histogram: histogramOf(P, e.offset, end),
      gradHistogram: e.trainable
        ? histogramOf(G, e.offset, end)
        : { min: 0, max: 0, counts: new Array<number>(bins).fill(0) },
    };
  });
}

/** Places RBF centres from the training rows (K-means++, samples, uniform or GNG) and sets widths. */
function placeRbfCentres(model: CompiledModel, graph: Graph, data: PreparedDataset, rng: Rng): void {
  for (const l of model.layers) {
    if (l.config?.type !== 'rbf') continue;
    const node = graph.nodes.find((n) => n.id === l.nodeId)!;
    const placement = (node.params.placement as string | undefined) ?? 'kmeans++';
    const widthMethod = (node.params.widths as 'nearest' | 'global' | undefined) ?? 'nearest';
    const k = l.config.centres;
    const d = l.inputWidth;
    const rows = data.trainRows;
    // Inputs of the RBF layer on the training rows (eval mode; usually just the features).
    const x = tidy(() => {
      const b = makeBatch(model, data, rows);
      const all = model.forwardAll(b.x, { training: false });
      const srcEdge = graph.edges.find((e) => e.target === l.nodeId && e.targetPort === 'in')!;
      return Float64Array.from(all.get(srcEdge.source)!.dataSync());
    });
    const n = rows.length;
    const r = rng.fork();
    let centres: Float64Array;
    if (placement === 'sample') centres = randomSampleCentres(x, n, d, Math.min(k, n), r);
    else if (placement === 'uniform') centres = uniformCentres(x, n, d, k, r);
    else if (placement === 'gng' && k >= 2) centres = growingNeuralGas(x, n, d, r, { maxNodes: k }).centres;
    else centres = kmeansPlusPlus(x, n, d, k, r).centres;
    if (centres.length < k * d) continue; // fewer rows than centres: keep the initialiser's centres
    const widths = rbfWidths(centres, k, d, { method: widthMethod });
    const P = model.store.params;
    P.set(centres, model.store.spec(l.params.centres).offset);
    P.set(widths, model.store.spec(l.params.widths).offset);
  }
}

function scheduleOf(model: CompiledModel): ScheduleSpec | null {
  const s = model.optimizer.schedule;
  if (!s) return null;
  const takesLr = scheduleInfos()
    .find((i) => i.name === s.name)
    ?.hyper.some((h) => h.name === 'lr');
  return makeSchedule(s.name, takesLr ? { ...s.params, lr: model.optimizer.lr } : s.params);
}

function monitorValue(rec: EpochRecord, monitor: string): number {
  const [split, metric] = monitor.includes('.') ? monitor.split('.', 2) : ['validation', monitor];
  const src = split === 'train' ? rec.train : (rec.validation ?? rec.train);
  return src[metric] ?? NaN;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The device copy of a model and its device optimizer (WebGPU runs). */
interface DeviceTwin {
  model: CompiledModel;
  opt: WebGpuOptimizer;
  dispose(): void;
}

/**
 * Compiles `graph` again with its ParamStore on `gpu`, loads the CPU model's weights and the
 * optimizer state (step, momentum/Adam vectors), and creates the device optimizer.
 * @throws CompileError/RangeError/WebGpuError when the device cannot hold the model.
 */
function deviceTwin(
  cpu: CompiledModel,
  graph: Graph,
  data: PreparedDataset,
  seed: number,
  batchSize: number,
  gpu: WebGpuBackend,
  state: OptimizerStateBase,
): DeviceTwin {
  const model = compileGraph(graph, { dataset: datasetInfoOf(data), seed, batchSize, backend: gpu });
  model.store.setParams(cpu.store.params);
  const name = cpu.optimizer.name as WebGpuOptimizerName;
  const opt = new WebGpuOptimizer(gpu, name, model.store.length, { ...state.hyper });
  const s = state as unknown as Record<string, ArrayLike<number>>;
  if (state.step > 0)
    opt.loadState(name === 'momentum' ? [s.v] : name === 'adam' ? [s.m, s.v] : [], state.step);
  return {
    model,
    opt,
    dispose() {
      opt.dispose();
      try {
        gpu.free(model.store.paramsBuffer);
        gpu.free(model.store.gradsBuffer);
      } catch {
        // A lost device has nothing left to free.
      }
    },
  };
}

/** Text of a device failure, naming the cause (device lost, out of memory, shader/validation error). */
function deviceFailure(e: unknown, during: string): string {
  const msg = errorText(e);
  const cause = /lost/i.test(msg)
    ? 'the GPU device was lost'
    : /out of memory|out-of-memory|too large|exceeds/i.test(msg)
      ? 'the GPU ran out of memory'
      : /shader|WGSL|validation/i.test(msg)
        ? 'a GPU shader or validation error'
        : 'a WebGPU error';
  return `WebGPU failed while ${during} (${cause}): ${msg.replace(/\.?$/, '.')}`;
}

/**
 * Runs one training session to its end.
 * @returns the result (never throws for bad projects or data: those end in a `failed` event).
 */
export async function runSession(opts: SessionOptions): Promise<SessionResult> {
  const cleanup: (() => void | Promise<void>)[] = [];
  try {
    return await trainSession(opts, cleanup);
  } finally {
    // Helper threads and device buffers are released before the result is handed back, so a host that
    // exits after the run leaves nothing running.
    for (const f of cleanup) await f();
  }
}

/** m·n·k of the largest matrix product of one training step: batch × in × out of the widest layer. */
function largestProduct(model: CompiledModel, batchSize: number): number {
  let best = 0;
  for (const l of model.layers) best = Math.max(best, batchSize * l.inputWidth * l.outputWidth);
  return best;
}

async function trainSession(
  opts: SessionOptions,
  cleanup: (() => void | Promise<void>)[],
): Promise<SessionResult> {
  const emit = opts.emit ?? (() => {});
  const now = opts.now ?? (() => Date.now());
  const project = opts.project;
  const cont = opts.continueFrom ?? null;
  const graph: Graph = cont ? cont.graph : project.graph;
  const history: EpochRecord[] = cont ? cont.history.map((h) => ({ ...h })) : [];
  const base = {
    graph,
    history,
    final: null,
    checkpoint: null,
    threads: 1,
  };
  const fail = (
    ev: Omit<SessionFailed, 'type'>,
    model: CompiledModel | null = null,
    data: PreparedDataset | null = null,
  ) => {
    const terminal: SessionFailed = { type: 'failed', ...ev };
    emit(terminal);
    return { ...base, status: 'failed' as const, terminal, model, data };
  };

  // Data ------------------------------------------------------------------------------------------
  let data: PreparedDataset;
  try {
    data = prepareForTraining(opts.data, projectImportSettings(project, graph), opts.splitSeed);
  } catch (e) {
    if (e instanceof DataImportError) return fail({ code: 'bad-data', message: e.message });
    return fail({ code: 'bad-data', message: `The data file cannot be read: ${errorText(e)}` });
  }
  if (data.trainRows.length === 0)
    return fail({ code: 'bad-data', message: 'The training split has no rows.' }, null, data);

  // Model -----------------------------------------------------------------------------------------
  const settings = cont ? cont.settings : project.training;
  const seed = (opts.seed ?? settings.seed) >>> 0;
  const batchSize = Math.max(1, Math.min(opts.batchSize ?? settings.batchSize, data.trainRows.length));
  const epochs = opts.epochs ?? settings.epochs;
  let model: CompiledModel;
  let optState: OptimizerStateBase;
  let rng: Rng = new Rng(seed);
  let step = 0;
  const optimizer = (() => {
    try {
      model = compileGraph(graph, { dataset: datasetInfoOf(data), seed, batchSize });
      const o = getOptimizer(model.optimizer.name);
      const fits = checkOptimizerFits(o.name, batchSize, data.trainRows.length, model.store.length);
      if (fits) throw new CompileError(fits);
      if (cont) {
        const ck = cont.checkpoint;
        if (!ck) throw new CompileError(`Run '${cont.id}' has no checkpoint to continue from.`);
        loadWeights(model, ck.weights);
        optState = cloneState(ck.optimizerState) as unknown as OptimizerStateBase;
        rng = ck.rngState ? Rng.fromState(ck.rngState) : new Rng(seed ^ 0x9e3779b9);
        step = ck.step;
      } else {
        rng = new Rng(seed ^ 0x9e3779b9);
        placeRbfCentres(model, graph, data, rng);
        optState = o.init(model.store.length, model.optimizer.hyper);
      }
      return o;
    } catch (e) {
      return e as Error;
    }
  })();
  if (optimizer instanceof Error)
    return fail({ code: 'bad-project', message: errorText(optimizer) }, null, data);
  const m = model!;
  const store = m.store;
  let schedule: ScheduleSpec | null;
  try {
    schedule = scheduleOf(m);
  } catch (e) {
    return fail(
      { code: 'bad-project', message: `Schedule '${m.optimizer.schedule?.nodeId}': ${errorText(e)}` },
      m,
      data,
    );
  }
  const es: EarlyStopping | null = settings.earlyStopping;
  const startEpoch = cont ? cont.checkpoint!.epoch + 1 : 1;
  const trainRows = data.trainRows;
  const nTrain = trainRows.length;
  const batchesPerEpoch = Math.ceil(nTrain / batchSize);
  const fullBatch = batchSize >= nTrain;
  const lossFn =
    (x: ReturnType<typeof makeBatch>) => (p: Readonly<Record<string, import('../index').Tensor>>) =>
      totalLoss(m, m.forward(x.x, { training: false }, p), x, p);

  // Backend ----------------------------------------------------------------------------------------
  const decided = await decideBackend(opts.backend, m, batchSize);
  if ('error' in decided) return fail({ code: 'backend', message: decided.error }, m, data);
  const decision: BackendDecision = decided.decision;
  let dev: DeviceTwin | null = null;
  if (decided.gpu) {
    try {
      dev = deviceTwin(m, graph, data, seed, batchSize, decided.gpu, optState!);
      cleanup.push(dev.dispose);
    } catch (e) {
      return fail(
        { code: 'backend', message: deviceFailure(e, 'preparing the model on the device') },
        m,
        data,
      );
    }
  }
  /** Copies the device weights, gradients and optimizer state into the CPU twin (epoch ends, stops). */
  const syncFromDevice = async () => {
    if (!dev) return;
    store.params.set(await dev.model.store.readParams());
    store.grads.set(await dev.model.store.readGrads());
    const st = await dev.opt.readState();
    const s = optState as unknown as Record<string, unknown>;
    s.step = dev.opt.step;
    if (dev.opt.name === 'momentum') s.v = Float64Array.from(st[0]);
    if (dev.opt.name === 'adam') {
      s.m = Float64Array.from(st[0]);
      s.v = Float64Array.from(st[1]);
    }
  };
  /** A 'backend' failure; the CPU twin keeps the weights of the last completed epoch. */
  const failDevice = (e: unknown, epoch: number, batch: number, completed: number) =>
    withCheckpoint(
      fail(
        {
          code: 'backend',
          message: `Epoch ${epoch}, batch ${batch}: ${deviceFailure(e, 'training')} The weights of epoch ${completed} are kept; restart the run on the CPU backend.`,
          epoch,
          batch,
        },
        m,
        data,
      ),
      completed,
    );

  // Plain Dense chains on the CPU train through the fused step (same loss and gradient, no tape).
  const fused = dev || opts.fastPath === false ? null : fusedTrainerFor(graph, m, data, optimizer.info.needs);

  // Helper threads for the CPU matrix products (bit-identical results for any count; pool.ts).
  const provider = gemmThreadProvider();
  // Helpers started ahead of time (Web Worker trainer) get up to 2 s to come up, only when the run
  // could use them (not with threads = 1, nor under the automatic rule for small layers).
  const mayThread =
    (opts.threads ?? provider?.preferred ?? 0) > 1 ||
    ((opts.threads ?? provider?.preferred) === undefined && largestProduct(m, batchSize) >= THREAD_MIN_FLOPS);
  if (!dev && provider?.ready && mayThread) {
    let timer: unknown;
    await Promise.race([
      provider.ready,
      new Promise<void>((res) => (timer = setTimer(res, HELPERS_READY_WAIT_MS))),
    ]);
    clearTimer(timer);
  }
  if (!dev && (provider || opts.threads !== undefined)) {
    let want: number;
    try {
      want = autoGemmThreads(
        largestProduct(m, batchSize),
        provider?.cores ?? 1,
        opts.threads ?? provider?.preferred,
      );
    } catch (e) {
      return fail({ code: 'bad-project', message: `Threads: ${errorText(e)}` }, m, data);
    }
    try {
      const got = acquireGemmThreads(want);
      base.threads = got.threads;
      cleanup.push(got.release);
    } catch {
      // No shared memory or SIMD here: one thread computes everything (same results).
    }
  }
  // Per-epoch metrics through the fused forward pass when the fast path trains (float32 rounding apart,
  // the general path's values).
  const evaluate = (rows: ArrayLike<number>) =>
    fused ? evaluateSplit(m, data, rows, fused) : evaluateSplit(m, data, rows);

  // Weight decay (AdamW) shrinks trainable entries only, as the PyTorch export does: BatchNorm running
  // statistics, frozen RBF centres and other frozen entries (and the store's padding) are left alone.
  const decayMask = new Uint8Array(store.length);
  for (const e of store.entries) if (e.trainable) decayMask.fill(1, e.offset, e.offset + e.size);

  emit({
    type: 'started',
    backend: decision,
    startEpoch,
    epochs,
    batchesPerEpoch,
    batchSize,
    threads: base.threads,
    paramCount: store.entries.filter((e) => e.trainable).reduce((s, e) => s + e.size, 0),
    task: data.recipe.task,
    rows: { train: nTrain, validation: data.validationRows.length, test: data.testRows.length },
  });

  const t0 = now();
  let lastYield = now();
  let lastBatchEvent = -Infinity;
  const yieldMs = opts.yieldEveryMs ?? 20;
  const batchMs = opts.batchEventMs ?? 50;
  // Sum over the epoch's batches of loss × rows (the epoch's train loss is its mean).
  let lossSum = 0;
  /** A completed step on either device: count it, add its loss, report the batch (throttled). */
  const stepDone = (epoch: number, b: number, loss: number, rows: number): void => {
    step++;
    lossSum += loss * rows;
    const t = now();
    if (b === batchesPerEpoch - 1 || t - lastBatchEvent >= batchMs || opts.control?.isPaused?.()) {
      lastBatchEvent = t;
      emit({ type: 'batch', epoch, batch: b + 1, batchesPerEpoch, loss });
    }
  };
  const lastGood = new Float32Array(store.length);
  let haveGood = false;
  let best: Float32Array | null = null;
  let status: SessionResult['status'] = 'completed';
  let reason: string | null = null;
  const order = new Int32Array(nTrain);
  const monitorHistory = () => history.map((h) => monitorValue(h, es?.monitor ?? 'validation.loss'));

  const checkpoint = (epoch: number): Checkpoint => ({
    epoch,
    step,
    weights: weightsOf(m),
    optimizerState: cloneState(optState as unknown as StateValue) as ProjectStateValue,
    rngState: rng.state(),
  });

  // The run's final metrics (computed once) always come from the general path, the reference values.
  const finalMetrics = (): Run['final'] => ({
    train: evaluateSplit(m, data, trainRows),
    validation: data.validationRows.length ? evaluateSplit(m, data, data.validationRows) : null,
    test: data.testRows.length ? evaluateSplit(m, data, data.testRows) : null,
  });

  /** A failed result that keeps the (restored) last finite weights as its checkpoint. */
  const withCheckpoint = (r: SessionResult, completedEpochs: number): SessionResult => ({
    ...r,
    checkpoint: checkpoint(completedEpochs),
  });

  let epoch: number;
  for (epoch = startEpoch; epoch <= epochs; epoch++) {
    const te = now();
    const lr = schedule
      ? learningRate(
          schedule,
          epoch - 1,
          history.map((h) => h.validation?.loss ?? h.train.loss ?? NaN),
        )
      : m.optimizer.lr;
    // Shuffle the training rows (Fisher–Yates through the session's Rng).
    order.set(trainRows);
    rng.shuffle(order);
    lossSum = 0;
    for (let b = 0; b < batchesPerEpoch; b++) {
      if (opts.control) {
        const go = await opts.control.mayContinue();
        if (!go) {
          if (dev) {
            try {
              await syncFromDevice();
            } catch (e) {
              return failDevice(e, epoch, b + 1, epoch - 1);
            }
          }
          const kept = es?.restoreBestWeights && best ? 'best' : 'last';
          if (kept === 'best') store.params.set(best!);
          const terminal: SessionEvent = { type: 'stopped', epoch: epoch - 1, kept };
          emit(terminal);
          return {
            ...base,
            status: 'stopped',
            terminal,
            model: m,
            data,
            final: finalMetrics(),
            checkpoint: checkpoint(epoch - 1),
          };
        }
      }
      if (now() - lastYield >= yieldMs) {
        await sleep(0);
        lastYield = now();
      }
      const idx = order.subarray(b * batchSize, Math.min(nTrain, (b + 1) * batchSize));
      let loss: number;
      if (dev) {
        // Device step: forward + backward + update on the device; only the loss is read back.
        const d = dev;
        try {
          const v = tidy(() => {
            d.model.store.zeroGrad();
            const batch = makeBatch(d.model, data, idx);
            return keep(
              d.model.store.valueAndGrad((p) =>
                totalLoss(d.model, d.model.forward(batch.x, { training: true, rng }, p), batch, p),
              ).value,
            );
          });
          try {
            loss = (await v.data())[0];
          } finally {
            v.dispose();
          }
          if (Number.isFinite(loss)) d.opt.update(d.model.store.paramsBuffer, d.model.store.gradsBuffer, lr);
        } catch (e) {
          return failDevice(e, epoch, b + 1, epoch - 1);
        }
        if (!Number.isFinite(loss)) {
          // The CPU twin holds the weights of the last completed epoch (synchronised at its end).
          return withCheckpoint(
            fail(
              {
                code: 'numeric',
                message: `The loss became ${loss} at epoch ${epoch}, batch ${b + 1}; the weights of epoch ${epoch - 1} are kept. Lower the learning rate, or check the data scaling.`,
                epoch,
                batch: b + 1,
              },
              m,
              data,
            ),
            epoch - 1,
          );
        }
        stepDone(epoch, b, loss, idx.length);
        continue;
      }
      try {
        if (fused) loss = fused.lossAndGrad(idx);
        else
          loss = tidy(() => {
            store.zeroGrad();
            const batch = makeBatch(m, data, idx);
            const { value } = store.valueAndGrad((p) =>
              totalLoss(m, m.forward(batch.x, { training: true, rng }, p), batch, p),
            );
            return value.item();
          });
      } catch (e) {
        return fail(
          {
            code: 'internal',
            message: `Epoch ${epoch}, batch ${b + 1}: ${errorText(e)}`,
            epoch,
            batch: b + 1,
          },
          m,
          data,
        );
      }
      if (!Number.isFinite(loss)) {
        // Before any finite step of this session the starting weights are kept as they are.
        if (haveGood) store.params.set(lastGood);
        return withCheckpoint(
          fail(
            {
              code: 'numeric',
              message: `The loss became ${loss} at epoch ${epoch}, batch ${b + 1}; the weights of the last finite step are kept. Lower the learning rate, enable gradient clipping, or check the data scaling.`,
              epoch,
              batch: b + 1,
            },
            m,
            data,
          ),
          epoch - 1,
        );
      }
      lastGood.set(store.params);
      haveGood = true;
      if (m.optimizer.clipNorm > 0) clipGradNorm(store.grads, m.optimizer.clipNorm);
      if (m.optimizer.clipValue > 0) clipGradValue(store.grads, m.optimizer.clipValue);
      const ctx: StepContext = { lr, fullBatch, decayMask };
      // Look-ahead and line-search methods evaluate the same batch at other points.
      const needsEval = optimizer.info.needs.length > 0;
      const fb = needsEval ? makeBatch(m, data, idx) : null;
      if (fb) {
        ctx.lossAndGrad = store.lossAndGradFn(lossFn(fb));
        ctx.hvp = store.hvpFn(lossFn(fb));
      }
      try {
        optimizer.update(optState!, store.params, store.grads, ctx);
        fb?.x.dispose();
        fb?.y?.dispose();
      } catch (e) {
        store.params.set(lastGood); // set just above: the weights of this batch's finite loss
        return withCheckpoint(
          fail(
            {
              code: 'numeric',
              message: `Epoch ${epoch}, batch ${b + 1}: ${errorText(e)}. The weights of the last finite step are kept.`,
              epoch,
              batch: b + 1,
            },
            m,
            data,
          ),
          epoch - 1,
        );
      }
      stepDone(epoch, b, loss, idx.length);
    }
    if (dev) {
      try {
        await syncFromDevice();
      } catch (e) {
        return failDevice(e, epoch, batchesPerEpoch, epoch - 1);
      }
    }
    const gradGlobal = l2(store.grads);
    const layers = tensorStats(m);
    const trainEval = evaluate(trainRows);
    const train = { ...trainEval, loss: lossSum / nTrain };
    const validation = data.validationRows.length ? evaluate(data.validationRows) : null;
    const perTensor: Record<string, number> = {};
    for (const s of layers) if (s.trainable) perTensor[s.name] = s.gradNorm;
    const elapsed = now() - t0;
    const rec: EpochRecord = {
      epoch,
      train,
      validation,
      learningRate: lr,
      gradientNorm: { global: gradGlobal, perTensor },
      wallTimeMs: elapsed,
    };
    history.push(rec);
    emit({
      type: 'epoch',
      epoch,
      epochs,
      train,
      validation,
      learningRate: lr,
      gradientNorm: rec.gradientNorm!,
      layers,
      wallMs: now() - te,
      elapsedMs: elapsed,
    });
    if (es) {
      const d = earlyStopping(monitorHistory(), {
        patience: Math.max(1, es.patience),
        minDelta: es.minDelta,
        mode: es.mode,
        restoreBest: es.restoreBestWeights,
      });
      if (d.improvedNow) best = Float32Array.from(store.params);
      if (d.stop) {
        if (d.restoreEpoch !== null && best) store.params.set(best);
        status = 'early-stopped';
        reason = d.reason;
        break;
      }
    }
  }
  const lastEpoch = Math.min(epoch, epochs);
  const final = finalMetrics();
  const terminal: SessionFinished = {
    type: 'finished',
    status: status === 'early-stopped' ? 'early-stopped' : 'completed',
    epochs: lastEpoch,
    reason,
    metrics: { train: final!.train, validation: final!.validation, test: final!.test },
  };
  emit(terminal);
  return { ...base, status, terminal, model: m, data, final, checkpoint: checkpoint(lastEpoch) };
}

/**
 * The project Run record of a finished session (for saving into the project file).
 * @param startedAt/finishedAt ISO 8601 date-times.
 */
export function runRecord(
  project: Project,
  result: SessionResult,
  id: string,
  startedAt: string,
  finishedAt: string,
  settingsOverride: Partial<Project['training']> = {},
): Run {
  return {
    id,
    pinned: false,
    status: result.status,
    startedAt,
    finishedAt,
    settings: { ...project.training, ...settingsOverride },
    graph: JSON.parse(JSON.stringify(result.graph)) as Run['graph'],
    history: result.history,
    final: result.final,
    checkpoint: result.checkpoint,
  };
}

/** The project's dataset reference with the fitted recipe stored as preprocessing. */
export function withPreprocessing(project: Project, data: PreparedDataset): Project {
  if (!project.dataset) return project;
  return { ...project, dataset: { ...project.dataset, preprocessing: recipeToJson(data.recipe) as never } };
}
