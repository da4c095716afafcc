/**
 * The trainer protocol: every message that crosses the boundary between a host (Electron main,
 * the browser host, the CLI, the integration tests) and a trainer (Electron utilityProcess,
 * Node child process, Web Worker).
 *
 * One file, shared by all sides. Messages are plain structured-cloneable data (no classes,
 * no functions); byte payloads are `Uint8Array`. Every message carries a `type` tag; commands
 * go host → trainer, events go trainer → host. The host-side `crashed` event is produced by the
 * host when a trainer dies without saying goodbye; it is part of the same union so the renderer
 * handles one event stream.
 *
 * Invariants:
 * - `PROTOCOL_VERSION` changes whenever a message changes incompatibly; the handshake compares
 *   it and the trainer refuses commands from a host that speaks another version.
 * - Every event after `started` carries the `runId` of the run it belongs to.
 * - Every `switch` over these unions ends in `x satisfies never` (see `describeCommand`).
 */

/** Version of this protocol; bumped on any incompatible change to a message. */
export const PROTOCOL_VERSION = 1;

/** Compute backends a trainer can offer. 'cpu' is always available. */
export type BackendKind = 'cpu' | 'webgpu';

/** Backend choice in a start command; 'auto' means webgpu when available, else cpu. */
export type BackendChoice = 'auto' | BackendKind;

/** Where a trainer finds the training data. */
export type DataSource =
  /** An absolute file path, readable by the trainer process (Electron, Node). */
  | { kind: 'path'; path: string }
  /** The file's bytes, sent along (browser, or when the trainer cannot read files). */
  | { kind: 'bytes'; name: string; bytes: Uint8Array };

/** Options of one run that the trainer needs beyond the project itself. */
export interface RunOptions {
  backend: BackendChoice;
  /** Total epochs (default: the project's training settings). */
  epochs?: number;
  /** Seed of initialisation, shuffling and dropout (default: the project's). */
  seed?: number;
  /** CPU threads for large matrix products (1 = one); absent = automatic (engine/backend/wasm/pool.ts). */
  threads?: number;
  /** Seed of the train/validation/test split (default: the import settings'). */
  splitSeed?: number;
  /**
   * Continue this run of the project (its `id`): its graph, checkpoint weights, optimizer and Rng
   * state and history are restored, and training goes on to `epochs`.
   */
  continueRunId?: string;
  /**
   * Synthetic progress stream instead of real training (plumbing tests): epochs and batches per
   * epoch, and the pause between batches in milliseconds.
   */
  demo?: { epochs: number; batchesPerEpoch: number; batchDelayMs: number };
}

// ---------------------------------------------------------------------------------------------
// Commands: host → trainer

/** First message from a host; the trainer answers with `hello`. */
export interface HelloCommand {
  type: 'hello';
  protocol: number;
  /** Free text naming the host, for logs (e.g. 'electron-main 0.1.0'). */
  client: string;
}

/** Start a run. `project` is a parsed `.netloom.json` document (validated by the trainer). */
export interface StartCommand {
  type: 'start';
  runId: string;
  project: unknown;
  data: DataSource;
  options: RunOptions;
}

/** Run-control commands; each names the run it targets. `step` runs one batch while paused. */
export interface ControlCommand {
  type: 'pause' | 'resume' | 'stop' | 'step';
  runId: string;
}

/** Ask the trainer to end its process after finishing the current message. */
export interface ShutdownCommand {
  type: 'shutdown';
}

export type TrainerCommand = HelloCommand | StartCommand | ControlCommand | ShutdownCommand;

// ---------------------------------------------------------------------------------------------
// Events: trainer → host

/** A backend as reported in the handshake. */
export interface BackendInfo {
  kind: BackendKind;
  /** Human-readable description (CPU: runtime; WebGPU: adapter vendor/architecture when known). */
  label: string;
}

/** Answer to `hello`. `ok` is false when the protocol versions differ (then `error` says why). */
export interface HelloEvent {
  type: 'hello';
  protocol: number;
  ok: boolean;
  error?: string;
  /** Version of the engine/trainer build (the app version). */
  trainerVersion: string;
  /** Where the trainer runs: 'utility-process', 'node-child', 'web-worker', 'in-process'. */
  runtime: string;
  backends: BackendInfo[];
}

