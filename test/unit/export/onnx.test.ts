/**
 * ONNX export, checked by its real consumer: onnxruntime-node loads the file and, from raw CSV columns,
 * reproduces Netloom's own predictions (compile's forward on applyRecipe's features) within
 * 1e−5 + 1e−5·|value|.
 */
import { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx, categoricalInputName, ONNX_OPSET } from '../../../engine/export';
import protobuf from 'protobufjs/light';
import { onnxDescriptor } from '../../../engine/export/onnx-proto';
import { standardCases, type Case } from './models';
import { closeTo, rawColumns } from './raw';

let cases: Case[];
beforeAll(() => {
  cases = standardCases();
});

async function run(c: Case) {
  const { bytes, inputs, outputs } = exportOnnx(c.model);
  const session = await InferenceSession.create(bytes);
  const raw = rawColumns(c.model, c.csv);
  const feeds: Record<string, OrtTensor> = {};
  if (raw.numericNames.length)
    feeds.features = new OrtTensor('float32', raw.numeric, [raw.rows, raw.numericNames.length]);
  for (const [col, texts] of raw.categorical)
    feeds[categoricalInputName(col)] = new OrtTensor('string', texts, [raw.rows, 1]);
  const result = await session.run(feeds);
  return { result, inputs, outputs, bytes, raw };
}

describe('ONNX export in onnxruntime-node', () => {
  it.each(['zoo-iris', 'zoo-iris-large', 'binary-breast-cancer', 'regression-linnerud-zca', 'categorical'])(
    '%s: predictions from raw CSV columns equal Netloom',
    async (name) => {
      const c = cases.find((k) => k.name === name)!;
      const { result, outputs } = await run(c);
      if (c.model.task === 'regression') {
        expect(outputs).toEqual(['prediction']);
        closeTo(result.prediction.data as Float32Array, c.expected, `${name} prediction`);
      } else {
        expect(outputs).toEqual(['probabilities', 'class_index', 'label']);
        const p = result.probabilities.data as Float32Array;
        expect(result.probabilities.dims).toEqual([c.rows, c.model.classes.length]);
        closeTo(p, c.expected, `${name} probabilities`);
        // class_index and label agree with the arg max of Netloom's probabilities (where it is not a near tie).
        const K = c.model.classes.length;
        const idx = result.class_index.data as BigInt64Array;
        const labels = result.label.data as string[];
        for (let i = 0; i < c.rows; i++) {
          const row = Array.from(c.expected.subarray(i * K, i * K + K));
          const best = row.indexOf(Math.max(...row));
          const sorted = [...row].sort((a, b) => b - a);
          if (sorted[0] - sorted[1] > 1e-4) expect(Number(idx[i])).toBe(best);
          expect(labels[i]).toBe(c.model.classes[Number(idx[i])]);
        }
      }
    },
  );

  it('the zoo model really contains every activation and layer type', () => {
    const c = cases.find((k) => k.name === 'zoo-iris')!;
    const kinds = new Set(
      c.model.plan.map((s) =>
        s.kind === 'activation' ? s.name : s.kind === 'layer' ? s.layer.config!.type : 'input',
      ),
    );
    for (const k of [
      'identity',
      'sigmoid',
      'tanh',
      'soboleva_tanh',
      'lecun_tanh',
      'relu',
      'leaky_relu',
      'prelu',
      'gelu',
      'elu',
      'selu',
      'silu',
      'gaussian',
      'softplus',
      'binary_step',
      'softmax',
      'dense',
      'rbf',
      'maxout',
      'dropout',
      'batchnorm',
      'add',
      'concat',
    ])
      expect(kinds, k).toContain(k);
  });

  it('declares opset, named inputs/outputs and the class labels in metadata_props', async () => {
    const c = cases.find((k) => k.name === 'categorical')!;
    const { bytes, inputs } = await run(c);
    expect(inputs).toEqual(['features', 'cat_site']);
    // protobufjs reflection decodes independently of the exporter's hand-walked encoder.
    const M = protobuf.Root.fromJSON(onnxDescriptor).lookupType('onnx.ModelProto');
    const m = M.toObject(M.decode(bytes), { longs: Number }) as {
      opsetImport: { domain?: string; version: number }[];
      metadataProps: { key: string; value: string }[];
      producerName: string;
    };
    expect(m.producerName).toBe('Netloom');
    expect(m.opsetImport.find((o) => !o.domain)?.version).toBe(ONNX_OPSET);
    expect(ONNX_OPSET).toBeGreaterThanOrEqual(13);
    const meta = Object.fromEntries(m.metadataProps.map((p) => [p.key, p.value]));
    expect(JSON.parse(meta.classes)).toEqual(['healthy', 'sick', 'unclear']);
    expect(meta.netloom_version).toBe('0.1.0-test');
    expect(JSON.parse(meta.numeric_columns)).toEqual(['dose', 'const', 'weight']);
  });

  it('an unseen category gives an all-zero one-hot vector (documented), not a crash', async () => {
    const c = cases.find((k) => k.name === 'categorical')!;
    const { bytes } = exportOnnx(c.model);
    const s = await InferenceSession.create(bytes);
    const out = await s.run({
      features: new OrtTensor('float32', Float32Array.from([1, 3, 60]), [1, 3]),
      cat_site: new OrtTensor('string', ['west'], [1, 1]),
    });
    const p = out.probabilities.data as Float32Array;
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });
});
