/**
 * float32 matrix product C = op(A)·op(B) with a WebAssembly SIMD kernel generated at run time
 * (engine/backend/wasm/asm.ts), for the three layouts backprop needs: A·B (forward), Aᵀ·B
 * (weight gradient Xᵀ·dY) and A·Bᵀ (input gradient dY·Wᵀ); Aᵀ·Bᵀ works too.
 *
 * Method (Goto/BLIS style): the operands are packed into the module's memory as micro-panels —
 * A as [⌈m/4⌉][k][4], B as [⌈n/8⌉][k][8], zero-padded — so any transposition is absorbed by the
 * packing and the kernel always streams both operands contiguously. The kernel keeps a 4×8 block
 * of C in eight f32x4 registers (no FMA in Node 20's WebAssembly: separate mul and add) and
 * splits k into blocks of KC so that the B micro-panel block (KC×8 floats = 8 KiB) stays in L1
 * while the packed rows of A stream from L2.
 *
 * Invariants: deterministic (fixed summation order per element: k ascending within KC blocks,
 * blocks ascending), single-threaded, no allocation once the memory is large enough. Results
 * differ from the plain loop only by float32 rounding (a different association of the sum).
 */
import { Code, moduleBytes } from './asm';

/** k-block length (floats). 256 × 8 × 4 B = 8 KiB of B per block. */
const KC = 256;

interface WasmExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  gemm(a: number, b: number, c: number, mp: number, np: number, k: number): void;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports?: object) => { exports: unknown };
  validate(bytes: Uint8Array): boolean;
}

/** Emits `gemm(A, B, C, mp, np, k)` over packed operands (byte pointers); C [mp, np] is overwritten. */
function emitGemm(): Code {
  const f = new Code(6);
  const [A, B, C, MP, NP, K] = [0, 1, 2, 3, 4, 5];
  const pc = f.i32Local();
  const kc = f.i32Local();
  const jr = f.i32Local();
  const ir = f.i32Local();
  const ap = f.i32Local();
  const bp = f.i32Local();
  const cp = f.i32Local();
  const p = f.i32Local();
  const ldc = f.i32Local();
  const acc = Array.from({ length: 8 }, () => f.v128Local());
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
    f.i32(0).set(jr);
    f.loop(); // ---- jr: 8-column panels of B
    {
      f.i32(0).set(ir);
      f.loop(); // ---- ir: 4-row panels of A
      {
        // ap = A + (ir·k + pc·4)·4 ; bp = B + (jr·k + pc·8)·4 ; cp = C + (ir·np + jr)·4
        f.get(A).get(ir).get(K).mul().get(pc).i32(2).shl().add().i32(2).shl().add().set(ap);
        f.get(B).get(jr).get(K).mul().get(pc).i32(3).shl().add().i32(2).shl().add().set(bp);
        f.get(C).get(ir).get(NP).mul().get(jr).add().i32(2).shl().add().set(cp);
        // First k block starts from zero, later ones accumulate onto C.
        f.get(pc).eqz().if();
        for (const a of acc) f.v128Zero().vset(a);
        f.else();
        for (let r = 0; r < 4; r++) {
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
          for (let r = 0; r < 4; r++) {
            f.get(ap).load32Splat(r * 4).vset(av);
            f.vget(acc[r * 2]).vget(av).vget(b0).f32x4Mul().f32x4Add().vset(acc[r * 2]);
            f.vget(acc[r * 2 + 1]).vget(av).vget(b1).f32x4Mul().f32x4Add().vset(acc[r * 2 + 1]);
          }
          f.get(ap).i32(16).add().set(ap);
          f.get(bp).i32(32).add().set(bp);
          f.get(p).i32(1).sub().tee(p).brIf(0);
        }
        f.end();
        for (let r = 0; r < 4; r++) {
          for (let h = 0; h < 2; h++) {
            f.get(cp);
            if (r > 0) f.get(ldc).i32(r).mul().add();
            f.vget(acc[r * 2 + h]).v128Store(h * 16);
          }
        }
        f.get(ir).i32(4).add().tee(ir).get(MP).ltU().brIf(0);
      }
      f.end();
      f.get(jr).i32(8).add().tee(jr).get(NP).ltU().brIf(0);
    }
    f.end();
    f.get(pc).i32(KC).add().tee(pc).get(K).ltU().brIf(0);
  }
  f.end();
  return f;
}

