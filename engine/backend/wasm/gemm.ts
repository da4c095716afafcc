/**
 * float32 matrix product C = op(A)·op(B) with a WebAssembly SIMD kernel generated at run time
 * (engine/backend/wasm/asm.ts), for the three layouts backprop needs: A·B (forward), Aᵀ·B
 * (weight gradient Xᵀ·dY) and A·Bᵀ (input gradient dY·Wᵀ); Aᵀ·Bᵀ works too.
 *
 * Method (Goto/BLIS style): the operands are packed into the module's memory as micro-panels —
 * A as [⌈m/MR⌉][k][MR], B as [⌈n/8⌉][k][8], zero-padded — so any transposition is absorbed by the
 * packing and the kernel always streams both operands contiguously. The kernel keeps an MR×8 block
 * of C (MR = 4) in eight f32x4 registers (no FMA in Node 20's WebAssembly: separate mul and add) and
 * splits k into blocks of KC so that the B micro-panel block (KC×8 floats = 8 KiB) stays in L1
 * while the packed rows of A stream from L2.
 *
 * Invariants: deterministic (fixed summation order per element: k ascending within KC blocks,
 * blocks ascending) and identical for any thread count (setGemmThreads); no allocation once the
 * memory is large enough. Results
 * differ from the plain loop only by float32 rounding (a different association of the sum).
 */
import { Code, moduleBytes } from './asm';

/** k-block length (floats). 256 × 8 × 4 B = 8 KiB of B per block. */
const KC = 256;
/**
 * Row-block height of A (a multiple of every MR): MC × KC × 4 B = 128 KiB of packed A stays in L2
 * while every 8-column panel of B passes over it (without it, tall products such as the 2048-row
 * weight gradient of W4 stream A from L3 once per panel).
 */
const MC = 128;
/** Rows of the register tile (the tile is MR×8: 2·MR f32x4 accumulators + 2 B vectors + 1 splat ≤ 16 registers). */
export const MR = 4;

/** Pages of the memory limits: 64 KiB each; the maximum (1 GiB) is only reserved address space. */
const MAX_PAGES = 16384;

export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}

interface WasmExports {
  gemm(a: number, b: number, c: number, mp: number, np: number, k: number, j0: number, j1: number): void;
  /** Panel packing (see emitPackContig / emitPackGather): (src, dst, panels, k, ld) in bytes/floats. */
  packc4(src: number, dst: number, panels: number, k: number, ld: number): void;
  packc8(src: number, dst: number, panels: number, k: number, ld: number): void;
  packg4(src: number, dst: number, panels: number, k: number, ld: number): void;
  packg8(src: number, dst: number, panels: number, k: number, ld: number): void;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports?: object) => { exports: unknown };
  Memory: new (d: { initial: number; maximum: number; shared?: boolean }) => WasmMemory;
  validate(bytes: Uint8Array): boolean;
}

/**
 * Extra threads for large products (installed by a platform adapter, e.g. wasm/threads.node.ts).
 * The GEMM splits the 8-column panels of C into `threads + 1` contiguous ranges; `start` hands
 * ranges 1… to the helpers (which run gemm on the same shared memory), the caller computes range
 * 0, then `wait` blocks until the helpers are done. Each element of C is computed by exactly one
 * thread in the same order whatever the thread count, so results are bit-identical to one thread.
 */
export interface GemmThreads {
  readonly memory: WasmMemory;
  readonly threads: number;
  start(args: readonly number[], ranges: readonly (readonly [number, number])[]): void;
  wait(): void;
}

/**
 * Emits `gemm(A, B, C, mp, np, k, j0, j1)` over packed operands (byte pointers): columns [j0, j1)
 * (multiples of 8) of C [mp, np] are overwritten.
 */
