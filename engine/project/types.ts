/**
 * The in-memory shape of a Netloom project (what `loadProject` returns and `serializeProject`
 * takes). It mirrors the file format v1 (docs/project-format.md) except for three encodings:
 * - tensors (`WeightTensor.data`: Float32Array; typed arrays inside optimizer state: Float32Array,
 *   Float64Array, Int32Array) are base64 of their little-endian bytes in the file;
 * - metric numbers (`MetricValue`) may be NaN or ±Infinity here (a diverged loss is a fact worth
 *   keeping) and are the strings "NaN", "Infinity", "-Infinity" in the file; inside optimizer
 *   state a non-finite number is `{ "$number": "NaN" }`;
 * - everything else is plain JSON with finite numbers (−0 is kept: the writer prints `-0`).
 */
import type { RngState } from '../random/rng';
import type { JsonObject } from './json-value';

/** File format tag, the value of the top-level `format` key. */
export const PROJECT_FORMAT = 'netloom-project';

/** Any finite number, or NaN/±Infinity (stored as strings in the file). */
export type MetricValue = number;

/** Metric name → value, e.g. `{ loss: 0.31, accuracy: 0.93 }`. */
export type MetricMap = Record<string, MetricValue>;

/** Which compute backend training uses; 'auto' picks WebGPU when available, else CPU. */
export type Backend = 'auto' | 'cpu' | 'webgpu';

/** A node in the graph, serialized per node type as `{type, version, params}` (tldraw-style). */
export interface GraphNode {
  /** Unique within the graph. */
  id: string;
  /** Node type name from the node registry, e.g. 'Dense', 'ReLU', 'CrossEntropyLoss'. */
  type: string;
  /** Version of this node type's params layout (integer ≥ 1), for per-type migrations. */
  version: number;
  /** Canvas position in flow coordinates (pixels at zoom 1). */
  position: { x: number; y: number };
  /** Optional user-visible name. */
  label?: string;
  /** The node's parameters as plain JSON; checked by the registry hook, opaque to this module. */
  params: JsonObject;
}

/** A connection from an output port of one node to an input port of another. */
export interface GraphEdge {
  id: string;
  source: string;
  sourcePort: string;
  target: string;
  targetPort: string;
}

export interface ProjectGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** The CSV the project was built on. */
export interface DatasetReference {
  /** Relative to the project file's folder, '/' separators (see dataset-ref.ts). */
  path: string;
  /** SHA-256 of the file's bytes at import, 64 lowercase hex digits. */
  sha256: string;
  /** Size in bytes at import. */
  size: number;
  /** The "Data" import settings (delimiter, column roles, split, …) as produced by engine/data. */
  importSettings: JsonObject;
  /** Fitted preprocessing parameters (scaler means/stds, category lists, …), or null before fitting. */
  preprocessing: JsonObject | null;
}

/** Stop when the monitored metric has not improved by `minDelta` for `patience` epochs. */
export interface EarlyStopping {
  /** Metric to watch, e.g. 'validation.loss'. */
  monitor: string;
  /** 'min' for losses, 'max' for accuracies. */
  mode: 'min' | 'max';
  /** Epochs without improvement before stopping (integer ≥ 0). */
  patience: number;
  /** Smallest change that counts as an improvement (≥ 0, in the metric's units). */
  minDelta: number;
  /** Whether to roll back to the best epoch's weights when stopping. */
  restoreBestWeights: boolean;
}

/**
 * How to train. The optimizer, loss and learning-rate schedule are nodes of the graph
 * (engine/graph: 'Optimizer.adam', 'Schedule.cosine', …), so they are not repeated here.
 */
export interface TrainingSettings {
  /** Integer ≥ 1. */
  epochs: number;
  /** Examples per mini-batch, integer ≥ 1. */
  batchSize: number;
  /** Seed for the Rng (uint32). */
  seed: number;
  backend: Backend;
  earlyStopping: EarlyStopping | null;
}

/** What happened in one epoch. */
export interface EpochRecord {
  /** 1-based epoch number; strictly increasing within a run. */
  epoch: number;
  /** Training metrics averaged over the epoch. */
  train: MetricMap;
  /** Validation metrics at the end of the epoch, or null without a validation split. */
  validation: MetricMap | null;
  /** Learning rate used in this epoch (the last step's value when it changes within the epoch). */
  learningRate: MetricValue;
  /** L2 norms of the gradients at the epoch's last step: all parameters together, and per tensor. */
  gradientNorm: { global: MetricValue; perTensor: MetricMap } | null;
  /** Milliseconds since the run started, at the end of this epoch. */
  wallTimeMs: number;
}

/** One named parameter tensor, row-major. */
export interface WeightTensor {
  /** Unique within a checkpoint, e.g. 'dense_1.weight'. */
  name: string;
  /** Dimensions (integers ≥ 0); `data.length` is their product. */
  shape: number[];
  data: Float32Array;
}

/**
 * Plain data with typed arrays: the optimizer's state (moments, step count, …), as defined by
 * engine/optim (`StateValue` there). Numbers may be NaN/±Infinity; typed arrays are stored bit-exactly.
 */
export type StateValue =
  | string
  | number
  | boolean
  | null
  | Float32Array
  | Float64Array
  | Int32Array
  | StateValue[]
  | { [key: string]: StateValue };

/** Everything needed to continue training where a run stopped. */
export interface Checkpoint {
  /** Epochs completed when the checkpoint was taken (integer ≥ 0). */
  epoch: number;
  /** Optimizer steps taken (integer ≥ 0). */
  step: number;
  weights: WeightTensor[];
  /** Optimizer state as returned by the optimizer's `init`/`update` (keys starting with '$' are reserved). */
  optimizerState: StateValue;
  /** Generator state for shuffling/dropout, or null. */
  rngState: RngState | null;
}

export type RunStatus = 'running' | 'completed' | 'stopped' | 'early-stopped' | 'failed';

/** One training run: its settings, history and results. */
export interface Run {
  /** Unique within the project. */
  id: string;
  name?: string;
  /** Pinned runs keep their checkpoint when saved; otherwise only the latest run does. */
  pinned: boolean;
  /** 'running' in a saved file means the app stopped while training. */
  status: RunStatus;
  /** ISO 8601 date-time, e.g. '2026-11-29T21:00:00.000Z'. */
  startedAt: string;
  finishedAt: string | null;
  /** The training settings this run used (a snapshot). */
  settings: TrainingSettings;
  /** The graph this run trained (a snapshot: optimizer/schedule nodes and their params included;
   *  the checkpoint's weights belong to this graph, not necessarily to the edited one). */
  graph: ProjectGraph;
  history: EpochRecord[];
  /** Final metrics of the trained model per split, or null while running. */
  final: { train: MetricMap; validation: MetricMap | null; test: MetricMap | null } | null;
  checkpoint: Checkpoint | null;
}

/** A whole project file's content. */
export interface Project {
  format: typeof PROJECT_FORMAT;
  /** File format version; always the current one after loading (older files are migrated). */
  formatVersion: number;
  /** The app that last wrote the file. */
  app: { name: string; version: string };
  name: string;
  graph: ProjectGraph;
  dataset: DatasetReference | null;
  training: TrainingSettings;
  /** Oldest first; the last one is "the latest run". */
  runs: Run[];
}