export interface StartedEvent {
  type: 'started';
  runId: string;
  backend: BackendKind;
  epochs: number;
  batchesPerEpoch: number;
  /** Threads computing the CPU matrix products (real CPU runs; absent from older trainers). */
  threads?: number;
  /**
   * Why this backend (real runs): what was asked for, the reason (e.g. 'WebGPU unavailable: no
   * adapter', 'CPU measured faster (…)') and, for 'auto', the measured milliseconds per warm
   * training step on each backend and their ratio (cpu / gpu; > 1: WebGPU faster).
   */
  selection?: {
    requested: BackendChoice;
    reason: string;
    cpuMsPerStep?: number;
    gpuMsPerStep?: number;
    speedup?: number;
  };
}

/** One optimisation step finished. `epoch` and `batch` are 1-based. `loss` is the batch mean. */
export interface BatchEvent {
  type: 'batch';
  runId: string;
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
  loss: number;
}

/**
 * One epoch finished. Metric names follow the engine's metric registry ('loss', 'accuracy', 'auc',
 * 'rmse', 'mae', 'r2'); train 'loss' is the mean batch loss, the other train metrics are evaluated in
 * eval mode. Test-split metrics are reported only at the end (`finished`).
 */
export interface EpochEvent {
  type: 'epoch';
  runId: string;
  epoch: number;
  epochs: number;
  train: Record<string, number>;
  validation: Record<string, number> | null;
  learningRate: number;
  /** Wall time of this epoch in milliseconds. */
  wallMs: number;
  /** Milliseconds since the run started (real runs). */
  elapsedMs?: number;
  /** L2 norm of the last step's gradient: global and per parameter tensor (real runs). */
  gradientNorm?: { global: number; perTensor: Record<string, number> };
  /** Per parameter tensor: weight and gradient norms and a histogram of the weights (real runs). */
  layers?: TensorStats[];
}

/** Weight statistics of one parameter tensor (`<nodeId>.<name>`, e.g. 'dense1.weight'). */
export interface TensorStats {
  name: string;
  nodeId: string;
  trainable: boolean;
  weightNorm: number;
  gradNorm: number;
  /** `counts.length` equal-width bins from min to max. */
  histogram: { min: number; max: number; counts: number[] };
  /**
   * The last step's gradient, binned the same way (from the gradient's min to max); frozen tensors:
   * zero counts, min = max = 0. Optional: older trainers and saved runs lack it (treat as absent).
   */
  gradHistogram?: { min: number; max: number; counts: number[] };
}

/**
 * What a real run leaves for the host to store in the project: the run record (engine/project `Run`,
 * with history, final metrics and the checkpoint — weights as Float32Array) and the fitted
 * preprocessing (engine/data `DataRecipe` as JSON) for `dataset.preprocessing`. Typed `unknown` here
 * so the protocol stays free of engine types; hosts cast after `isTrainerEvent`.
 */
export interface RunOutcome {
  run: unknown;
  preprocessing: Record<string, unknown> | null;
}

/**
 * Predictions of the final weights on one split, sent once with a terminal event (optional: older
 * trainers omit it). Classification: `outputs` [rows × cols] class probabilities (binary: cols = 1,
 * P(class 1)), `targets` [rows] class indices, `classes` the original labels. Regression: `outputs`
 * and `targets` [rows × cols] in the units of the data file. At most 5,000 rows.
 */
export interface PredictionPayload {
  split: 'train' | 'validation' | 'test';
  task: 'regression' | 'binary' | 'multiclass';
  classes?: string[];
  outputs: number[];
  cols: number;
  targets: number[];
}

export interface PausedEvent {
  type: 'paused' | 'resumed';
  runId: string;
}

/** The run ended normally after its last epoch (or an early-stopping rule). */
export interface FinishedEvent {
  type: 'finished';
  runId: string;
  epochs: number;
  /** Final metrics per split; null for a split that does not exist. */
  metrics: {
    train: Record<string, number>;
    validation: Record<string, number> | null;
    test?: Record<string, number> | null;
  };
  /** 'early-stopped' when the early-stopping rule ended the run (real runs). */
  status?: 'completed' | 'early-stopped';
  outcome?: RunOutcome;
  predictions?: PredictionPayload;
}

/** The run ended because the host asked (`stop`). `epoch` is the last completed epoch. */
export interface StoppedEvent {
  type: 'stopped';
  runId: string;
  epoch: number;
  /** Which weights the outcome holds: the best epoch's (early-stopping restoreBestWeights) or the last. */
  kept?: 'best' | 'last';
  outcome?: RunOutcome;
  predictions?: PredictionPayload;
}

