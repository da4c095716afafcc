/**
 * Adam/AdamW update as a WebAssembly SIMD kernel (f64x2), generated at run time with
 * engine/backend/wasm/asm.ts. Same formula and the same float64 operations in the same order as
 * the JavaScript loop in adaptive.ts (adamStep), so the results are bit-identical to it:
 *   m ← β₁m + (1−β₁)g;  v ← β₂v + ((1−β₂)g)g;  θ ← θ − (α/(δ + √(v·c₂)))·(m·c₁)   [− (αλ·mask)θ]
 * with c₁ = 1/(1−β₁ᵗ), c₂ = 1/(1−β₂ᵗ) (lecture "Adaptive first order"; Kingma & Ba 2015;
 * AdamW: Loshchilov & Hutter 2019). WebAssembly's f64 add/mul/div/sqrt are IEEE-754 correctly
 * rounded and never fused, exactly as JavaScript's; f32→f64 promotion is exact and the final
 * f64→f32 demotion rounds to nearest even, as a Float32Array store does.
 *
 * Why: the JavaScript loop costs ≈ 10 ns per parameter (a scalar division and square root each),
 * a third of W3's training step (docs/performance.md); two lanes per instruction and no bounds
 * checks bring it to ≈ 1–2 ns.
 *
 * Memory: each optimizer state gets its own WebAssembly memory, sized once (never grown, so views
 * stay valid), holding the hyperparameters, m and v (float64) and staging copies of θ and g
 * (float32). `state.m` and `state.v` are re-pointed to views of that memory on first use: they stay
 * ordinary Float64Arrays for checkpoints (cloneState copies them); a state whose m/v were replaced
 * (restored from a checkpoint, read back from a device) is copied in again on the next step.
 */
import { Code, moduleBytes } from '../backend/wasm/asm';
import type { AdamState } from './adaptive';

type Variant = 'plain' | 'decay' | 'mask';

/** Header layout (float64 slots): β₁, 1−β₁, β₂, 1−β₂, c₁, c₂, α, δ, αλ (or λ for the mask variant). */
const H = { b1: 0, k1: 1, b2: 2, k2: 3, c1: 4, c2: 5, a: 6, d: 7, dec: 8 } as const;
/** Bytes reserved for the header (9 doubles) and the gradient sum (4 doubles). */
const HEADER = 128;
const SUM = 80;
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
  m: Float64Array;
  v: Float64Array;
  p: Float32Array;
  g: Float32Array;
  mask: Uint8Array;
  /** Byte offsets. */
  at: { m: number; v: number; p: number; g: number; k: number };
}

const spaces = new WeakMap<AdamState, Workspace | null>();

function workspace(state: AdamState, n: number): Workspace | null {
  const have = spaces.get(state);
  if (have !== undefined && (have === null || have.n === n)) return have;
  const mod = module();
  const WA = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  // Vectors padded to n4 = ⌈n/4⌉·4 entries: the pad stays zero (g = 0 keeps m = v = 0 and the update
  // (α/δ)·0 = 0), so the kernel runs over n4 entries and no scalar tail is needed.
  const n4 = (n + 3) & ~3;
  const at = { m: HEADER, v: HEADER + 8 * n4, p: HEADER + 16 * n4, g: HEADER + 20 * n4, k: HEADER + 24 * n4 };
  const bytes = at.k + n4 + 16;
  if (!mod || !WA || bytes > MAX_BYTES) {
    spaces.set(state, null);
    return null;
  }
  const memory = new WA.Memory({ initial: Math.ceil(bytes / 65536), maximum: Math.ceil(bytes / 65536) });
  const ex = new WA.Instance(mod, { env: { memory } }).exports as Exports;
  const buf = memory.buffer;
  const ws: Workspace = {
    n,
    ex,
    hdr: new Float64Array(buf, 0, HEADER / 8),
    m: new Float64Array(buf, at.m, n),
    v: new Float64Array(buf, at.v, n),
    p: new Float32Array(buf, at.p, n),
    g: new Float32Array(buf, at.g, n),
    mask: new Uint8Array(buf, at.k, n),
    at,
  };
  spaces.set(state, ws);
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
 * @param params θ [n] float32; grad g [n] float32.
 * @returns the workspace ready for `adamStepWasm`, `'nonfinite'` when g holds NaN/±Inf (nothing was
 *   changed; the caller reports the element), or null when the kernel cannot run here (no
 *   WebAssembly SIMD, float64 parameters, or more than 1 GiB of state) — use the JavaScript loop.
 */
export function adamStage(
  state: AdamState,
  params: ArrayLike<number>,
  grad: ArrayLike<number>,
): Workspace | 'nonfinite' | null {
  if (!(params instanceof Float32Array) || !(grad instanceof Float32Array)) return null;
  const n = params.length;
  const ws = workspace(state, n);
  if (!ws) return null;
  ws.g.set(grad);
  if (!stagedSumFinite(ws)) return 'nonfinite';
  ws.p.set(params);
  // Adopt m and v (first step, or replaced since: checkpoint restore, device read-back).
  if (state.m !== ws.m) {
    ws.m.set(state.m);
    state.m = ws.m;
  }
  if (state.v !== ws.v) {
    ws.v.set(state.v);
    state.v = ws.v;
  }
  return ws;
}

/**
 * One Adam/AdamW step on a staged workspace (see adamStage), writing θ back into `params`. The
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
  if (decay === 0) ex.adam_plain(at.p, at.g, at.m, at.v, 0, n4, 0);
  else if (mask) {
    h[H.dec] = decay;
    ws.mask.set(mask.length === ws.n ? mask : mask.subarray(0, ws.n));
    ex.adam_mask(at.p, at.g, at.m, at.v, at.k, n4, 0);
  } else {
    h[H.dec] = a * decay;
    ex.adam_decay(at.p, at.g, at.m, at.v, 0, n4, 0);
  }
  params.set(ws.p);
  state.step = t;
}
