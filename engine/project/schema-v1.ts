/**
 * Zod schema of the project file format v1 — the JSON as it lies on disk (base64 tensors, metric
 * numbers possibly "NaN"/"Infinity"/"-Infinity"). See docs/project-format.md for the prose.
 *
 * Invariants checked here beyond plain types: unique node/edge/run/tensor ids, edges that refer
 * to existing nodes, strictly increasing epochs, canonical base64 whose byte length matches the
 * tensor's shape, and relative dataset paths. Objects are strict: an unknown key is an error,
 * because a new field means a new format version (and a migration).
 * Node params are plain JSON objects here; their per-type checks are the
 * registry hooks' job (hooks.ts).
 */
import * as z from 'zod';
import { base64DecodedLength, base64Problem } from './base64';
import { datasetPathProblem } from './dataset-ref';
import { isPlainObject, type JsonObject } from './json-value';
import { PROJECT_FORMAT } from './types';

/** Record keys that are fine as data but unsafe as property names on plain objects. */
const UNSAFE_KEYS = new Set(['__proto__']);

const name = z.string().min(1, 'must not be empty').max(500);

/** A JSON object (already known to be JSON because it came from JSON.parse); kept as is. */
const jsonObject = z.custom<JsonObject>((v) => isPlainObject(v), 'expected a JSON object');

/** A finite number, or NaN/±Infinity spelled as a string. */
export const metricValueSchema = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]);
/**
 * A record with non-empty, non-reserved keys. Not `z.record`: that one silently drops a
 * '__proto__' key, and a metric must not vanish without a word.
 */
function recordOf<T extends z.ZodType>(value: T) {
  return z
    .custom<Record<string, z.output<T>>>((v) => isPlainObject(v), 'expected an object')
    .superRefine((rec, ctx) => {
      for (const k of Object.keys(rec)) {
        if (k === '' || UNSAFE_KEYS.has(k)) {
          ctx.addIssue({
            code: 'custom',
            message: k === '' ? 'a name must not be empty' : 'this name is reserved',
            path: [k],
          });
          continue;
        }
        const r = value.safeParse(rec[k]);
        if (!r.success)
          for (const issue of r.error.issues)
            ctx.addIssue({ ...issue, code: 'custom', path: [k, ...issue.path] });
      }
    });
}

const metricMap = recordOf(metricValueSchema);

const isoDateTime = z.iso.datetime({ offset: true });

export const trainingSchema = z.strictObject({
  epochs: z.int().min(1).max(1_000_000),
  batchSize: z.int().min(1),
  seed: z.int().min(0).max(0xffffffff),
  backend: z.enum(['auto', 'cpu', 'webgpu']),
  earlyStopping: z
    .strictObject({
      monitor: name,
      mode: z.enum(['min', 'max']),
      patience: z.int().min(0),
      minDelta: z.number().min(0),
      restoreBestWeights: z.boolean(),
    })
    .nullable(),
});

const node = z.strictObject({
  id: name,
  type: name,
  version: z.int().min(1),
  position: z.strictObject({ x: z.number(), y: z.number() }),
  label: z.string().max(500).optional(),
  params: jsonObject,
});

const edge = z.strictObject({ id: name, source: name, sourcePort: name, target: name, targetPort: name });

function checkUnique<T>(
  items: readonly T[],
  keyOf: (t: T) => string,
  what: string,
  ctx: z.core.$RefinementCtx<unknown>,
  path: (string | number)[],
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const k = keyOf(item);
    if (seen.has(k))
      ctx.addIssue({ code: 'custom', message: `duplicate ${what} '${k}'`, path: [...path, i] });
    seen.add(k);
  });
}

export const graphSchema = z
  .strictObject({ nodes: z.array(node), edges: z.array(edge) })
  .superRefine((g, ctx) => {
    checkUnique(g.nodes, (n) => n.id, 'node id', ctx, ['nodes']);
    checkUnique(g.edges, (e) => e.id, 'edge id', ctx, ['edges']);
    const ids = new Set(g.nodes.map((n) => n.id));
    g.edges.forEach((e, i) => {
      for (const end of ['source', 'target'] as const) {
        if (!ids.has(e[end])) {
          ctx.addIssue({
            code: 'custom',
            message: `edge ${end} '${e[end]}' is not a node of the graph`,
            path: ['edges', i, end],
          });
        }
      }
    });
  });

const dataset = z.strictObject({
  path: z.string().superRefine((p, ctx) => {
    const problem = datasetPathProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
  size: z.int().min(0),
  importSettings: jsonObject,
  preprocessing: jsonObject.nullable(),
});

/** Largest element count for one tensor (keeps byte counts within safe integers and typed-array limits). */
export const MAX_TENSOR_ELEMENTS = 2 ** 31 - 1;

const weightTensor = z
  .strictObject({
    name,
    shape: z.array(z.int().min(0)).max(8, 'at most 8 dimensions'),
    dtype: z.literal('float32'),
    data: z.string(),
  })
  .superRefine((t, ctx) => {
    const problem = base64Problem(t.data);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem, path: ['data'] });
      return;
    }
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count > MAX_TENSOR_ELEMENTS) {
      ctx.addIssue({
        code: 'custom',
        message: `shape [${t.shape.join(', ')}] is too large`,
        path: ['shape'],
      });
      return;
    }
    const bytes = base64DecodedLength(t.data);
    if (bytes !== count * 4) {
      ctx.addIssue({
        code: 'custom',
        message: `data holds ${bytes} bytes but shape [${t.shape.join(', ')}] needs ${count * 4} (${count} float32 values)`,
        path: ['data'],
      });
    }
  });