function emitGemm(mr: number, fma: boolean): Code {
  const f = new Code(8);
  const [A, B, C, MP, NP, K, J0, J1] = [0, 1, 2, 3, 4, 5, 6, 7];
  const pc = f.i32Local();
  const kc = f.i32Local();
  const jr = f.i32Local();
  const ir = f.i32Local();
  const ap = f.i32Local();
  const bp = f.i32Local();
  const cp = f.i32Local();
  const p = f.i32Local();
  const ldc = f.i32Local();
  const ic = f.i32Local();
  const iend = f.i32Local();
  const acc = Array.from({ length: 2 * mr }, () => f.v128Local());
  const b0 = f.v128Local();
  const b1 = f.v128Local();
  const av = f.v128Local();

  f.get(NP).i32(2).shl().set(ldc); // row stride of C in bytes
  f.i32(0).set(pc);
  f.loop(); // ---- pc: k blocks
  {
    // kc = min(KC, k - pc)
    f.get(K).get(pc).sub().set(kc);
    f.i32(KC).get(kc).ltU().if().i32(KC).set(kc).end();
    f.i32(0).set(ic);
    f.loop(); // ---- ic: MC-row blocks of A
    {
      // iend = min(ic + MC, mp)
      f.get(ic).i32(MC).add().set(iend);
      f.get(MP).get(iend).ltU().if().get(MP).set(iend).end();
      f.get(J0).set(jr);
      f.loop(); // ---- jr: 8-column panels of B
      {
        f.get(ic).set(ir);
        f.loop(); // ---- ir: MR-row panels of A
        {
          // ap = A + (ir·k + pc·MR)·4 ; bp = B + (jr·k + pc·8)·4 ; cp = C + (ir·np + jr)·4
          f.get(A).get(ir).get(K).mul().get(pc).i32(mr).mul().add().i32(2).shl().add().set(ap);
          f.get(B).get(jr).get(K).mul().get(pc).i32(3).shl().add().i32(2).shl().add().set(bp);
          f.get(C).get(ir).get(NP).mul().get(jr).add().i32(2).shl().add().set(cp);
          // First k block starts from zero, later ones accumulate onto C.
          f.get(pc).eqz().if();
          for (const a of acc) f.v128Zero().vset(a);
          f.else();
          for (let r = 0; r < mr; r++) {
            for (let h = 0; h < 2; h++) {
              f.get(cp);
              if (r > 0) f.get(ldc).i32(r).mul().add();
              f.v128Load(h * 16).vset(acc[r * 2 + h]);
            }
          }
          f.end();
          f.get(kc).set(p);
          f.loop(); // ---- p: the micro-kernel's k loop
          {
            f.get(bp).v128Load(0).vset(b0);
            f.get(bp).v128Load(16).vset(b1);
            for (let r = 0; r < mr; r++) {
              f.get(ap)
                .load32Splat(r * 4)
                .vset(av);
              if (fma) {
                f.vget(av)
                  .vget(b0)
                  .vget(acc[r * 2])
                  .f32x4RelaxedMadd()
                  .vset(acc[r * 2]);
                f.vget(av)
                  .vget(b1)
                  .vget(acc[r * 2 + 1])
                  .f32x4RelaxedMadd()
                  .vset(acc[r * 2 + 1]);
              } else {
                f.vget(acc[r * 2])
                  .vget(av)
                  .vget(b0)
                  .f32x4Mul()
                  .f32x4Add()
                  .vset(acc[r * 2]);
                f.vget(acc[r * 2 + 1])
                  .vget(av)
                  .vget(b1)
                  .f32x4Mul()
                  .f32x4Add()
                  .vset(acc[r * 2 + 1]);
              }
            }
            f.get(ap)
              .i32(4 * mr)
              .add()
              .set(ap);
            f.get(bp).i32(32).add().set(bp);
            f.get(p).i32(1).sub().tee(p).brIf(0);
          }
          f.end();
          for (let r = 0; r < mr; r++) {
            for (let h = 0; h < 2; h++) {
              f.get(cp);
              if (r > 0) f.get(ldc).i32(r).mul().add();
              f.vget(acc[r * 2 + h]).v128Store(h * 16);
            }
          }
          f.get(ir).i32(mr).add().tee(ir).get(iend).ltU().brIf(0);
        }
        f.end();
        f.get(jr).i32(8).add().tee(jr).get(J1).ltU().brIf(0);
      }
      f.end();
      f.get(ic).i32(MC).add().tee(ic).get(MP).ltU().brIf(0);
    }
    f.end();
    f.get(pc).i32(KC).add().tee(pc).get(K).ltU().brIf(0);
  }
  f.end();
  return f;
}

/**
 * Emits `packc<w>(src, dst, panels, k, ld)`: `panels` micro-panels of width w (4 or 8 floats) whose
 * rows are contiguous in the source — panel q, row p is src[p·ld + q·w … + w) — copied to
 * dst[(q·k + p)·w …] with v128 moves. Packs Aᵀ (A stored [k, m], ld = m) and B (stored [k, n], ld = n).
 * Pointers in bytes; panels ≥ 1, k ≥ 1.
 */
