/**
 * Seeded random numbers for everything in Netloom that needs them (weight initialisation,
 * shuffling, splits, dropout masks, K-means++ seeding).
 *
 * Algorithm: xoshiro128** 1.0 (Blackman & Vigna, "Scrambled linear pseudorandom number
 * generators", 2018), 128-bit state, seeded through SplitMix32 so that nearby seeds give
 * unrelated streams. Normals by the Box–Muller transform (Box & Muller, 1958).
 *
 * Invariants: the generator is plain data (`RngState`), threaded explicitly — there is no
 * global generator — so a run is reproducible bit for bit from its seed, and the state can
 * be saved in a project file and restored.
 */

/** Serializable generator state: four uint32 words plus a cached second Box–Muller normal. */
export interface RngState {
  s: [number, number, number, number];
  /** The spare normal from the last Box–Muller pair, or null. */
  spare: number | null;
}

/** SplitMix32 step (used only for seeding); returns [next state, output]. */
function splitmix32(x: number): [number, number] {
  x = (x + 0x9e3779b9) >>> 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  z = (z ^ (z >>> 16)) >>> 0;
  return [x, z];
}

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

/**
 * A seeded pseudo-random generator.
 * @param seed any finite number; it is reduced to a uint32 (non-integers are truncated).
 * @throws RangeError when the seed is not a finite number.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`Rng: seed must be a finite number, got ${seed}`);
    let x = Math.trunc(seed) >>> 0;
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [nx, out] = splitmix32(x);
      x = nx;
      words.push(out);
    }
    // xoshiro must not start from the all-zero state.
    if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 1;
    [this.s0, this.s1, this.s2, this.s3] = words as [number, number, number, number];
  }

  /** Restore a generator from a saved state (see `state()`). */
  static fromState(state: RngState): Rng {
    const r = new Rng(0);
    [r.s0, r.s1, r.s2, r.s3] = state.s.map((v) => v >>> 0) as [number, number, number, number];
    r.spare = state.spare;
    return r;
  }

  /** A copy of the current state as plain data (JSON-serializable). */
  state(): RngState {
    return { s: [this.s0, this.s1, this.s2, this.s3], spare: this.spare };
  }

  /** A uniformly distributed uint32 (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3 >>> 0, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    return result;
  }

  /** A float64 uniformly distributed in [0, 1), with 53 random bits. */
  next(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [a, b). @throws RangeError when b < a or either is not finite. */
  uniform(a = 0, b = 1): number {
    if (!(Number.isFinite(a) && Number.isFinite(b)) || b < a) {
      throw new RangeError(`Rng.uniform: need finite a ≤ b, got a=${a}, b=${b}`);
    }
    return a + (b - a) * this.next();
  }

  /** A standard normal N(0, 1) by Box–Muller; the second value of each pair is kept for the next call. */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = this.next();
    while (u === 0) u = this.next(); // log(0) guard
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** An integer uniformly distributed in [0, n), without modulo bias. @throws RangeError unless 1 ≤ n ≤ 2³². */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 4294967296) {
      throw new RangeError(`Rng.int: n must be an integer in [1, 2^32], got ${n}`);
    }
    const limit = 4294967296 - (4294967296 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** Shuffles `a` in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** A random permutation of 0..n−1 as an Int32Array. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /**
   * An independent generator derived from this one's stream (for example one per layer or
   * per split seed); advancing the child does not affect this generator beyond the draw.
   */
  fork(): Rng {
    return new Rng(this.nextUint32());
  }
}
