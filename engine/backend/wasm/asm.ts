/**
 * A tiny WebAssembly binary assembler: just enough to emit the engine's SIMD kernels at run time
 * (no native toolchain, no committed binaries). Functions are written as flat instruction lists
 * through the `Code` builder; `moduleBytes` wraps them with the type, function, memory, export and
 * code sections of the binary format (WebAssembly Core Specification 2.0, §5).
 *
 * Invariants: every function takes i32 parameters and returns nothing; locals are declared up
 * front by type; one imported linear memory (page = 64 KiB), optionally shared between threads. Opcodes are the spec's numbers.
 */

/** Unsigned LEB128. */
function uleb(n: number, out: number[]): void {
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
}

/** Signed LEB128 (i32 constants). */
function sleb(n: number, out: number[]): void {
  n |= 0;
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}

const I32 = 0x7f;
const V128 = 0x7b;

/** Builder for one function body. Locals: params first (i32), then i32 locals, then v128 locals. */
export class Code {
  readonly bytes: number[] = [];
  private nI32 = 0;
  private nV128 = 0;
  constructor(readonly nParams: number) {}

  /** A new i32 local; returns its index. */
  i32Local(): number {
    return this.nParams + this.nI32++;
  }
  /** v128 locals are numbered after all i32 locals, so they are resolved at `finish`. */
  v128Local(): { v: number } {
    return { v: this.nV128++ };
  }

  private op(...b: number[]): this {
    this.bytes.push(...b);
    return this;
  }
  private simd(code: number): this {
    this.bytes.push(0xfd);
    uleb(code, this.bytes);
    return this;
  }
  // The v128 local indices are unknown until every i32 local exists: record a placeholder.
  private readonly vFix: { at: number; v: number }[] = [];
  private vref(opcode: number, l: { v: number }): this {
    this.bytes.push(opcode);
    this.vFix.push({ at: this.bytes.length, v: l.v });
    this.bytes.push(0, 0, 0, 0, 0); // 5-byte padded LEB, patched in finish()
    return this;
  }

  get(l: number): this {
    this.op(0x20);
    uleb(l, this.bytes);
    return this;
  }
  set(l: number): this {
    this.op(0x21);
    uleb(l, this.bytes);
    return this;
  }
  tee(l: number): this {
    this.op(0x22);
    uleb(l, this.bytes);
    return this;
  }
  vget(l: { v: number }): this {
    return this.vref(0x20, l);
  }
  vset(l: { v: number }): this {
    return this.vref(0x21, l);
  }
  i32(n: number): this {
    this.op(0x41);
    sleb(n, this.bytes);
    return this;
  }
  add(): this {
    return this.op(0x6a);
  }
  sub(): this {
    return this.op(0x6b);
  }
  mul(): this {
    return this.op(0x6c);
  }
  shl(): this {
    return this.op(0x74);
  }
  ltU(): this {
    return this.op(0x49);
  }
  eqz(): this {
    return this.op(0x45);
  }
  /** block with no result. */
  block(): this {
    return this.op(0x02, 0x40);
  }
  loop(): this {
    return this.op(0x03, 0x40);
  }
  if(): this {
    return this.op(0x04, 0x40);
  }
  else(): this {
    return this.op(0x05);
  }
  end(): this {
    return this.op(0x0b);
  }
  br(depth: number): this {
    return this.op(0x0c, depth);
  }
  brIf(depth: number): this {
    return this.op(0x0d, depth);
  }
  call(fn: number): this {
    this.op(0x10);
    uleb(fn, this.bytes);
    return this;
  }
  /** v128.load with a constant byte offset (align 2^4 hint is only a hint; we claim 4 bytes). */
  v128Load(offset = 0): this {
    this.simd(0x00).op(0x02);
    uleb(offset, this.bytes);
    return this;
  }
  v128Store(offset = 0): this {
    this.simd(0x0b).op(0x02);
    uleb(offset, this.bytes);
    return this;
  }
  /** i32.load (4-byte aligned) with a constant byte offset: moves a float's bits unchanged. */
  i32Load(offset = 0): this {
    this.op(0x28, 0x02);
    uleb(offset, this.bytes);
    return this;
  }
  /** i32.store (address, value on the stack) with a constant byte offset. */
  i32Store(offset = 0): this {
    this.op(0x36, 0x02);
    uleb(offset, this.bytes);
    return this;
  }
  /** v128.load32_splat: one f32 from memory broadcast to 4 lanes. */
  load32Splat(offset = 0): this {
    this.simd(0x09).op(0x02);
    uleb(offset, this.bytes);
    return this;
  }
  v128Zero(): this {
    this.simd(0x0c);
    for (let i = 0; i < 16; i++) this.bytes.push(0);
    return this;
  }
  f32x4Add(): this {
    return this.simd(0xe4);
  }
  f32x4Mul(): this {
    return this.simd(0xe6);
  }
  /**
   * f32x4.relaxed_madd (relaxed-SIMD proposal, opcode 0x105): a·b + c for stack [a, b, c], fused
   * where the CPU has FMA (one rounding) — the same choice on every call on a given machine.
   */
  f32x4RelaxedMadd(): this {
    return this.simd(0x105);
  }