/** The run could not continue. `code` is a stable machine-readable reason. */
export interface FailedEvent {
  type: 'failed';
  runId: string;
  code: 'bad-project' | 'bad-data' | 'backend' | 'numeric' | 'internal';
  message: string;
  /** Where a numeric failure happened (1-based). */
  epoch?: number;
  batch?: number;
  /** For 'numeric': the run with the weights of the last finite step. */
  outcome?: RunOutcome;
  /** For 'numeric': predictions of those weights. */
  predictions?: PredictionPayload;
}

/** The trainer could not understand or accept a command (never fatal for the trainer). */
export interface ProtocolErrorEvent {
  type: 'protocol-error';
  message: string;
  /** The `type` of the offending command when it had one. */
  command?: string;
}

export type TrainerEvent =
  | HelloEvent
  | StartedEvent
  | BatchEvent
  | EpochEvent
  | PausedEvent
  | FinishedEvent
  | StoppedEvent
  | FailedEvent
  | ProtocolErrorEvent;

/** Emitted by a host (never a trainer) when the trainer process of a run died unexpectedly. */
export interface CrashedEvent {
  type: 'crashed';
  runId: string;
  /** Exit code or signal name when known. */
  exit: string;
  message: string;
}

/** Everything the renderer can receive about a run. */
export type RunEvent = TrainerEvent | CrashedEvent;

/** Event types that end a run (no further events for that runId follow). */
export const TERMINAL_EVENTS: ReadonlySet<RunEvent['type']> = new Set([
  'finished',
  'stopped',
  'failed',
  'crashed',
]);

// ---------------------------------------------------------------------------------------------
// Guards: messages arrive as `unknown` from another process and are checked before use.

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const isStr = (x: unknown): x is string => typeof x === 'string';
const isNum = (x: unknown): x is number => typeof x === 'number' && !Number.isNaN(x);
const isPosInt = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0;

const isNumArray = (x: unknown): x is number[] => Array.isArray(x) && x.every((v) => typeof v === 'number');

/** Absent, or a well-formed PredictionPayload (rows fill `cols`; targets match the task). */
function predictionsOk(x: unknown): boolean {
  if (x === undefined) return true;
  if (!isObject(x) || !isNumArray(x.outputs) || !isNumArray(x.targets) || !isPosInt(x.cols) || x.cols < 1)
    return false;
  if (!['train', 'validation', 'test'].includes(x.split as string)) return false;
  if (x.outputs.length % x.cols !== 0) return false;
  const rows = x.outputs.length / x.cols;
  if (x.task === 'regression') return x.targets.length === x.outputs.length;
  if (x.task !== 'binary' && x.task !== 'multiclass') return false;
  return (
    x.targets.length === rows &&
    (x.classes === undefined || (Array.isArray(x.classes) && x.classes.every(isStr)))
  );
}

function isNumRecord(x: unknown): x is Record<string, number> {
  return isObject(x) && Object.values(x).every((v) => typeof v === 'number');
}

function isDataSource(x: unknown): x is DataSource {
  if (!isObject(x)) return false;
  if (x.kind === 'path') return isStr(x.path) && x.path.length > 0;
  if (x.kind === 'bytes') return isStr(x.name) && x.bytes instanceof Uint8Array;
  return false;
}

function isRunOptions(x: unknown): x is RunOptions {
  if (!isObject(x)) return false;
  if (x.backend !== 'auto' && x.backend !== 'cpu' && x.backend !== 'webgpu') return false;
  for (const k of ['epochs', 'seed', 'splitSeed', 'threads'] as const)
    if (x[k] !== undefined && !isPosInt(x[k])) return false;
  if (x.epochs !== undefined && x.epochs === 0) return false;
  if (x.threads !== undefined && x.threads === 0) return false;
  if (x.continueRunId !== undefined && !isStr(x.continueRunId)) return false;
  if (x.demo === undefined) return true;
  const d = x.demo;
  return isObject(d) && isPosInt(d.epochs) && isPosInt(d.batchesPerEpoch) && isPosInt(d.batchDelayMs);
}

/**
 * Why `x` is not a valid TrainerCommand, or null when it is one.
 * Used by the trainer to answer `protocol-error` with a useful message.
 */
