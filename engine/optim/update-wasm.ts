/**
 * Optimizer updates as WebAssembly SIMD kernels (f64x2), generated at run time with
 * engine/backend/wasm/asm.ts, for SGD, SGD with momentum and Adam/AdamW. Same formulas and the same
 * float64 operations in the same order as the JavaScript loops (sgd.ts, adaptive.ts adamStep), so
 * the results are bit-identical to them:
 *   SGD       θ ← θ − αg                                   (lecture "Gradient descent", Algorithm 1)
 *   momentum  v ← βv − αg;  θ ← θ + v                      (Algorithm 2)
 *   Adam      m ← β₁m + (1−β₁)g;  v ← β₂v + ((1−β₂)g)g;  θ ← θ − (α/(δ + √(v·c₂)))·(m·c₁)   [− (αλ·mask)θ]
 * with c₁ = 1/(1−β₁ᵗ), c₂ = 1/(1−β₂ᵗ) (lecture "Adaptive first order"; Kingma & Ba 2015;
 * AdamW: Loshchilov & Hutter 2019). WebAssembly's f64 add/mul/div/sqrt are IEEE-754 correctly
 * rounded and never fused, exactly as JavaScript's; f32→f64 promotion is exact and the final
 * f64→f32 demotion rounds to nearest even, as a Float32Array store does.
 *
 * Why: the JavaScript Adam loop costs ≈ 10 ns per parameter (a scalar division and square root
 * each), a third of W3's training step; the SGD loop plus its finite check ≈ 6 ns, an eighth of
 * W4's (docs/performance.md). Two lanes per instruction and no bounds checks: ≈ 1–4 ns including
 * the staging copies.
 *
 * Memory: each optimizer state gets its own WebAssembly memory, sized once (never grown, so views
 * stay valid), holding the hyperparameters, staging copies of θ and g (float32), the decay mask and
 * the state's float64 vectors (Adam m and v, momentum v). Those vectors are re-pointed to views of
 * that memory on first use: they stay ordinary Float64Arrays for checkpoints (cloneState copies
 * them); a vector replaced from outside (checkpoint restore, device read-back) is copied in again
 * on the next step.
 */
import { Code, moduleBytes } from '../backend/wasm/asm';
import type { AdamState } from './adaptive';
import { OptimizerError } from './types';

type Variant = 'plain' | 'decay' | 'mask';

/** Header layout (float64 slots): β₁, 1−β₁, β₂, 1−β₂, c₁, c₂, α, δ, αλ (or λ for the mask variant). */
const H = { b1: 0, k1: 1, b2: 2, k2: 3, c1: 4, c2: 5, a: 6, d: 7, dec: 8 } as const;
/** Bytes reserved for the header (9 doubles) and the gradient sum (4 doubles). */
const HEADER = 128;
const SUM = 80;
/** Parameters from which the kernels run; below it the JavaScript loops do (staging costs more than it saves). */
export const WASM_MIN_PARAMS = 256;
/** Largest memory a state may take (bytes): beyond this the JavaScript loop runs instead. */
const MAX_BYTES = 1024 * 1024 * 1024;

/**
 * Emits `adam_<variant>(P, G, M, V, K, n4, H)`: n4 (a multiple of 4, > 0 or 0) parameters from byte pointers
 * P (θ, f32), G (g, f32), M, V (f64), K (mask bytes, mask variant only), header H.
 */