/** The generated module's bytes (exported for tests and for workers that instantiate their own). */
export function gemmModuleBytes(): Uint8Array {
  return moduleBytes(1, [{ name: 'gemm', code: emitGemm() }]);
}

let instance: WasmExports | null | undefined;

/** The shared instance, or null when this runtime has no WebAssembly SIMD. */
function getInstance(): WasmExports | null {
  if (instance !== undefined) return instance;
  const WA = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  instance = null;
  if (WA === undefined) return null;
  try {
    const bytes = gemmModuleBytes();
    if (!WA.validate(bytes)) return null;
    instance = new WA.Instance(new WA.Module(bytes)).exports as WasmExports;
  } catch {
    instance = null;
  }
  return instance;
}

/** True when the WebAssembly SIMD GEMM can run here. */
export function wasmGemmAvailable(): boolean {
  return getInstance() !== null;
}

let f32: Float32Array = new Float32Array(0);

/** Grows the memory to hold `bytes` and refreshes the float view. */
function ensure(w: WasmExports, bytes: number): Float32Array {
  const buf = w.memory.buffer;
  if (buf.byteLength < bytes) w.memory.grow(Math.ceil((bytes - buf.byteLength) / 65536));
  if (f32.buffer !== w.memory.buffer) f32 = new Float32Array(w.memory.buffer);
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
  const w = getInstance();
  if (w === null) throw new Error('gemmWasm: WebAssembly SIMD is not available in this runtime');
  if (k === 0 || m === 0 || n === 0) {
    out.fill(0);
    return;
  }
  const mp = (m + 3) & ~3;
  const np = (n + 7) & ~7;
  const aOff = 0;
  const bOff = mp * k; // in floats
  const cOff = bOff + np * k;
  const mem = ensure(w, (cOff + mp * np) * 4);
  packA(a, mem, aOff, m, k, mp, transA);
  packB(b, mem, bOff, n, k, np, transB);
  w.gemm(aOff * 4, bOff * 4, cOff * 4, mp, np, k);
  if (np === n) {
    out.set(mem.subarray(cOff, cOff + m * n));
  } else {
    for (let i = 0; i < m; i++) out.set(mem.subarray(cOff + i * np, cOff + i * np + n), i * n);
  }
}

/** A (logical [m, k]) into [mp/4][k][4] micro-panels at `off`, zero rows past m. */
function packA(a: Float32Array, mem: Float32Array, off: number, m: number, k: number, mp: number, t: boolean): void {
  for (let i0 = 0; i0 < mp; i0 += 4) {
    const base = off + i0 * k; // panel i0/4 starts at (i0/4)·k·4 = i0·k
    const rows = Math.min(4, m - i0);
    if (rows < 4) for (let q = base; q < base + 4 * k; q++) mem[q] = 0;
    for (let r = 0; r < rows; r++) {
      const i = i0 + r;
      if (!t) {
        const src = i * k;
        for (let p = 0, d = base + r; p < k; p++, d += 4) mem[d] = a[src + p];
      } else {
        for (let p = 0, d = base + r, s = i; p < k; p++, d += 4, s += m) mem[d] = a[s];
      }
    }
  }
}

/** B (logical [k, n]) into [np/8][k][8] micro-panels at `off`, zero columns past n. */
function packB(b: Float32Array, mem: Float32Array, off: number, n: number, k: number, np: number, t: boolean): void {
  for (let j0 = 0; j0 < np; j0 += 8) {
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
