/**
 * Device-side helpers that are not differentiable primitives, for forward-only passes
 * (predictions the UI reads back): row softmax, and a Dense layer with the bias and activation
 * fused into one kernel after the matrix product.
 */
import { matmul } from '../../ops/ops';
import { emptyTensor } from '../../tensor/create';
import type { Tensor } from '../../tensor/tensor';
import { WebGpuBackend } from './backend';
import type { FusedActivation } from './kernels/bias-act';

export type { FusedActivation } from './kernels/bias-act';

/**
 * act(x·W + b) for x [rows, in], W [in, out], b [out] → [rows, out], forward only (not
 * differentiated: use dense + activation ops for training). Lecture "Dense layer".
 * @throws TypeError when the tensors are not on one WebGPU backend or the shapes do not fit.
 */
export function denseForward(x: Tensor, W: Tensor, b: Tensor, act: FusedActivation): Tensor {
  if (!(x.backend instanceof WebGpuBackend))
    throw new TypeError('denseForward: x must live on a WebGPU backend');
  if (W.backend !== x.backend || b.backend !== x.backend)
    throw new TypeError('denseForward: x, W and b must live on the same backend');
  if (b.rank !== 1 || W.rank !== 2 || b.shape[0] !== W.shape[1])
    throw new TypeError(
      `denseForward: bias [${b.shape.join(', ')}] does not match weight [${W.shape.join(', ')}]`,
    );
  const y = matmul(x, W);
  const out = emptyTensor(x.backend, y.shape, y.dtype);
  x.backend.runBiasActivation(y.buf, b.buf, out.buf, W.shape[1], act);
  y.dispose();
  return out;
}

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