function emitAdam(variant: Variant): Code {
  const f = new Code(7);
  const [P, G, M, V, K, N, Hd] = [0, 1, 2, 3, 4, 5, 6];
  const end = f.i32Local();
  const [b1, k1, b2, k2, c1, c2, a, d, dec] = Array.from({ length: 9 }, () => f.v128Local());
  const g = f.v128Local();
  const mi = f.v128Local();
  const vi = f.v128Local();
  const hv = [b1, k1, b2, k2, c1, c2, a, d, dec];
  for (let s = 0; s < (variant === 'plain' ? 8 : 9); s++)
    f.get(Hd)
      .load64Splat(8 * s)
      .vset(hv[s]);
  f.get(P).get(N).i32(2).shl().add().set(end);
  f.block().get(N).eqz().brIf(0);
  f.loop();
  for (let q = 0; q < 2; q++) {
    const o4 = 8 * q; // byte offset of this pair in the f32 arrays
    const o8 = 16 * q; // … and in the f64 arrays
    f.get(G).load64Zero(o4).f64x2PromoteLow().vset(g);
    // m = β₁m + (1−β₁)g
    f.get(M);
    f.vget(b1).get(M).v128Load(o8).f64x2Mul().vget(k1).vget(g).f64x2Mul().f64x2Add().vset(mi);
    f.vget(mi).v128Store(o8);
    // v = β₂v + ((1−β₂)g)g
    f.get(V);
    f.vget(b2).get(V).v128Load(o8).f64x2Mul().vget(k2).vget(g).f64x2Mul().vget(g).f64x2Mul().f64x2Add();
    f.vset(vi).vget(vi).v128Store(o8);
    // θ ← demote(θ − [decay term +] (α/(δ + √(v·c₂)))·(m·c₁))
    f.get(P); // store address
    f.get(P).load64Zero(o4).f64x2PromoteLow(); // θ
    if (variant === 'decay') f.vget(dec).get(P).load64Zero(o4).f64x2PromoteLow().f64x2Mul();
    if (variant === 'mask') {
      // (α·(λ·mask))·θ, as adaptive.ts writes it.
      f.vget(a)
        .vget(dec)
        .get(K)
        .load16Splat(2 * q)
        .u8LowToF64()
        .f64x2Mul()
        .f64x2Mul();
      f.get(P).load64Zero(o4).f64x2PromoteLow().f64x2Mul();
    }
    f.vget(a).vget(d).vget(vi).vget(c2).f64x2Mul().f64x2Sqrt().f64x2Add().f64x2Div();
    f.vget(mi).vget(c1).f64x2Mul().f64x2Mul();
    if (variant !== 'plain') f.f64x2Add();
    f.f64x2Sub().f32x4DemoteZero().store64Lane(o4, 0);
  }
  for (const [ptr, step] of [
    [P, 16],
    [G, 16],
    [M, 32],
    [V, 32],
  ] as const)
    f.get(ptr).i32(step).add().set(ptr);
  if (variant === 'mask') f.get(K).i32(4).add().set(K);
  f.get(P).get(end).ltU().brIf(0);
  f.end().end();
  return f;
}

/** Emits `sgd(P, G, n4, H)`: θ ← demote(θ − α·g) with α = H[0], two lanes at a time. */
function emitSgd(): Code {
  const f = new Code(4);
  const [P, G, N, Hd] = [0, 1, 2, 3];
  const end = f.i32Local();
  const a = f.v128Local();
  f.get(Hd).load64Splat(0).vset(a);
  f.get(P).get(N).i32(2).shl().add().set(end);
  f.block().get(N).eqz().brIf(0);
  f.loop();
  for (const o of [0, 8]) {
    f.get(P);
    f.get(P).load64Zero(o).f64x2PromoteLow();
    f.vget(a).get(G).load64Zero(o).f64x2PromoteLow().f64x2Mul();
    f.f64x2Sub().f32x4DemoteZero().store64Lane(o, 0);
  }
  f.get(P).i32(16).add().set(P);
  f.get(G).i32(16).add().set(G);
  f.get(P).get(end).ltU().brIf(0);
  f.end().end();
  return f;
}