  /** v128.load64_zero: two f32 (8 bytes) into the low lanes, the rest zero. */
  load64Zero(offset = 0): this {
    this.simd(0x5d).op(0x02);
    uleb(offset, this.bytes);
    return this;
  }
  /** v128.load64_splat: one f64 from memory broadcast to both lanes. */
  load64Splat(offset = 0): this {
    this.simd(0x0a).op(0x02);
    uleb(offset, this.bytes);
    return this;
  }
  /** v128.load16_splat: two bytes broadcast (used to read two mask bytes). */
  load16Splat(offset = 0): this {
    this.simd(0x08).op(0x00);
    uleb(offset, this.bytes);
    return this;
  }
  /** v128.store64_lane (address, vector): stores lane `lane` (8 bytes). */
  store64Lane(offset: number, lane: number): this {
    this.simd(0x5b).op(0x02);
    uleb(offset, this.bytes);
    return this.op(lane);
  }
  f64x2Add(): this {
    return this.simd(0xf0);
  }
  f64x2Sub(): this {
    return this.simd(0xf1);
  }
  f64x2Mul(): this {
    return this.simd(0xf2);
  }
  f64x2Div(): this {
    return this.simd(0xf3);
  }
  f64x2Sqrt(): this {
    return this.simd(0xef);
  }
  /** f64x2.promote_low_f32x4: the two low f32 lanes, exactly, as f64. */
  f64x2PromoteLow(): this {
    return this.simd(0x5f);
  }
  /** f32x4.demote_f64x2_zero: both f64 lanes rounded to f32 (nearest even) into the low lanes. */
  f32x4DemoteZero(): this {
    return this.simd(0x5e);
  }
  /** i16x8.extend_low_i8x16_u, i32x4.extend_low_i16x8_u, f64x2.convert_low_i32x4_u: low u8 lanes → f64. */
  u8LowToF64(): this {
    return this.simd(0x89).simd(0xa9).simd(0xff);
  }

  /** The encoded body (locals declaration + code + end). */
  finish(): number[] {
    const nI = this.nParams + this.nI32;
    for (const { at, v } of this.vFix) {
      let n = nI + v;
      for (let i = 0; i < 5; i++) {
        this.bytes[at + i] = (n & 0x7f) | (i < 4 ? 0x80 : 0);
        n >>>= 7;
      }
    }
    const body: number[] = [];
    const groups: [number, number][] = [];
    if (this.nI32 > 0) groups.push([this.nI32, I32]);
    if (this.nV128 > 0) groups.push([this.nV128, V128]);
    uleb(groups.length, body);
    for (const [n, t] of groups) {
      uleb(n, body);
      body.push(t);
    }
    body.push(...this.bytes, 0x0b);
    const out: number[] = [];
    uleb(body.length, out);
    out.push(...body);
    return out;
  }
}

function section(id: number, content: number[], out: number[]): void {
  out.push(id);
  uleb(content.length, out);
  out.push(...content);
}

function name(s: string, out: number[]): void {
  uleb(s.length, out);
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i));
}

/**
 * A module importing its linear memory as env.memory (limits in 64 KiB pages; `shared` for a memory
 * that worker threads instantiate the same module on) and exporting the given functions, each
 * `(i32 × nParams) → ()`.
 */
export function moduleBytes(
  memory: { min: number; max: number; shared: boolean },
  fns: { name: string; code: Code }[],
): Uint8Array<ArrayBuffer> {
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  // Types: one per function (simple; duplicates are legal).
  const types: number[] = [];
  uleb(fns.length, types);
  for (const f of fns) {
    types.push(0x60);
    uleb(f.code.nParams, types);
    for (let i = 0; i < f.code.nParams; i++) types.push(I32);
    types.push(0x00);
  }
  section(1, types, out);
  const imports: number[] = [0x01];
  name('env', imports);
  name('memory', imports);
  imports.push(0x02, memory.shared ? 0x03 : 0x01);
  uleb(memory.min, imports);
  uleb(memory.max, imports);
  section(2, imports, out);
  const funcs: number[] = [];
  uleb(fns.length, funcs);
  fns.forEach((_f, i) => uleb(i, funcs));
  section(3, funcs, out);
  const exps: number[] = [];
  uleb(fns.length, exps);
  fns.forEach((f, i) => {
    name(f.name, exps);
    exps.push(0x00);
    uleb(i, exps);
  });
  section(7, exps, out);
  const code: number[] = [];
  uleb(fns.length, code);
  for (const f of fns) code.push(...f.code.finish());
  section(10, code, out);
  return Uint8Array.from(out);
}
