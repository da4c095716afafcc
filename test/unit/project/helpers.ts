// Shared builders and fast-check arbitraries for the project-file tests.
import fc from 'fast-check';
import type {
  Checkpoint,
  EpochRecord,
  GraphEdge,
  GraphNode,
  MetricMap,
  Project,
  ProjectGraph,
  Run,
  StateValue,
  TrainingSettings,
} from '../../../engine/project';
import type { JsonObject, JsonValue } from '../../../engine/project';

/** A small, hand-written, valid project: Input → Dense → ReLU → Dense → loss, one finished run. */
export function sampleProject(): Project {
  const graph: ProjectGraph = {
    nodes: [
      { id: 'in', type: 'Input', version: 1, position: { x: 0, y: 0 }, params: { width: 4 } },
      {
        id: 'd1',
        type: 'Dense',
        version: 1,
        position: { x: 200, y: 0 },
        params: { units: 2, useBias: true },
      },
      { id: 'act', type: 'Activation.relu', version: 1, position: { x: 400, y: 0 }, params: {} },
    ],
    edges: [
      { id: 'e1', source: 'in', sourcePort: 'out', target: 'd1', targetPort: 'in' },
      { id: 'e2', source: 'd1', sourcePort: 'out', target: 'act', targetPort: 'in' },
    ],
  };
  const training: TrainingSettings = {
    epochs: 2,
    batchSize: 16,
    seed: 7,
    backend: 'cpu',
    earlyStopping: null,
  };
  return {
    format: 'netloom-project',
    formatVersion: 1,
    app: { name: 'Netloom', version: '0.1.0' },
    name: 'Sample',
    graph,
    dataset: {
      path: 'data/iris.csv',
      sha256: 'a'.repeat(64),
      size: 4550,
      importSettings: { delimiter: ',', header: true },
      preprocessing: null,
    },
    training,
    runs: [
      {
        id: 'run-1',
        pinned: false,
        status: 'completed',
        startedAt: '2026-11-29T20:00:00.000Z',
        finishedAt: '2026-11-29T20:00:05.000Z',
        settings: { ...training },
        graph: structuredClone(graph),
        history: [
          {
            epoch: 1,
            train: { loss: 1.5 },
            validation: { loss: 1.6 },
            learningRate: 0.1,
            gradientNorm: null,
            wallTimeMs: 10,
          },
          {
            epoch: 2,
            train: { loss: 0.5 },
            validation: null,
            learningRate: 0.1,
            gradientNorm: null,
            wallTimeMs: 20,
          },
        ],
        final: { train: { loss: 0.5 }, validation: null, test: null },
        checkpoint: {
          epoch: 2,
          step: 20,
          weights: [
            { name: 'd1.weight', shape: [4, 2], data: new Float32Array([1, -2, 0.5, 0, 3, 4, 5, 6]) },
          ],
          optimizerState: { step: 20 },
          rngState: null,
        },
      },
    ],
  };
}

/**
 * A comparable form: typed arrays become { typed: name, hex: bytes } so that toEqual compares them
 * bit for bit (NaN payloads, −0) and distinguishes Float32Array from Float64Array.
 */
export function comparable(v: unknown): unknown {
  if (v instanceof Float32Array || v instanceof Float64Array || v instanceof Int32Array) {
    return {
      typed: v.constructor.name,
      hex: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex'),
    };
  }
  if (Array.isArray(v)) return v.map(comparable);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) Object.defineProperty(out, k, { value: comparable(x), enumerable: true });
    }
    return out;
  }
  return v;
}

// ---------- arbitraries ----------

const simpleName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,11}$/);
/** Any non-empty string except the reserved '__proto__' (metric and tensor names). */
const anyName = fc
  .oneof(simpleName, fc.string({ minLength: 1, maxLength: 8, unit: 'binary' }))
  .filter((s) => s !== '__proto__');
/** Keys of opaque JSON objects; may be anything, including '__proto__' and '$x'. */
const jsonKey = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom('__proto__', 'constructor', '$float32', ''),
);

/** JSON values; objects are built with defineProperty so '__proto__' stays an own data key. */
const jsonArbs = fc.letrec<{ v: JsonValue; o: JsonObject }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.string({ maxLength: 8, unit: 'binary' }),
    fc.array(tie('v'), { maxLength: 4 }),
    tie('o'),
  ),
  o: fc.uniqueArray(fc.tuple(jsonKey, tie('v')), { maxLength: 4, selector: ([k]) => k }).map((entries) => {
    const o: JsonObject = {};
    for (const [k, v] of entries)
      Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    return o;
  }),
}));
export const arbJsonValue: fc.Arbitrary<JsonValue> = jsonArbs.v;
export const arbJsonObject: fc.Arbitrary<JsonObject> = jsonArbs.o;

/** Any double, NaN, ±Infinity and −0 included. */
const metricValue = fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, -0));
const metricMap: fc.Arbitrary<MetricMap> = fc.dictionary(anyName, metricValue, { maxKeys: 3 });

/** Raw bytes as a typed array: every bit pattern, so NaN payloads and subnormals occur. */
const typedFromBytes = <T>(size: number, make: (buf: ArrayBuffer) => T, maxLength = 6): fc.Arbitrary<T> =>
  fc.uint8Array({ maxLength: maxLength * size }).map((b) => {
    const n = Math.floor(b.length / size) * size;
    const buf = new ArrayBuffer(n);
    new Uint8Array(buf).set(b.subarray(0, n));
    return make(buf);
  });
export const arbFloat32 = typedFromBytes(4, (b) => new Float32Array(b));

