/**
 * The model's parameters as named tensors in PyTorch layout — the form both the safetensors and the
 * JSON exports write and the generated PyTorch script loads.
 *
 * Naming: `<nodeId>.<name>` where name is PyTorch's: Dense and Maxout `weight` [out, in] (nn.Linear's
 * layout: the transpose of Netloom's [in, out]) and `bias` [out]; BatchNorm `weight` (γ), `bias` (β),
 * `running_mean`, `running_var` (nn.BatchNorm1d); PReLU `weight` [F] or [1] (nn.PReLU); RBF `centres`
 * [N, d] and `widths` [N] (no PyTorch equivalent; same as Netloom). Maxout's row u·k + j is piece j of
 * unit u (Netloom's column u·k + j).
 *
 * Invariant: data is float32, row-major, copied (never a view of the live store).
 */
import { ExportError, weightOf, type ExportModel } from './model';

export interface NamedTensor {
  /** Exported (PyTorch) name. */
  name: string;
  /** The Netloom parameter it comes from (`<nodeId>.<local>`). */
  netloomName: string;
  shape: number[];
  /** 'transposed' when the data is the transpose of the Netloom tensor ([out, in] from [in, out]). */
  layout: 'transposed' | 'same';
  data: Float32Array;
}

const TORCH_LOCAL: Record<string, Record<string, string>> = {
  dense: { weight: 'weight', bias: 'bias' },
  maxout: { weight: 'weight', bias: 'bias' },
  batchnorm: { gamma: 'weight', beta: 'bias', running_mean: 'running_mean', running_var: 'running_var' },
  prelu: { alpha: 'weight' },
  rbf: { centres: 'centres', widths: 'widths' },
};

/** Transpose of a row-major [r, c] matrix. */
export function transpose2d(data: Float32Array, r: number, c: number): Float32Array {
  const out = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = data[i * c + j];
  return out;
}

/**
 * Every parameter of the model in PyTorch layout, in the store's order.
 * @throws ExportError on a non-finite value (naming the tensor and index), which no format should carry silently.
 */
export function torchTensors(model: ExportModel): NamedTensor[] {
  const out: NamedTensor[] = [];
  for (const l of model.compiled.layers) {
    const kind = l.config?.type;
    if (!kind) continue;
    const map = TORCH_LOCAL[kind] ?? {};
    for (const [local, netloomName] of Object.entries(l.params)) {
      const torchLocal = map[local];
      if (!torchLocal)
        throw new ExportError(`Node '${l.nodeId}': parameter '${local}' has no exported name.`, l.nodeId);
      const w = weightOf(model, netloomName);
      const bad = w.data.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0)
        throw new ExportError(
          `Parameter '${netloomName}' holds ${w.data[bad]} at index ${bad}; retrain (or continue from an earlier run) before exporting.`,
          l.nodeId,
        );
      const mat = (kind === 'dense' || kind === 'maxout') && local === 'weight';
      out.push({
        name: `${l.nodeId}.${torchLocal}`,
        netloomName,
        shape: mat ? [w.shape[1], w.shape[0]] : w.shape,
        layout: mat ? 'transposed' : 'same',
        data: mat ? transpose2d(w.data, w.shape[0], w.shape[1]) : w.data,
      });
    }
  }
  return out;
}