function emitPackContig(w: 4 | 8): Code {
  const f = new Code(5);
  const [SRC, DST, PANELS, K, LD] = [0, 1, 2, 3, 4];
  const q = f.i32Local();
  const p = f.i32Local();
  const s = f.i32Local();
  const d = f.i32Local();
  const ldb = f.i32Local();
  f.get(LD).i32(2).shl().set(ldb);
  f.get(DST).set(d); // panels are consecutive in dst: panel q starts at q·k·w floats
  f.i32(0).set(q);
  f.loop();
  {
    f.get(SRC)
      .get(q)
      .i32(w * 4)
      .mul()
      .add()
      .set(s);
    f.get(K).set(p);
    f.loop();
    {
      f.get(d).get(s).v128Load(0).v128Store(0);
      if (w === 8) f.get(d).get(s).v128Load(16).v128Store(16);
      f.get(s).get(ldb).add().set(s);
      f.get(d)
        .i32(w * 4)
        .add()
        .set(d);
      f.get(p).i32(1).sub().tee(p).brIf(0);
    }
    f.end();
    f.get(q).i32(1).add().tee(q).get(PANELS).ltU().brIf(0);
  }
  f.end();
  return f;
}

/**
 * Emits `packg<w>(src, dst, panels, k, ld)`: `panels` micro-panels of width w gathered from w source
 * rows of length ≥ k — panel q, row p, lane c is src[(q·w + c)·ld + p] — into dst[(q·k + p)·w + c]
 * (float bits moved as i32). Packs A (stored [m, k], ld = k) and Bᵀ (B stored [n, k], ld = k).
 * Pointers in bytes; panels ≥ 1, k ≥ 1.
 */
function emitPackGather(w: 4 | 8): Code {
  const f = new Code(5);
  const [SRC, DST, PANELS, K, LD] = [0, 1, 2, 3, 4];
  const q = f.i32Local();
  const p = f.i32Local();
  const d = f.i32Local();
  const ldb = f.i32Local();
  const row = Array.from({ length: w }, () => f.i32Local());
  f.get(LD).i32(2).shl().set(ldb);
  f.get(DST).set(d);
  f.i32(0).set(q);
  f.loop();
  {
    // row[c] = src + (q·w + c)·ld·4
    f.get(SRC).get(q).i32(w).mul().get(ldb).mul().add().set(row[0]);
    for (let c = 1; c < w; c++)
      f.get(row[c - 1])
        .get(ldb)
        .add()
        .set(row[c]);
    f.get(K).set(p);
    f.loop();
    {
      for (let c = 0; c < w; c++) {
        f.get(d)
          .get(row[c])
          .i32Load(0)
          .i32Store(c * 4);
        f.get(row[c]).i32(4).add().set(row[c]);
      }
      f.get(d)
        .i32(w * 4)
        .add()
        .set(d);
      f.get(p).i32(1).sub().tee(p).brIf(0);
    }
    f.end();
    f.get(q).i32(1).add().tee(q).get(PANELS).ltU().brIf(0);
  }
  f.end();
  return f;
}

/**
 * The generated module's bytes (exported for tests and for worker threads that instantiate it).
 * @param fma use relaxed-SIMD multiply-add in the kernel (default: when this runtime validates it;
 *   see `gemmUsesFma`).
 */
export function gemmModuleBytes(shared = false, mr = MR, fma = gemmUsesFma()): Uint8Array<ArrayBuffer> {
  return moduleBytes({ min: 1, max: MAX_PAGES, shared }, [
    { name: 'gemm', code: emitGemm(mr, fma) },
    { name: 'packc4', code: emitPackContig(4) },
    { name: 'packc8', code: emitPackContig(8) },
    { name: 'packg4', code: emitPackGather(4) },
    { name: 'packg8', code: emitPackGather(8) },
  ]);
}

function wasmApi(): WasmApi | undefined {
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
}

let fmaSupported: boolean | undefined;

/**
 * True when this runtime accepts relaxed-SIMD f32x4.relaxed_madd (shipped in Chrome/Electron since
 * V8 11.4; Node 20 only with --experimental-wasm-relaxed-simd). The kernel then issues one fused
 * multiply-add per lane instead of a multiply and an add: twice the arithmetic per cycle, one
 * rounding instead of two. Fixed for the life of the process, so results stay deterministic for a
 * given runtime and thread count.
 */
export function gemmUsesFma(): boolean {
  if (fmaSupported !== undefined) return fmaSupported;
  const WA = wasmApi();
  try {
    fmaSupported = WA !== undefined && WA.validate(gemmModuleBytes(false, MR, true));
  } catch {
    fmaSupported = false;
  }
  return fmaSupported;
}

