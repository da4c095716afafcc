/**
 * Device-side helpers that are not differentiable primitives: row softmax for predictions
 * (what the UI reads back for a classifier's probabilities).
 */
import { emptyTensor } from '../../tensor/create';
import type { Tensor } from '../../tensor/tensor';
import { WebGpuBackend } from './backend';

/**
 * softmax over the last axis of logits [rows, classes] on the device. Not differentiated (for
 * predictions; training differentiates the log-sum-exp composition).
 * @throws TypeError when x is not a 2-D tensor on a WebGPU backend.
 */
export function softmaxRows(x: Tensor): Tensor {
  if (!(x.backend instanceof WebGpuBackend))
    throw new TypeError('softmaxRows: x must live on a WebGPU backend');
  if (x.rank !== 2) throw new TypeError(`softmaxRows: needs logits [rows, classes], got rank ${x.rank}`);
  x.assertLive('softmaxRows');
  const out = emptyTensor(x.backend, x.shape, x.dtype);
  x.backend.runSoftmax(x.buf, out.buf, x.shape[0], x.shape[1]);
  return out;
}
