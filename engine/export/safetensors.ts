/**
 * safetensors writer (format of huggingface/safetensors): 8-byte little-endian unsigned header length
 * N, then N bytes of UTF-8 JSON `{ name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__":
 * { string: string } }` padded with spaces to a multiple of 8, then the tensor bytes (little-endian,
 * row-major), offsets relative to the start of the byte buffer, contiguous in header order.
 *
 * Invariant: output is deterministic (tensor order = model order, metadata keys sorted).
 */
import type { ExportModel } from './model';
import { torchTensors, type NamedTensor } from './tensors';

const enc = new TextEncoder();

/** Little-endian bytes of a float32 array (copy; correct on big-endian hosts too). */
export function float32LeBytes(data: Float32Array): Uint8Array {
  const out = new Uint8Array(data.length * 4);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) dv.setFloat32(i * 4, data[i], true);
  return out;
}

/**
 * Encodes float32 tensors as a safetensors file.
 * @param tensors names must be unique and non-empty; shapes must match data lengths.
 * @param metadata string → string map stored as `__metadata__`.
 * @throws RangeError on a duplicate name or a shape/data mismatch.
 */
export function encodeSafetensors(
  tensors: readonly { name: string; shape: readonly number[]; data: Float32Array }[],
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  const meta: Record<string, string> = {};
  for (const k of Object.keys(metadata).sort()) meta[k] = metadata[k];
  if (Object.keys(meta).length) header.__metadata__ = meta;
  let offset = 0;
  for (const t of tensors) {
    if (!t.name || t.name === '__metadata__' || t.name in header)
      throw new RangeError(`safetensors: tensor name '${t.name}' is empty, reserved or repeated`);
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length)
      throw new RangeError(
        `safetensors: '${t.name}' has shape [${t.shape.join(', ')}] but ${t.data.length} values`,
      );
    header[t.name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + 4 * n] };
    offset += 4 * n;
  }
  let json = enc.encode(JSON.stringify(header));
  const pad = (8 - (json.length % 8)) % 8;
  if (pad) json = enc.encode(JSON.stringify(header) + ' '.repeat(pad));
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let p = 8 + json.length;
  for (const t of tensors) {
    out.set(float32LeBytes(t.data), p);
    p += t.data.length * 4;
  }
  return out;
}

/** Metadata written with every Netloom export (safetensors `__metadata__`, ONNX metadata_props). */
export function exportMetadata(model: ExportModel): Record<string, string> {
  return {
    format: 'pt',
    netloom_version: model.appVersion,
    task: model.task,
    classes: JSON.stringify(model.classes),
    feature_columns: JSON.stringify(model.recipe.features.map((f) => f.name)),
    target_columns: JSON.stringify(model.recipe.targets.map((t) => t.name)),
    layout: 'pytorch (nn.Linear weight [out, in]); see docs/export.md',
  };
}

/** The model's weights as a safetensors file (PyTorch names and layout, see tensors.ts). */
export function exportSafetensors(model: ExportModel): { bytes: Uint8Array; tensors: NamedTensor[] } {
  const tensors = torchTensors(model);
  return { bytes: encodeSafetensors(tensors, exportMetadata(model)), tensors };
}
