/**
 * safetensors and JSON weights: read back by a parser written here from the format's description
 * (not the exporter's code) and compared bit for bit with the compiled model's parameter store,
 * transposing Dense/Maxout weights by index arithmetic in the test.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  encodeSafetensors,
  exportSafetensors,
  exportWeightsJson,
  torchTensors,
  WEIGHTS_JSON_FORMAT,
  type WeightsJson,
} from '../../../engine/export';
import { standardCases, type Case } from './models';

interface Parsed {
  headerLength: number;
  header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  metadata: Record<string, string>;
  tensors: Map<string, { shape: number[]; data: Float32Array }>;
}

/** Independent safetensors reader. */
function parseSafetensors(bytes: Uint8Array): Parsed {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(dv.getBigUint64(0, true));
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  const all = JSON.parse(text) as Record<string, unknown>;
  const metadata = (all.__metadata__ ?? {}) as Record<string, string>;
  delete all.__metadata__;
  const header = all as Parsed['header'];
  const base = 8 + n;
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, h] of Object.entries(header)) {
    const [b, e] = h.data_offsets;
    const data = new Float32Array((e - b) / 4);
    for (let i = 0; i < data.length; i++) data[i] = dv.getFloat32(base + b + 4 * i, true);
    tensors.set(name, { shape: h.shape, data });
  }
  return { headerLength: n, header, metadata, tensors };
}

/** The expected exported tensor of a Netloom parameter, from the store (transposed for Dense/Maxout weights). */
function expectedOf(
  c: Case,
  netloomName: string,
  transposed: boolean,
): { shape: number[]; data: Float32Array } {
  const s = c.model.compiled.store.spec(netloomName);
  const src = c.model.compiled.store.params.subarray(s.offset, s.offset + s.size);
  if (!transposed) return { shape: [...s.shape], data: Float32Array.from(src) };
  const [r, k] = s.shape;
  const out = new Float32Array(r * k);
  for (let o = 0; o < k; o++) for (let i = 0; i < r; i++) out[o * r + i] = src[i * k + o];
  return { shape: [k, r], data: out };
}

const bitsEqual = (a: Float32Array, b: Float32Array) =>
  a.length === b.length &&
  new Uint32Array(a.buffer, a.byteOffset, a.length).every(
    (v, i) => v === new Uint32Array(b.buffer, b.byteOffset, b.length)[i],
  );

let cases: Case[];
beforeAll(() => {
  cases = standardCases();
});

describe('safetensors export', () => {
  it('follows the documented layout: LE u64 header length, space-padded JSON to 8 bytes, contiguous data', () => {
    for (const c of cases) {
      const { bytes } = exportSafetensors(c.model);
      const p = parseSafetensors(bytes);
      expect(p.headerLength % 8).toBe(0);
      const headerText = new TextDecoder().decode(bytes.subarray(8, 8 + p.headerLength));
      expect(headerText).toMatch(/^\{.*\} *$/s);
      let end = 0;
      for (const h of Object.values(p.header)) {
        expect(h.dtype).toBe('F32');
        expect(h.data_offsets[0]).toBe(end);
        end = h.data_offsets[1];
        expect(end - h.data_offsets[0]).toBe(4 * h.shape.reduce((a, b) => a * b, 1));
      }
      expect(bytes.length).toBe(8 + p.headerLength + end);
      expect(p.metadata.netloom_version).toBe('0.1.0-test');
      expect(JSON.parse(p.metadata.classes)).toEqual(c.model.classes);
    }
  });

  it('holds every parameter in PyTorch layout, bit for bit', () => {
    for (const c of cases) {
      const p = parseSafetensors(exportSafetensors(c.model).bytes);
      expect(p.tensors.size).toBe(c.model.compiled.store.entries.length);
      for (const l of c.model.compiled.layers)
        for (const [local, netloomName] of Object.entries(l.params)) {
          const torchLocal = { gamma: 'weight', beta: 'bias', alpha: 'weight' }[local] ?? local;
          const t = p.tensors.get(`${l.nodeId}.${torchLocal}`);
          expect(t, `${c.name}: ${l.nodeId}.${torchLocal}`).toBeDefined();
          const isMatrix = (l.config!.type === 'dense' || l.config!.type === 'maxout') && local === 'weight';
          const e = expectedOf(c, netloomName, isMatrix);
          expect(t!.shape).toEqual(e.shape);
          expect(bitsEqual(t!.data, e.data), `${c.name}: ${netloomName}`).toBe(true);
        }
      // nn.Linear layout: a Dense weight is [out, in].
      const d = c.model.compiled.layers.find((l) => l.config?.type === 'dense')!;
      expect(p.tensors.get(`${d.nodeId}.weight`)!.shape).toEqual([d.outputWidth, d.inputWidth]);
    }
  });

  it('keeps special float32 bit patterns (−0, subnormals) and refuses bad input', () => {
    const data = new Float32Array([-0, 1e-45, 3.4028234663852886e38, 0.1]);
    const p = parseSafetensors(encodeSafetensors([{ name: 'a', shape: [2, 2], data }], { k: 'v' }));
    expect(bitsEqual(p.tensors.get('a')!.data, data)).toBe(true);
    expect(p.metadata).toEqual({ k: 'v' });
    expect(() => encodeSafetensors([{ name: 'a', shape: [3], data }])).toThrow(/shape \[3\] but 4 values/);
    expect(() =>
      encodeSafetensors([
        { name: 'a', shape: [4], data },
        { name: 'a', shape: [4], data },
      ]),
    ).toThrow(/repeated/);
  });
});

describe('JSON weights export', () => {
  it('documents the model (graph, preprocessing, classes) and holds every tensor value exactly', () => {
    for (const c of cases) {
      const doc = JSON.parse(exportWeightsJson(c.model)) as WeightsJson;
      expect(doc.format).toBe(WEIGHTS_JSON_FORMAT);
      expect(doc.classes).toEqual(c.model.classes);
      expect(doc.preprocessing.featureWidth).toBe(c.model.recipe.featureWidth);
      expect(doc.graph.nodes.length).toBe(c.model.graph.nodes.length);
      expect(doc.featureColumns).toEqual(c.model.recipe.features.map((f) => f.name));
      const byName = new Map(doc.tensors.map((t) => [t.name, t]));
      for (const t of torchTensors(c.model)) {
        const j = byName.get(t.name)!;
        expect(j.dtype).toBe('float32');
        expect(j.shape).toEqual(t.shape);
        const e = expectedOf(c, j.netloomName, j.layout === 'transposed');
        expect(bitsEqual(Float32Array.from(j.data), e.data), t.name).toBe(true);
      }
    }
  });

  it('refuses a non-finite weight, naming the tensor', () => {
    const c = cases[1];
    const e = c.model.compiled.store.entries[0];
    const P = c.model.compiled.store.params;
    const old = P[e.offset + 2];
    P[e.offset + 2] = NaN;
    try {
      expect(() => exportWeightsJson(c.model)).toThrow(
        new RegExp(`'${e.name.replace('.', '\\.')}' holds NaN at index 2`),
      );
      expect(() => exportSafetensors(c.model)).toThrow(/retrain/);
    } finally {
      P[e.offset + 2] = old;
    }
  });
});