interface Runtime {
  memory: WasmMemory;
  exports: WasmExports;
  pool: GemmThreads | null;
}
let runtime: Runtime | null | undefined;

/** The shared instance, or null when this runtime has no WebAssembly SIMD. */
function getRuntime(): Runtime | null {
  if (runtime !== undefined) return runtime;
  const WA = wasmApi();
  runtime = null;
  if (WA === undefined) return null;
  try {
    const bytes = gemmModuleBytes(false);
    // (gemmModuleBytes picks the FMA kernel when the runtime validates it.)
    if (!WA.validate(bytes)) return null;
    const memory = new WA.Memory({ initial: 1, maximum: MAX_PAGES });
    const exports = new WA.Instance(new WA.Module(bytes), { env: { memory } }).exports as WasmExports;
    runtime = { memory, exports, pool: null };
  } catch {
    runtime = null;
  }
  return runtime;
}

/** True when the WebAssembly SIMD GEMM can run here. */
export function wasmGemmAvailable(): boolean {
  return getRuntime() !== null;
}

/**
 * Runs large products on `pool` (its shared memory replaces the private one), or back on one
 * thread with null. @throws Error when WebAssembly SIMD is unavailable.
 */
export function setGemmThreads(pool: GemmThreads | null): void {
  const WA = wasmApi();
  if (getRuntime() === null || WA === undefined) throw new Error('setGemmThreads: no WebAssembly SIMD here');
  if (pool === null) {
    runtime = undefined;
    getRuntime();
    return;
  }
  const exports = new WA.Instance(new WA.Module(gemmModuleBytes(true)), { env: { memory: pool.memory } })
    .exports as WasmExports;
  runtime = { memory: pool.memory, exports, pool };
  f32 = new Float32Array(0);
}

/**
 * Products with at least this many multiply-adds are split across threads (wake-up costs ~0.1 ms).
 * Measured with `npm run bench -- --suite threads` (docs/performance.md): below ~2²⁰ two threads are
 * no faster than one on the 2-core machine; from 2²¹ they gain.
 */
export const THREAD_MIN_FLOPS = 1 << 21;
/** The threshold in effect (THREAD_MIN_FLOPS unless a benchmark moved it with setThreadMinFlops). */
let threadMinFlops = THREAD_MIN_FLOPS;

/** Benchmarks only: split products from `flops` multiply-adds on. @returns the previous threshold. */
export function setThreadMinFlops(flops: number): number {
  const prev = threadMinFlops;
  threadMinFlops = flops;
  return prev;
}

let f32: Float32Array = new Float32Array(0);

/** Grows the memory to hold `bytes` and refreshes the float view. */
function ensure(mem: WasmMemory, bytes: number): Float32Array {
  const len = mem.buffer.byteLength;
  if (len < bytes) {
    const pages = Math.ceil((bytes - len) / 65536);
    if (len / 65536 + pages > MAX_PAGES)
      throw new RangeError(`gemmWasm: operands need ${bytes} bytes, more than the 1 GiB WebAssembly memory`);
    mem.grow(pages);
  }
  if (f32.byteLength !== mem.buffer.byteLength || f32.buffer !== mem.buffer)
    f32 = new Float32Array(mem.buffer);
  return f32;
}

/**
 * out[m, n] = op(A)·op(B) in float32 with the SIMD kernel.
 * @param a A [m, k], or [k, m] when transA; @param b B [k, n], or [n, k] when transB (row-major).
 * @throws Error when WebAssembly SIMD is unavailable (check wasmGemmAvailable first).
 */