/** Tags of encoded values inside optimizer state: `{ "$float32": "<base64>" }` etc., element sizes in bytes. */
export const TYPED_TAGS = { $float32: 4, $float64: 8, $int32: 4 } as const;
/** Tag of a non-finite number inside optimizer state: `{ "$number": "NaN" }`. */
export const NUMBER_TAG = '$number';

/** Why an object with '$' keys is not a valid encoded value, or null. */
function taggedProblem(v: Record<string, unknown>): { message: string; key?: string } | null {
  const keys = Object.keys(v);
  const tag = keys[0];
  if (keys.length === 1 && tag === NUMBER_TAG) {
    return v[tag] === 'NaN' || v[tag] === 'Infinity' || v[tag] === '-Infinity'
      ? null
      : { message: 'must be "NaN", "Infinity" or "-Infinity"', key: tag };
  }
  if (keys.length === 1 && Object.hasOwn(TYPED_TAGS, tag) && typeof v[tag] === 'string') {
    const data = v[tag];
    const size = TYPED_TAGS[tag as keyof typeof TYPED_TAGS];
    const problem =
      base64Problem(data) ??
      (base64DecodedLength(data) % size !== 0 ? `data must be a multiple of ${size} bytes` : null);
    return problem ? { message: problem, key: tag } : null;
  }
  return {
    message: `keys starting with '$' are reserved for encoded values ({ "$float32" | "$float64" | "$int32": "<base64>" } or { "$number": "NaN" })`,
  };
}

/** Walks optimizer state: objects with a '$' key must be exactly one valid encoded value. */
function checkState(v: unknown, path: (string | number)[], ctx: z.core.$RefinementCtx<unknown>): void {
  if (Array.isArray(v)) {
    v.forEach((x, i) => checkState(x, [...path, i], ctx));
    return;
  }
  if (!isPlainObject(v)) return;
  const keys = Object.keys(v);
  if (keys.some((k) => k.startsWith('$'))) {
    const problem = taggedProblem(v);
    if (problem)
      ctx.addIssue({
        code: 'custom',
        message: problem.message,
        path: problem.key ? [...path, problem.key] : path,
      });
    return;
  }
  for (const k of keys) {
    if (UNSAFE_KEYS.has(k))
      ctx.addIssue({ code: 'custom', message: 'this name is reserved', path: [...path, k] });
    else checkState(v[k], [...path, k], ctx);
  }
}

const optimizerState = z.unknown().superRefine((v, ctx) => checkState(v, [], ctx));

const rngState = z.strictObject({
  s: z.tuple([
    z.int().min(0).max(0xffffffff),
    z.int().min(0).max(0xffffffff),
    z.int().min(0).max(0xffffffff),
    z.int().min(0).max(0xffffffff),
  ]),
  spare: z.number().nullable(),
});

const checkpoint = z
  .strictObject({
    epoch: z.int().min(0),
    step: z.int().min(0),
    weights: z.array(weightTensor),
    optimizerState,
    rngState: rngState.nullable(),
  })
  .superRefine((c, ctx) => checkUnique(c.weights, (w) => w.name, 'weight name', ctx, ['weights']));

const epochRecord = z.strictObject({
  epoch: z.int().min(1),
  train: metricMap,
  validation: metricMap.nullable(),
  learningRate: metricValueSchema,
  gradientNorm: z.strictObject({ global: metricValueSchema, perTensor: metricMap }).nullable(),
  wallTimeMs: z.number().min(0),
});

const run = z.strictObject({
  id: name,
  name: z.string().max(500).optional(),
  pinned: z.boolean(),
  status: z.enum(['running', 'completed', 'stopped', 'early-stopped', 'failed']),
  startedAt: isoDateTime,
  finishedAt: isoDateTime.nullable(),
  settings: trainingSchema,
  graph: graphSchema,
  history: z.array(epochRecord).superRefine((h, ctx) => {
    for (let i = 1; i < h.length; i++) {
      if (h[i].epoch <= h[i - 1].epoch) {
        ctx.addIssue({
          code: 'custom',
          message: `epoch ${h[i].epoch} does not come after epoch ${h[i - 1].epoch}`,
          path: [i, 'epoch'],
        });
      }
    }
  }),
  final: z
    .strictObject({ train: metricMap, validation: metricMap.nullable(), test: metricMap.nullable() })
    .nullable(),
  checkpoint: checkpoint.nullable(),
});

/** The whole v1 document. */
export const projectSchemaV1 = z
  .strictObject({
    format: z.literal(PROJECT_FORMAT),
    formatVersion: z.literal(1),
    app: z.strictObject({ name, version: name }),
    name: z.string().max(500),
    graph: graphSchema,
    dataset: dataset.nullable(),
    training: trainingSchema,
    runs: z.array(run),
  })
  .superRefine((p, ctx) => checkUnique(p.runs, (r) => r.id, 'run id', ctx, ['runs']));

/** The v1 document as it lies in the file. */
export type ProjectFileV1 = z.infer<typeof projectSchemaV1>;