export function commandProblem(x: unknown): string | null {
  if (!isObject(x)) return 'a command must be an object';
  if (!isStr(x.type)) return "a command needs a string 'type'";
  const kind = x.type as TrainerCommand['type'];
  switch (kind) {
    case 'hello':
      return isPosInt(x.protocol) && isStr(x.client)
        ? null
        : "'hello' needs protocol (integer) and client (string)";
    case 'start':
      if (!isStr(x.runId) || x.runId === '') return "'start' needs a non-empty runId";
      if (!('project' in x)) return "'start' needs a project";
      if (!isDataSource(x.data))
        return "'start' needs data: {kind:'path', path} or {kind:'bytes', name, bytes}";
      if (!isRunOptions(x.options))
        return "'start' needs options: {backend: 'auto'|'cpu'|'webgpu', epochs?, seed?, splitSeed? (integers), threads? (integer ≥ 1), continueRunId?, demo?}";
      return null;
    case 'pause':
    case 'resume':
    case 'stop':
    case 'step':
      return isStr(x.runId) ? null : `'${kind}' needs a runId`;
    case 'shutdown':
      return null;
    default:
      kind satisfies never;
      return `unknown command type '${String(x.type)}'`;
  }
}

/** True when `x` is a well-formed TrainerCommand. */
export function isTrainerCommand(x: unknown): x is TrainerCommand {
  return commandProblem(x) === null;
}

/** True when `x` is a well-formed TrainerEvent (checked by hosts before forwarding). */
export function isTrainerEvent(x: unknown): x is TrainerEvent {
  if (!isObject(x) || !isStr(x.type)) return false;
  const kind = x.type as TrainerEvent['type'];
  switch (kind) {
    case 'hello':
      return (
        isPosInt(x.protocol) &&
        typeof x.ok === 'boolean' &&
        isStr(x.trainerVersion) &&
        isStr(x.runtime) &&
        Array.isArray(x.backends) &&
        x.backends.every((b) => isObject(b) && (b.kind === 'cpu' || b.kind === 'webgpu') && isStr(b.label))
      );
    case 'started':
      return (
        isStr(x.runId) &&
        (x.backend === 'cpu' || x.backend === 'webgpu') &&
        isPosInt(x.epochs) &&
        isPosInt(x.batchesPerEpoch) &&
        (x.threads === undefined || isPosInt(x.threads))
      );
    case 'batch':
      return (
        isStr(x.runId) &&
        isPosInt(x.epoch) &&
        isPosInt(x.batch) &&
        isPosInt(x.batchesPerEpoch) &&
        isNum(x.loss)
      );
    case 'epoch':
      return (
        isStr(x.runId) &&
        isPosInt(x.epoch) &&
        isPosInt(x.epochs) &&
        isNumRecord(x.train) &&
        (x.validation === null || isNumRecord(x.validation)) &&
        isNum(x.learningRate) &&
        isNum(x.wallMs)
      );
    case 'paused':
    case 'resumed':
      return isStr(x.runId);
    case 'finished':
      return (
        isStr(x.runId) &&
        isPosInt(x.epochs) &&
        isObject(x.metrics) &&
        isNumRecord(x.metrics.train) &&
        (x.metrics.validation === null || isNumRecord(x.metrics.validation)) &&
        predictionsOk(x.predictions)
      );
    case 'stopped':
      return isStr(x.runId) && isPosInt(x.epoch) && predictionsOk(x.predictions);
    case 'failed':
      return (
        isStr(x.runId) &&
        isStr(x.message) &&
        ['bad-project', 'bad-data', 'backend', 'numeric', 'internal'].includes(x.code as string) &&
        predictionsOk(x.predictions)
      );
    case 'protocol-error':
      return isStr(x.message) && (x.command === undefined || isStr(x.command));
    default:
      kind satisfies never;
      return false;
  }
}

/** One-line description of a command for logs (never includes data bytes). */
export function describeCommand(c: TrainerCommand): string {
  switch (c.type) {
    case 'hello':
      return `hello protocol=${c.protocol} client=${c.client}`;
    case 'start':
      return `start run=${c.runId} data=${c.data.kind === 'path' ? c.data.path : `${c.data.name} (${c.data.bytes.byteLength} bytes)`}`;
    case 'pause':
    case 'resume':
    case 'stop':
    case 'step':
      return `${c.type} run=${c.runId}`;
    case 'shutdown':
      return 'shutdown';
    default:
      return c satisfies never;
  }
}