/** Emits `momentum(P, G, V, n4, H)`: v ← βv − αg; θ ← demote(θ + v), with α = H[0], β = H[1]. */
function emitMomentum(): Code {
  const f = new Code(5);
  const [P, G, V, N, Hd] = [0, 1, 2, 3, 4];
  const end = f.i32Local();
  const a = f.v128Local();
  const b = f.v128Local();
  const vi = f.v128Local();
  f.get(Hd).load64Splat(0).vset(a);
  f.get(Hd).load64Splat(8).vset(b);
  f.get(P).get(N).i32(2).shl().add().set(end);
  f.block().get(N).eqz().brIf(0);
  f.loop();
  for (let q = 0; q < 2; q++) {
    f.vget(b)
      .get(V)
      .v128Load(16 * q)
      .f64x2Mul();
    f.vget(a)
      .get(G)
      .load64Zero(8 * q)
      .f64x2PromoteLow()
      .f64x2Mul()
      .f64x2Sub()
      .vset(vi);
    f.get(V)
      .vget(vi)
      .v128Store(16 * q);
    f.get(P);
    f.get(P)
      .load64Zero(8 * q)
      .f64x2PromoteLow()
      .vget(vi)
      .f64x2Add();
    f.f32x4DemoteZero().store64Lane(8 * q, 0);
  }
  f.get(P).i32(16).add().set(P);
  f.get(G).i32(16).add().set(G);
  f.get(V).i32(32).add().set(V);
  f.get(P).get(end).ltU().brIf(0);
  f.end().end();
  return f;
}

/** Emits `gsum(G, n4, OUT)`: the f64 sum of n4 f32 values in four lanes, written to OUT (4 doubles). */
function emitSum(): Code {
  const f = new Code(3);
  const [G, N, OUT] = [0, 1, 2];
  const end = f.i32Local();
  const s0 = f.v128Local();
  const s1 = f.v128Local();
  f.v128Zero().vset(s0).v128Zero().vset(s1);
  f.get(G).get(N).i32(2).shl().add().set(end);
  f.block().get(N).eqz().brIf(0);
  f.loop();
  f.vget(s0).get(G).load64Zero(0).f64x2PromoteLow().f64x2Add().vset(s0);
  f.vget(s1).get(G).load64Zero(8).f64x2PromoteLow().f64x2Add().vset(s1);
  f.get(G).i32(16).add().set(G);
  f.get(G).get(end).ltU().brIf(0);
  f.end().end();
  f.get(OUT).vget(s0).v128Store(0);
  f.get(OUT).vget(s1).v128Store(16);
  return f;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports?: object) => { exports: unknown };
  Memory: new (d: { initial: number; maximum: number }) => { buffer: ArrayBuffer };
  validate(bytes: Uint8Array): boolean;
}
type Kernel = (p: number, g: number, m: number, v: number, k: number, n4: number, h: number) => void;
interface Exports {
  adam_plain: Kernel;
  adam_decay: Kernel;
  adam_mask: Kernel;
  sgd(p: number, g: number, n4: number, h: number): void;
  momentum(p: number, g: number, v: number, n4: number, h: number): void;
  gsum(g: number, n4: number, out: number): void;
}

let compiled: object | null | undefined;

function module(): object | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  const WA = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (!WA) return null;
  try {
    const bytes = moduleBytes({ min: 1, max: 65536, shared: false }, [
      { name: 'adam_plain', code: emitAdam('plain') },
      { name: 'adam_decay', code: emitAdam('decay') },
      { name: 'adam_mask', code: emitAdam('mask') },
      { name: 'sgd', code: emitSgd() },
      { name: 'momentum', code: emitMomentum() },
      { name: 'gsum', code: emitSum() },
    ]);
    if (WA.validate(bytes)) compiled = new WA.Module(bytes);
  } catch {
    compiled = null;
  }
  return compiled;
}

/** One state's memory and views (see the module header). */
interface Workspace {
  n: number;
  ex: Exports;
  hdr: Float64Array;
  p: Float32Array;
  g: Float32Array;
  mask: Uint8Array;
  /** The state's float64 vectors (Adam: m, v; momentum: v). */
  f64: Float64Array[];
  /** Byte offsets of θ, g, the mask and the float64 vectors. */
  at: { p: number; g: number; k: number; f64: number[] };
}

