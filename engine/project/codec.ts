/**
 * Conversion between the in-memory `Project` and the v1 file document (`ProjectFileV1`).
 *
 * `fromFile` runs only on documents the schema accepted, so it cannot meet bad base64.
 * `toFile` is its inverse: for every project p that `toFile` accepts, fromFile(toFile(p))
 * equals p (tensors bit for bit; metric NaN/±Infinity through strings; −0 through the
 * canonical writer, which keeps the sign of zero).
 */
import {
  base64ToBytes,
  base64ToFloat32,
  bytesLEToTypedArray,
  bytesToBase64,
  float32ToBase64,
  typedArrayToBytesLE,
} from './base64';
import { cloneJson, isPlainObject } from './json-value';
import type { JsonObject, JsonValue } from './json-value';
import { NUMBER_TAG } from './schema-v1';
import type { ProjectFileV1 } from './schema-v1';
import type { Checkpoint, EpochRecord, MetricMap, MetricValue, Project, Run, StateValue } from './types';

type FileMetric = number | 'NaN' | 'Infinity' | '-Infinity';
type FileRun = ProjectFileV1['runs'][number];
type FileCheckpoint = NonNullable<FileRun['checkpoint']>;
type FileEpoch = FileRun['history'][number];

const metricFromFile = (v: FileMetric): MetricValue =>
  v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v;

const metricToFile = (v: MetricValue): FileMetric =>
  Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : v;

/** Builds a record without going through `obj[key] = …` (a '__proto__' key stays data). */
function mapRecord<A, B>(rec: Record<string, A>, f: (a: A) => B): Record<string, B> {
  const out: Record<string, B> = {};
  for (const k of Object.keys(rec)) {
    Object.defineProperty(out, k, { value: f(rec[k]), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

const metricsFromFile = (m: Record<string, FileMetric>): MetricMap => mapRecord(m, metricFromFile);
const metricsToFile = (m: MetricMap): Record<string, FileMetric> => mapRecord(m, metricToFile);
const nullable =
  <A, B>(f: (a: A) => B) =>
  (a: A | null): B | null =>
    a === null ? null : f(a);

const TYPED_CTORS = { $float32: true, $float64: true, $int32: true } as const;

function stateFromFile(v: unknown): StateValue {
  if (Array.isArray(v)) return v.map(stateFromFile);
  if (isPlainObject(v)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === NUMBER_TAG) return metricFromFile(v[NUMBER_TAG] as FileMetric);
    if (keys.length === 1 && Object.hasOwn(TYPED_CTORS, keys[0])) {
      const tag = keys[0] as keyof typeof TYPED_CTORS;
      const bytes = base64ToBytes(v[tag] as string);
      if (tag === '$float32') return bytesLEToTypedArray(bytes, Float32Array);
      if (tag === '$float64') return bytesLEToTypedArray(bytes, Float64Array);
      return bytesLEToTypedArray(bytes, Int32Array);
    }
    return mapRecord(v, stateFromFile) as StateValue;
  }
  return v as StateValue;
}

function stateToFile(v: StateValue): JsonValue {
  if (v instanceof Float32Array) return { $float32: bytesToBase64(typedArrayToBytesLE(v)) };
  if (v instanceof Float64Array) return { $float64: bytesToBase64(typedArrayToBytesLE(v)) };
  if (v instanceof Int32Array) return { $int32: bytesToBase64(typedArrayToBytesLE(v)) };
  if (typeof v === 'number') return Number.isFinite(v) ? v : { [NUMBER_TAG]: metricToFile(v) };
  if (Array.isArray(v)) return v.map(stateToFile);
  if (isPlainObject(v)) return mapRecord(v as Record<string, StateValue>, stateToFile);
  return v as JsonValue; // other primitives (anything odd is rejected by the canonical writer, with its path)
}

function epochFromFile(e: FileEpoch): EpochRecord {
  return {
    epoch: e.epoch,
    train: metricsFromFile(e.train),
    validation: nullable(metricsFromFile)(e.validation),
    learningRate: metricFromFile(e.learningRate),
    gradientNorm: e.gradientNorm && {
      global: metricFromFile(e.gradientNorm.global),
      perTensor: metricsFromFile(e.gradientNorm.perTensor),
    },
    wallTimeMs: e.wallTimeMs,
  };
}

function epochToFile(e: EpochRecord): FileEpoch {
  return {
    epoch: e.epoch,
    train: metricsToFile(e.train),
    validation: nullable(metricsToFile)(e.validation),
    learningRate: metricToFile(e.learningRate),
    gradientNorm: e.gradientNorm && {
      global: metricToFile(e.gradientNorm.global),
      perTensor: metricsToFile(e.gradientNorm.perTensor),
    },
    wallTimeMs: e.wallTimeMs,
  };
}

function checkpointFromFile(c: FileCheckpoint): Checkpoint {
  return {
    epoch: c.epoch,
    step: c.step,
    weights: c.weights.map((w) => ({ name: w.name, shape: [...w.shape], data: base64ToFloat32(w.data) })),
    optimizerState: stateFromFile(c.optimizerState),
    rngState: c.rngState && { s: [...c.rngState.s], spare: c.rngState.spare },
  };
}

function checkpointToFile(c: Checkpoint): FileCheckpoint {
  return {
    epoch: c.epoch,
    step: c.step,
    weights: c.weights.map((w) => ({
      name: w.name,
      shape: [...w.shape],
      dtype: 'float32' as const,
      // A non-Float32Array here is a caller bug; the schema check after toFile reports it with its path.
      data: w.data instanceof Float32Array ? float32ToBase64(w.data) : (w.data as unknown as string),
    })),
    optimizerState: stateToFile(c.optimizerState),
    rngState: c.rngState && { s: [...c.rngState.s], spare: c.rngState.spare },
  };
}

function runFromFile(r: FileRun): Run {
  return {
    id: r.id,
    ...(r.name === undefined ? {} : { name: r.name }),
    pinned: r.pinned,
    status: r.status,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    settings: cloneJson(r.settings as unknown as JsonObject) as unknown as Run['settings'],
    graph: cloneJson(r.graph as unknown as JsonObject) as unknown as Run['graph'],
    history: r.history.map(epochFromFile),
    final: r.final && {
      train: metricsFromFile(r.final.train),
      validation: nullable(metricsFromFile)(r.final.validation),
      test: nullable(metricsFromFile)(r.final.test),
    },
    checkpoint: nullable(checkpointFromFile)(r.checkpoint),
  };
}

function runToFile(r: Run): FileRun {
  return {
    id: r.id,
    ...(r.name === undefined ? {} : { name: r.name }),
    pinned: r.pinned,
    status: r.status,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    settings: r.settings,
    graph: r.graph,
    history: r.history.map(epochToFile),
    final: r.final && {
      train: metricsToFile(r.final.train),
      validation: nullable(metricsToFile)(r.final.validation),
      test: nullable(metricsToFile)(r.final.test),
    },
    checkpoint: nullable(checkpointToFile)(r.checkpoint),
  };
}

/** The in-memory project for a schema-valid v1 document (a fresh copy; the document is not kept). */
export function projectFromFile(doc: ProjectFileV1): Project {
  const rest = cloneJson({ ...doc, runs: [] } as unknown as JsonObject) as unknown as Project;
  return { ...rest, runs: doc.runs.map(runFromFile) };
}

/** The v1 document for a project (tensors as base64, non-finite metrics as strings). Not yet validated. */
export function projectToFile(project: Project): ProjectFileV1 {
  return { ...project, formatVersion: 1, runs: project.runs.map(runToFile) } as ProjectFileV1;
}