const stateKey = simpleName.filter((k) => !k.startsWith('$'));
const stateValue: fc.Arbitrary<StateValue> = fc.letrec<{ s: StateValue }>((tie) => ({
  s: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    metricValue,
    fc.string({ maxLength: 6 }),
    arbFloat32,
    typedFromBytes(8, (b) => new Float64Array(b)),
    typedFromBytes(4, (b) => new Int32Array(b)),
    fc.array(tie('s'), { maxLength: 3 }),
    fc.dictionary(stateKey, tie('s'), { maxKeys: 3 }),
  ),
})).s;

const arbGraph: fc.Arbitrary<ProjectGraph> = fc.uniqueArray(simpleName, { maxLength: 5 }).chain((ids) => {
  const nodes: fc.Arbitrary<GraphNode[]> = fc.tuple(
    ...ids.map((id) =>
      fc.record(
        {
          id: fc.constant(id),
          type: simpleName,
          version: fc.integer({ min: 1, max: 5 }),
          position: fc.record({ x: fc.double({ noNaN: true, noDefaultInfinity: true }), y: fc.integer() }),
          label: fc.string({ maxLength: 10 }),
          params: arbJsonObject,
        },
        { requiredKeys: ['id', 'type', 'version', 'position', 'params'] },
      ),
    ),
  );
  const edges: fc.Arbitrary<GraphEdge[]> =
    ids.length === 0
      ? fc.constant([])
      : fc
          .array(fc.tuple(fc.nat(ids.length - 1), fc.nat(ids.length - 1), simpleName, simpleName), {
            maxLength: 4,
          })
          .map((es) =>
            es.map(([s, t, sp, tp], i) => ({
              id: `e${i}`,
              source: ids[s],
              sourcePort: sp,
              target: ids[t],
              targetPort: tp,
            })),
          );
  return fc.record({ nodes, edges });
});

const arbTraining: fc.Arbitrary<TrainingSettings> = fc.record({
  epochs: fc.integer({ min: 1, max: 1000 }),
  batchSize: fc.integer({ min: 1, max: 4096 }),
  seed: fc.integer({ min: 0, max: 0xffffffff }),
  backend: fc.constantFrom('auto', 'cpu', 'webgpu'),
  earlyStopping: fc.option(
    fc.record({
      monitor: simpleName,
      mode: fc.constantFrom('min', 'max'),
      patience: fc.nat(50),
      minDelta: fc.double({ min: 0, max: 1, noNaN: true }),
      restoreBestWeights: fc.boolean(),
    }),
  ),
});

const isoDate = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

const arbEpochs: fc.Arbitrary<EpochRecord[]> = fc
  .array(
    fc.record({
      gap: fc.integer({ min: 1, max: 3 }),
      train: metricMap,
      validation: fc.option(metricMap),
      learningRate: metricValue,
      gradientNorm: fc.option(fc.record({ global: metricValue, perTensor: metricMap })),
      wallTimeMs: fc.double({ min: 0, max: 1e9, noNaN: true }),
    }),
    { maxLength: 4 },
  )
  .map((rows) => {
    let epoch = 0;
    return rows.map(({ gap, ...r }) => ({ epoch: (epoch += gap), ...r }));
  });

const arbCheckpoint: fc.Arbitrary<Checkpoint> = fc.record({
  epoch: fc.nat(1000),
  step: fc.nat(100000),
  weights: fc.uniqueArray(
    fc
      .record({ name: anyName, data: arbFloat32 })
      .map(({ name, data }) => ({ name, shape: [data.length], data })),
    { maxLength: 3, selector: (w) => w.name },
  ),
  optimizerState: stateValue,
  rngState: fc.option(
    fc.record({
      s: fc.tuple(...[0, 1, 2, 3].map(() => fc.integer({ min: 0, max: 0xffffffff }))) as fc.Arbitrary<
        [number, number, number, number]
      >,
      spare: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true })),
    }),
  ),
});

const arbRun = (id: string): fc.Arbitrary<Run> =>
  fc.record(
    {
      id: fc.constant(id),
      name: fc.string({ maxLength: 10 }),
      pinned: fc.boolean(),
      status: fc.constantFrom('running', 'completed', 'stopped', 'early-stopped', 'failed'),
      startedAt: isoDate,
      finishedAt: fc.option(isoDate),
      settings: arbTraining,
      graph: arbGraph,
      history: arbEpochs,
      final: fc.option(
        fc.record({ train: metricMap, validation: fc.option(metricMap), test: fc.option(metricMap) }),
      ),
      checkpoint: fc.option(arbCheckpoint),
    },
    {
      requiredKeys: [
        'id',
        'pinned',
        'status',
        'startedAt',
        'finishedAt',
        'settings',
        'graph',
        'history',
        'final',
        'checkpoint',
      ],
    },
  );

/** Random valid projects (checkpoints may sit on any run; saving prunes them). */
export const arbProject: fc.Arbitrary<Project> = fc.record({
  format: fc.constant('netloom-project' as const),
  formatVersion: fc.constant(1),
  app: fc.record({ name: fc.constant('Netloom'), version: fc.stringMatching(/^\d{1,2}\.\d{1,2}\.\d{1,2}$/) }),
  name: fc.string({ maxLength: 20 }),
  graph: arbGraph,
  dataset: fc.option(
    fc.record({
      path: fc.constantFrom('iris.csv', 'data/wine.csv', '../shared/data set.csv'),
      sha256: fc.stringMatching(/^[0-9a-f]{64}$/),
      size: fc.nat(),
      importSettings: arbJsonObject,
      preprocessing: fc.option(arbJsonObject),
    }),
  ),
  training: arbTraining,
  runs: fc.uniqueArray(simpleName, { maxLength: 3 }).chain((ids) => fc.tuple(...ids.map(arbRun))),
});