const spaces = new WeakMap<object, Workspace | null>();

function workspace(key: object, n: number, vectors: number): Workspace | null {
  const have = spaces.get(key);
  if (have !== undefined && (have === null || (have.n === n && have.f64.length === vectors))) return have;
  const mod = module();
  const WA = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  // Vectors padded to n4 = ⌈n/4⌉·4 entries: the pad stays zero (g = 0 keeps every state entry at 0
  // and the update at 0 — Adam's (α/δ)·0 included), so kernels run over n4 entries, no scalar tail.
  const n4 = (n + 3) & ~3;
  const k = HEADER + 8 * n4;
  const first = k + ((n4 + 15) & ~15);
  const at = {
    p: HEADER,
    g: HEADER + 4 * n4,
    k,
    f64: Array.from({ length: vectors }, (_, i) => first + 8 * n4 * i),
  };
  const bytes = first + 8 * n4 * vectors + 16;
  if (!mod || !WA || bytes > MAX_BYTES) {
    spaces.set(key, null);
    return null;
  }
  const pages = Math.ceil(bytes / 65536);
  let memory: { buffer: ArrayBuffer };
  let ex: Exports;
  try {
    memory = new WA.Memory({ initial: pages, maximum: pages });
    ex = new WA.Instance(mod, { env: { memory } }).exports as Exports;
  } catch {
    // Out of memory (or address space): this state keeps the JavaScript loops.
    spaces.set(key, null);
    return null;
  }
  const buf = memory.buffer;
  const ws: Workspace = {
    n,
    ex,
    hdr: new Float64Array(buf, 0, HEADER / 8),
    p: new Float32Array(buf, at.p, n),
    g: new Float32Array(buf, at.g, n),
    mask: new Uint8Array(buf, at.k, n),
    f64: at.f64.map((o) => new Float64Array(buf, o, n)),
    at,
  };
  spaces.set(key, ws);
  return ws;
}

/**
 * True when the staged gradient's sum (computed in the kernel, float64) is finite — NaN or ±Inf
 * anywhere makes it non-finite; callers then scan for the culprit.
 */
function stagedSumFinite(ws: Workspace): boolean {
  ws.ex.gsum(ws.at.g, (ws.n + 3) & ~3, SUM);
  const h = ws.hdr;
  return Number.isFinite(h[SUM / 8] + h[SUM / 8 + 1] + h[SUM / 8 + 2] + h[SUM / 8 + 3]);
}

/**
 * Stages θ and g into the state's WebAssembly memory and checks g is finite, before any change.
 * @param state the optimizer state (the workspace is kept per state object).
 * @param params θ [n] float32; grad g [n] float32.
 * @param vectors how many float64 state vectors the method keeps (Adam 2, momentum 1, SGD 0).
 * @returns the workspace ready for a step (`ws.f64` not yet adopted: see `adopt`), `'nonfinite'`
 *   when g holds NaN/±Inf (nothing was changed; the caller reports the element), or null when the
 *   kernels cannot or should not run (no WebAssembly SIMD, float64 parameters, fewer than
 *   WASM_MIN_PARAMS parameters, more than 1 GiB of state, memory not allocatable) — use the
 *   JavaScript loop.
 */
export function stageUpdate(
  state: object,
  params: ArrayLike<number>,
  grad: ArrayLike<number>,
  vectors: number,
): Workspace | 'nonfinite' | null {
  if (!(params instanceof Float32Array) || !(grad instanceof Float32Array)) return null;
  if (params.length < WASM_MIN_PARAMS) return null;
  const ws = workspace(state, params.length, vectors);
  if (!ws) return null;
  ws.g.set(grad);
  if (!stagedSumFinite(ws)) return 'nonfinite';
  ws.p.set(params);
  return ws;
}

