/**
 * Base64 (RFC 4648 §4, standard alphabet, with padding) and typed arrays ⇄ base64, without
 * Node's Buffer.
 *
 * Weights are stored as the little-endian IEEE-754 binary32 bytes of the array, base64-encoded;
 * optimizer state may also hold float64 and int32 arrays, stored the same way. Invariants:
 * - bit-exact: the 4 bytes of every element are copied, never converted through a JS number, so
 *   −0, every NaN payload, subnormals and ±Infinity all round-trip unchanged;
 * - byte order is little-endian whatever the host's endianness;
 * - decoding is strict (canonical): only the standard alphabet, length a multiple of 4, `=` only
 *   as final padding, and the unused bits before the padding must be zero — so each byte string
 *   has exactly one accepted encoding.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** char code → 6-bit value, or -1 for characters outside the alphabet. */
const DECODE = (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) t[ALPHABET.charCodeAt(i)] = i;
  return t;
})();

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

const ENCODE = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const PAD = 0x3d;

/** Encodes bytes as base64 with `=` padding. */
export function bytesToBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  // ASCII codes first, then one conversion to a string.
  const codes = new Uint8Array(Math.ceil(n / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    codes[o++] = ENCODE[v >>> 18];
    codes[o++] = ENCODE[(v >>> 12) & 63];
    codes[o++] = ENCODE[(v >>> 6) & 63];
    codes[o++] = ENCODE[v & 63];
  }
  if (n - i === 1) {
    const v = bytes[i] << 16;
    codes.set([ENCODE[v >>> 18], ENCODE[(v >>> 12) & 63], PAD, PAD], o);
  } else if (n - i === 2) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8);
    codes.set([ENCODE[v >>> 18], ENCODE[(v >>> 12) & 63], ENCODE[(v >>> 6) & 63], PAD], o);
  }
  return asciiToString(codes);
}

type Utf8Decoder = { decode(bytes: Uint8Array): string };
const utf8Decoder: Utf8Decoder | null = (() => {
  const Ctor = (globalThis as unknown as { TextDecoder?: new () => Utf8Decoder }).TextDecoder;
  return Ctor ? new Ctor() : null;
})();

/** ASCII codes → string. TextDecoder is ~10× faster than fromCharCode on megabytes; ASCII is valid UTF-8. */
function asciiToString(codes: Uint8Array): string {
  if (utf8Decoder) return utf8Decoder.decode(codes);
  const parts: string[] = [];
  const CHUNK = 0x8000; // fromCharCode's argument count limit is engine-specific
  for (let k = 0; k < codes.length; k += CHUNK) {
    parts.push(String.fromCharCode.apply(null, codes.subarray(k, k + CHUNK) as unknown as number[]));
  }
  return parts.join('');
}

/**
 * Why `text` is not canonical base64, or `null` when it is.
 * Cheap (no allocation beyond the result); used by the schema to report a JSON path.
 */
export function base64Problem(text: string): string | null {
  if (text.length % 4 !== 0) return `base64 length must be a multiple of 4 (got ${text.length} characters)`;
  const n = text.length;
  let pad = 0;
  if (n > 0 && text.charCodeAt(n - 1) === 0x3d) pad = text.charCodeAt(n - 2) === 0x3d ? 2 : 1;
  for (let i = 0; i < n - pad; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || DECODE[c] < 0) return `invalid base64 character at index ${i}`;
  }
  if (pad > 0) {
    const last = DECODE[text.charCodeAt(n - pad - 1)];
    // With 2 '=' the last data char carries 2 meaningful bits (low 4 must be 0); with 1 '=', 4 bits (low 2 must be 0).
    if ((pad === 2 && (last & 15) !== 0) || (pad === 1 && (last & 3) !== 0)) {
      return 'non-canonical base64 (unused bits before the padding are not zero)';
    }
  }
  return null;
}

/** Number of bytes that a (valid) base64 string decodes to. */
export function base64DecodedLength(text: string): number {
  const n = text.length;
  const pad = n > 0 && text.charCodeAt(n - 1) === 0x3d ? (text.charCodeAt(n - 2) === 0x3d ? 2 : 1) : 0;
  return (n / 4) * 3 - pad;
}

/**
 * Decodes canonical base64.
 * @throws RangeError naming the problem when `text` is not canonical base64 (see `base64Problem`).
 */
export function base64ToBytes(text: string): Uint8Array {
  const problem = base64Problem(text);
  if (problem) throw new RangeError(problem);
  const out = new Uint8Array(base64DecodedLength(text));
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const a = DECODE[text.charCodeAt(i)];
    const b = DECODE[text.charCodeAt(i + 1)];
    const c = text.charCodeAt(i + 2) === 0x3d ? 0 : DECODE[text.charCodeAt(i + 2)];
    const d = text.charCodeAt(i + 3) === 0x3d ? 0 : DECODE[text.charCodeAt(i + 3)];
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >>> 16;
    if (o < out.length) out[o++] = (v >>> 8) & 255;
    if (o < out.length) out[o++] = v & 255;
  }
  return out;
}

/** Typed arrays stored in project files, by the tag used in optimizer state. */
export type StoredTypedArray = Float32Array | Float64Array | Int32Array;

/** Reverses the bytes of each `size`-byte element in place (big-endian ⇄ little-endian). */
function swapEach(bytes: Uint8Array, size: number): void {
  for (let i = 0; i < bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

/** The little-endian bytes of a typed array (a copy; raw bytes, never through a JS number, so bit-exact). */
export function typedArrayToBytesLE(values: StoredTypedArray): Uint8Array {
  const out = new Uint8Array(values.byteLength);
  out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  if (!HOST_IS_LITTLE_ENDIAN) swapEach(out, values.BYTES_PER_ELEMENT);
  return out;
}

type TypedCtor<T extends StoredTypedArray> = { new (length: number): T; readonly BYTES_PER_ELEMENT: number };

/**
 * A typed array from little-endian bytes (bit-exact).
 * @throws RangeError when the byte count is not a multiple of the element size.
 */
export function bytesLEToTypedArray<T extends StoredTypedArray>(bytes: Uint8Array, ctor: TypedCtor<T>): T {
  const size = ctor.BYTES_PER_ELEMENT;
  if (bytes.length % size !== 0) {
    throw new RangeError(
      `${size}-byte element data must be a multiple of ${size} bytes (got ${bytes.length})`,
    );
  }
  const out = new ctor(bytes.length / size);
  const raw = new Uint8Array(out.buffer);
  raw.set(bytes);
  if (!HOST_IS_LITTLE_ENDIAN) swapEach(raw, size);
  return out;
}

/** The little-endian bytes of a float32 array (bit-exact, see header). */
export function float32ToBytesLE(values: Float32Array): Uint8Array {
  return typedArrayToBytesLE(values);
}

/**
 * A float32 array from little-endian bytes (bit-exact).
 * @throws RangeError when the byte count is not a multiple of 4.
 */
export function bytesLEToFloat32(bytes: Uint8Array): Float32Array {
  return bytesLEToTypedArray(bytes, Float32Array);
}

/** Base64 of the little-endian float32 bytes of `values`. */
export function float32ToBase64(values: Float32Array): string {
  return bytesToBase64(float32ToBytesLE(values));
}

/**
 * A Float32Array from base64 of little-endian float32 bytes.
 * @throws RangeError when `text` is not canonical base64 or its length is not a multiple of 4 bytes.
 */
export function base64ToFloat32(text: string): Float32Array {
  return bytesLEToFloat32(base64ToBytes(text));
}
