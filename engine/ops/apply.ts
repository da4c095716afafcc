/**
 * `apply`: runs one primitive — validates inputs, infers the output shape, allocates the
 * output from the backend pool, runs the kernel, then (only when a differentiation is in
 * progress) records the op on the reverse-mode tape and/or computes the forward-mode tangent.
 *
 * Invariants: all inputs share one backend and one dtype (mixing float32 and float64 is an
 * error, not a silent cast); outputs join the current tidy() scope; nothing global is touched.
 */
import type { BackendBuffer } from '../backend/types';
import type { Tape } from '../autodiff/tape';
import { emptyTensor, zerosLike } from '../tensor/create';
import { fmtShape, type Shape } from '../tensor/shape';
import type { DualLike, Tensor } from '../tensor/tensor';
import type { PrimAttrs, PrimName } from './prims';
import { RULES, type Rule } from './rules';

export function apply<K extends PrimName>(prim: K, inputs: readonly Tensor[], attrs: PrimAttrs[K]): Tensor {
  const first = inputs[0];
  const backend = first.backend;
  const dtype = first.dtype;
  const n = inputs.length;
  const shapes = new Array<Shape>(n);
  const bufs = new Array<BackendBuffer>(n);
  let tape: Tape | null = null;
  let dual: DualLike | null = null;
  for (let i = 0; i < n; i++) {
    const t = inputs[i];
    if (t.disposed) t.assertLive(prim);
    if (t.backend !== backend)
      throw new Error(
        `${prim}: input ${i} lives on a different backend instance ('${t.backend.name}') than input 0 ('${backend.name}'); ` +
          'create all tensors of one model with the same backend',
      );
    if (t.dtype !== dtype) {
      throw new TypeError(
        `${prim}: input ${i} is ${t.dtype} but input 0 is ${dtype}; cast one of them (no silent conversion)`,
      );
    }
    shapes[i] = t.shape;
    bufs[i] = t.buf;
    if (t.tape !== null && t.tape.recording) tape = t.tape as Tape;
    if (t.dual !== null && t.dual.active) dual = t.dual;
  }
  const rule = RULES[prim] as Rule<K>;
  const outShape = rule.shape(shapes, attrs);
  const out = emptyTensor(backend, outShape, dtype);
  backend.run(prim, bufs, shapes, out.buf, outShape, attrs);
  if (tape !== null && rule.vjp !== null) tape.record(prim, inputs, out, attrs);
  if (dual !== null && rule.jvp !== null) {
    const tangents = new Array<Tensor>(n);
    // Tangent computations are first-order and off the tape.
    dual.active = false;
    const wasRecording = tape !== null && tape.recording;
    if (tape !== null) tape.recording = false;
    try {
      for (let i = 0; i < n; i++) {
        const t = inputs[i];
        tangents[i] = t.dual === dual && t.tangent !== null ? t.tangent : zerosLike(t);
      }
      const tan = rule.jvp(tangents, inputs, out, attrs);
      if (!sameShapeAs(tan, outShape)) {
        throw new Error(
          `internal: JVP of ${prim} gave shape ${fmtShape(tan.shape)}, expected ${fmtShape(outShape)}`,
        );
      }
      out.dual = dual;
      out.tangent = tan;
    } finally {
      dual.active = true;
      if (tape !== null) tape.recording = wasRecording;
    }
  }
  return out;
}

function sameShapeAs(t: Tensor, s: Shape): boolean {
  if (t.shape.length !== s.length) return false;
  for (let i = 0; i < s.length; i++) if (t.shape[i] !== s[i]) return false;
  return true;
}