/**
 * The workspace's float64 vector `i` holding the values of `current` (copied in when `current` is
 * another array: first step, checkpoint restore, device read-back); assign the result to the state.
 * Entries past n of a longer array are dropped (the JavaScript loops never read them either).
 * @throws OptimizerError when `current` is shorter than the parameter vector.
 */
function adopt(ws: Workspace, i: number, current: Float64Array, what: string): Float64Array {
  const view = ws.f64[i];
  if (current === view) return view;
  if (current.length < ws.n)
    throw new OptimizerError(
      what.split('.')[0],
      `state vector ${what} has ${current.length} entries, the parameters have ${ws.n}; the optimizer state does not belong to this network — restart the run`,
    );
  view.set(current.length === ws.n ? current : current.subarray(0, ws.n));
  return view;
}

/**
 * One plain SGD step θ ← θ − αg on a staged workspace (stageUpdate with 0 vectors), writing θ
 * back into `params` [n] float32. Bit-identical to sgd.ts's loop.
 */
export function sgdStepWasm(ws: Workspace, params: Float32Array, lr: number): void {
  ws.hdr[0] = lr;
  ws.ex.sgd(ws.at.p, ws.at.g, (ws.n + 3) & ~3, 0);
  params.set(ws.p);
}

/**
 * One momentum step v ← βv − αg, θ ← θ + v on a staged workspace (stageUpdate with 1 vector);
 * re-points `state.v` into the workspace and writes θ back into `params`. Bit-identical to sgd.ts.
 */
export function momentumStepWasm(
  ws: Workspace,
  state: { v: Float64Array; hyper: Readonly<Record<string, number>> },
  params: Float32Array,
  lr: number,
): void {
  state.v = adopt(ws, 0, state.v, 'momentum.v');
  ws.hdr[0] = lr;
  ws.hdr[1] = state.hyper.beta;
  ws.ex.momentum(ws.at.p, ws.at.g, ws.at.f64[0], (ws.n + 3) & ~3, 0);
  params.set(ws.p);
}

/**
 * One Adam/AdamW step on a staged workspace (stageUpdate with 2 vectors: m, v), re-pointing
 * `state.m`/`state.v` into it and writing θ back into `params`. The
 * hyperparameters are as adaptive.ts's adamStep: learning rate `a`, decoupled decay λ (0 = Adam),
 * optional per-entry decay mask (1 = decayed). Bit-identical to that loop (module header).
 * @param params θ [n] float32 (the same array that was staged).
 */
export function adamStepWasm(
  ws: Workspace,
  state: AdamState,
  params: Float32Array,
  a: number,
  decay: number,
  mask: Uint8Array | undefined,
): void {
  state.m = adopt(ws, 0, state.m, `${state.optimizer}.m`);
  state.v = adopt(ws, 1, state.v, `${state.optimizer}.v`);
  const { beta1, beta2, delta } = state.hyper;
  const t = state.step + 1;
  const h = ws.hdr;
  h[H.b1] = beta1;
  h[H.k1] = 1 - beta1;
  h[H.b2] = beta2;
  h[H.k2] = 1 - beta2;
  h[H.c1] = 1 / (1 - Math.pow(beta1, t));
  h[H.c2] = 1 / (1 - Math.pow(beta2, t));
  h[H.a] = a;
  h[H.d] = delta;
  const n4 = (ws.n + 3) & ~3;
  const { at, ex } = ws;
  const [m, v] = at.f64;
  if (decay === 0) ex.adam_plain(at.p, at.g, m, v, 0, n4, 0);
  else if (mask) {
    h[H.dec] = decay;
    ws.mask.set(mask.length === ws.n ? mask : mask.subarray(0, ws.n));
    ex.adam_mask(at.p, at.g, m, v, at.k, n4, 0);
  } else {
    h[H.dec] = a * decay;
    ex.adam_decay(at.p, at.g, m, v, 0, n4, 0);
  }
  params.set(ws.p);
  state.step = t;
}