export function gemmWasm(
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
): void {
  const rt = getRuntime();
  if (rt === null) throw new Error('gemmWasm: WebAssembly SIMD is not available in this runtime');
  if (k === 0 || m === 0 || n === 0) {
    out.fill(0);
    return;
  }
  const mp = Math.ceil(m / MR) * MR;
  const np = (n + 7) & ~7;
  // Memory (floats): packed A | packed B | C | raw A | raw B. The raw operands are copied in with
  // one memcpy each, and the full micro-panels are packed by WebAssembly (v128 moves or i32
  // gathers: ~10× faster than element loops in JS); a partial last panel is packed in JS.
  const aOff = 0;
  const bOff = mp * k;
  const cOff = bOff + np * k;
  const rawA = cOff + mp * np;
  const rawB = rawA + m * k;
  const mem = ensure(rt.memory, (rawB + n * k) * 4);
  mem.set(a.length === m * k ? a : a.subarray(0, m * k), rawA);
  mem.set(b.length === n * k ? b : b.subarray(0, n * k), rawB);
  const ex = rt.exports;
  const fullA = Math.floor(m / MR);
  if (fullA > 0) {
    if (transA) ex.packc4(rawA * 4, aOff * 4, fullA, k, m);
    else ex.packg4(rawA * 4, aOff * 4, fullA, k, k);
  }
  if (fullA * MR < mp) packA(a, mem, aOff, m, k, mp, transA, fullA * MR);
  const fullB = n >> 3;
  if (fullB > 0) {
    if (transB) ex.packg8(rawB * 4, bOff * 4, fullB, k, k);
    else ex.packc8(rawB * 4, bOff * 4, fullB, k, n);
  }
  if (fullB * 8 < np) packB(b, mem, bOff, n, k, np, transB, fullB * 8);
  const pool = rt.pool;
  const panels = np >> 3;
  if (pool !== null && m * n * k >= threadMinFlops && panels > 1) {
    // Contiguous panel ranges, the same for every run of this shape (deterministic).
    const parts = Math.min(pool.threads + 1, panels);
    const ranges: [number, number][] = [];
    for (let t = 0; t < parts; t++)
      ranges.push([Math.floor((t * panels) / parts) * 8, Math.floor(((t + 1) * panels) / parts) * 8]);
    const args = [aOff * 4, bOff * 4, cOff * 4, mp, np, k];
    pool.start(args, ranges.slice(1));
    rt.exports.gemm(aOff * 4, bOff * 4, cOff * 4, mp, np, k, ranges[0][0], ranges[0][1]);
    pool.wait();
  } else rt.exports.gemm(aOff * 4, bOff * 4, cOff * 4, mp, np, k, 0, np);
  if (np === n) {
    out.set(mem.subarray(cOff, cOff + m * n));
  } else {
    for (let i = 0; i < m; i++) out.set(mem.subarray(cOff + i * np, cOff + i * np + n), i * n);
  }
}

/**
 * A (logical [m, k]) into [mp/MR][k][MR] micro-panels at `off`, zero rows past m, from panel row
 * `from` on (the reference packing; gemmWasm uses it for the partial last panel).
 */
export function packA(
  a: Float32Array,
  mem: Float32Array,
  off: number,
  m: number,
  k: number,
  mp: number,
  t: boolean,
  from = 0,
): void {
  for (let i0 = from; i0 < mp; i0 += MR) {
    const base = off + i0 * k; // panel i0/MR starts at (i0/MR)·k·MR = i0·k
    const rows = Math.min(MR, m - i0);
    if (rows < MR) for (let q = base; q < base + MR * k; q++) mem[q] = 0;
    for (let r = 0; r < rows; r++) {
      const i = i0 + r;
      if (!t) {
        const src = i * k;
        for (let p = 0, d = base + r; p < k; p++, d += MR) mem[d] = a[src + p];
      } else {
        for (let p = 0, d = base + r, s = i; p < k; p++, d += MR, s += m) mem[d] = a[s];
      }
    }
  }
}

/** B (logical [k, n]) into [np/8][k][8] micro-panels at `off`, zero columns past n, from column `from` on. */
export function packB(
  b: Float32Array,
  mem: Float32Array,
  off: number,
  n: number,
  k: number,
  np: number,
  t: boolean,
  from = 0,
): void {
  for (let j0 = from; j0 < np; j0 += 8) {
    const base = off + j0 * k; // panel j0/8 starts at (j0/8)·k·8 = j0·k
    const cols = Math.min(8, n - j0);
    if (!t) {
      if (cols === 8) {
        for (let p = 0; p < k; p++) {
          const s = p * n + j0;
          const d = base + p * 8;
          mem[d] = b[s];
          mem[d + 1] = b[s + 1];
          mem[d + 2] = b[s + 2];
          mem[d + 3] = b[s + 3];
          mem[d + 4] = b[s + 4];
          mem[d + 5] = b[s + 5];
          mem[d + 6] = b[s + 6];
          mem[d + 7] = b[s + 7];
        }
      } else {
        for (let p = 0; p < k; p++) {
          const s = p * n + j0;
          const d = base + p * 8;
          for (let c = 0; c < 8; c++) mem[d + c] = c < cols ? b[s + c] : 0;
        }
      }
    } else {
      if (cols < 8) for (let q = base; q < base + 8 * k; q++) mem[q] = 0;
      for (let c = 0; c < cols; c++) {
        const src = (j0 + c) * k;
        for (let p = 0, d = base + c; p < k; p++, d += 8) mem[d] = b[src + p];
      }
    }
  }
}
