/**
 * Host-side index arithmetic for the WebGPU kernels: merging adjacent axes so that kernels decode
 * short multi-indices, and the CSR inversion of scatter indices.
 *
 * Invariant: merging never changes which input element an output element reads — axes d and d+1
 * merge only when, for EVERY operand, stride[d] = stride[d+1]·shape[d+1]; size-1 axes are dropped
 * (their index is always 0).
 */
import { MAX_RANK } from './kernels/common';

export interface Collapsed {
  shape: number[];
  /** One stride list per operand, same length as shape. */
  strides: number[][];
}

/** Merges adjacent axes of `shape` that every operand walks contiguously. */
export function collapseAxes(shape: readonly number[], strides: readonly (readonly number[])[]): Collapsed {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d];
    if (n === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, k) => s[d] === outStrides[k][last] * outShape[last])) {
      outShape[last] *= n;
      continue;
    }
    outShape.push(n);
    strides.forEach((s, k) => outStrides[k].push(s[d]));
  }
  outShape.reverse();
  outStrides.forEach((s) => s.reverse());
  return { shape: outShape, strides: outStrides };
}

/** @throws RangeError when a kernel would need more than MAX_RANK axes. */
export function checkRank(rank: number, where: string): void {
  if (rank > MAX_RANK) {
    throw new RangeError(
      `${where}: WebGPU kernels support up to ${MAX_RANK} non-mergeable axes, this call needs ${rank}; reshape the tensor or use the CPU backend`,
    );
  }
}

/**
 * CSR inverse of `indices` (values in [0, dimSize)): out[0..dimSize] are the start offsets,
 * out[dimSize + 1 + k] the positions j in ascending order grouped by index value.
 */
export function invertIndices(indices: Int32Array, dimSize: number): Int32Array {
  const m = indices.length;
  const out = new Int32Array(dimSize + 1 + m);
  for (let j = 0; j < m; j++) out[indices[j] + 1]++;
  for (let d = 0; d < dimSize; d++) out[d + 1] += out[d];
  const fill = out.slice(0, dimSize);
  for (let j = 0; j < m; j++) out[dimSize + 1 + fill[indices[j]]++] = j;
  return out;
}
