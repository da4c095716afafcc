/**
 * Reverse-mode tape (define-by-run). A Tape is created per `valueAndGrad`/`vjp` call; the
 * tensors it watches (the differentiated inputs) and every op output computed from them are
 * given a slot; each such op is appended as a node (primitive, inputs, output, attrs).
 * `backward` walks the nodes in reverse and applies each primitive's VJP rule.
 *
 * Invariants: a tape belongs to one call and is dropped afterwards, so two models or runs
 * never share state. VJP rules are written with the same differentiable primitives, so when
 * inputs carry forward-mode tangents the cotangents carry them too (forward-over-reverse HVP).
 * Recording is switched off while the backward pass runs (no tape growth, no reverse-over-reverse).
 */
import type { PrimAttrs, PrimName } from '../ops/prims';
import type { Tensor } from '../tensor/tensor';
import type { TapeLike } from '../tensor/tensor';

export type VjpFn = (g: Tensor, inputs: readonly Tensor[], out: Tensor, attrs: never) => (Tensor | null)[];

/**
 * The record of one reverse-mode call (define-by-run): every primitive applied to a watched tensor is
 * appended with its inputs, output and attributes; `backward` walks it in reverse with the VJP rules of
 * engine/ops/rules.ts. One tape per valueAndGrad call, so independent models never share state.
 */
export class Tape implements TapeLike {
  recording = true;
  private nSlots = 0;
  private readonly prims: PrimName[] = [];
  readonly inputs: (readonly Tensor[])[] = [];
  readonly outputs: Tensor[] = [];
  readonly attrs: unknown[] = [];

  /** Makes `t` a differentiation input of this tape. */
  watch(t: Tensor): void {
    t.tape = this;
    t.slot = this.nSlots++;
  }

  record<K extends PrimName>(prim: K, inputs: readonly Tensor[], out: Tensor, attrs: PrimAttrs[K]): void {
    this.watch(out);
    this.prims.push(prim);
    this.inputs.push(inputs);
    this.outputs.push(out);
    this.attrs.push(attrs);
  }

  /** Drops every recorded node (so tensors kept by the caller do not retain the whole graph). */
  release(): void {
    this.recording = false;
    this.prims.length = 0;
    this.inputs.length = 0;
    this.outputs.length = 0;
    this.attrs.length = 0;
  }

  /**
   * Cotangent for every slot given the seed cotangent of `out` (same shape as out).
   * `vjpOf(prim)` gives the rule; `add` accumulates (both injected to avoid an import cycle).
   * @returns array indexed by slot; null where no path leads from the slot to `out`.
   */
  backward(
    out: Tensor,
    seed: Tensor,
    vjpOf: (p: PrimName) => VjpFn,
    add: (a: Tensor, b: Tensor) => Tensor,
  ): (Tensor | null)[] {
    const ct: (Tensor | null)[] = new Array<Tensor | null>(this.nSlots).fill(null);
    if (out.tape !== this) return ct;
    ct[out.slot] = seed;
    const wasRecording = this.recording;
    this.recording = false;
    try {
      for (let n = this.outputs.length - 1; n >= 0; n--) {
        const o = this.outputs[n];
        const g = ct[o.slot];
        if (g === null) continue;
        const ins = this.inputs[n];
        const grads = vjpOf(this.prims[n])(g, ins, o, this.attrs[n] as never);
        for (let i = 0; i < ins.length; i++) {
          const x = ins[i];
          const gi = grads[i];
          if (gi === null || gi === undefined || x.tape !== this) continue;
          if (gi.size !== x.size) {
            throw new Error(
              `internal: VJP of ${this.prims[n]} gave ${gi.size} elements for input ${i} of ${x.size}`,
            );
          }
          const prev = ct[x.slot];
          ct[x.slot] = prev === null ? gi : add(prev, gi);
        }
      }
    } finally {
      this.recording = wasRecording;
    }
    return ct;
  }
}
