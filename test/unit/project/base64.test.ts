import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  base64Problem,
  base64ToBytes,
  base64ToFloat32,
  bytesLEToTypedArray,
  bytesToBase64,
  float32ToBase64,
  typedArrayToBytesLE,
} from '../../../engine/project/base64';

const ascii = (s: string): Uint8Array => new Uint8Array([...s].map((c) => c.charCodeAt(0)));

describe('base64 (RFC 4648 §10 test vectors)', () => {
  const vectors: Array<[string, string]> = [
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
  ];
  it.each(vectors)('%j ⇄ %j', (plain, encoded) => {
    expect(bytesToBase64(ascii(plain))).toBe(encoded);
    expect(Array.from(base64ToBytes(encoded))).toEqual(Array.from(ascii(plain)));
  });

  it('uses the + and / characters for 62 and 63', () => {
    // 0xFB 0xFF 0xBF = 111110 111111 111110 111111 → 62 63 62 63.
    expect(bytesToBase64(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('+/+/');
  });

  it('agrees with Node Buffer across its 12 KiB internal chunk boundary', () => {
    for (let n = 12286; n <= 12290; n++) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 7919 + n) & 255);
      expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
      expect(Buffer.from(base64ToBytes(bytesToBase64(bytes))).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('agrees with Node Buffer on random bytes, and round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const b64 = bytesToBase64(bytes);
        expect(b64).toBe(Buffer.from(bytes).toString('base64'));
        expect(Buffer.from(base64ToBytes(b64)).equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    ['Zg=', 'multiple of 4'],
    ['Zm9v!A==', 'invalid base64 character at index 4'],
    ['Zg=a', 'invalid base64 character at index 2'],
    ['Z===', 'invalid base64 character at index 1'],
    ['Zh==', 'non-canonical'], // 'h' = 33 = 100001: its low 4 bits must be zero before '=='
    ['Zm9=', 'non-canonical'], // '9' = 61 = 111101: its low 2 bits must be zero before '='
    ['Zm 9v', 'multiple of 4'],
  ])('rejects %j (%s)', (text, why) => {
    expect(base64Problem(text)).toContain(why);
    expect(() => base64ToBytes(text)).toThrow(RangeError);
  });
});

describe('float32 ⇄ base64, little-endian', () => {
  // Hand-derived: 1.0f = 0x3F800000 → LE bytes 00 00 80 3F → 000000 000000 000010 000000 | 001111 110000 → "AACAPw==".
  // −2.0f = 0xC0000000 → 00 00 00 C0 → "AAAA" + 110000 000000 → "AAAAwA==".
  // −0.0f = 0x80000000 → 00 00 00 80 → "AAAAgA==".  NaN (quiet, 0x7FC00000) → 00 00 C0 7F → "AADAfw==".
  // [1, −2] → 00 00 80 3F 00 00 00 C0 → "AACA" "PwAA" "AMA=".
  it.each([
    [[1], 'AACAPw=='],
    [[-2], 'AAAAwA=='],
    [[-0], 'AAAAgA=='],
    [[NaN], 'AADAfw=='],
    [[1, -2], 'AACAPwAAAMA='],
    [[], ''],
  ])('%j ⇄ %s', (values, encoded) => {
    expect(float32ToBase64(new Float32Array(values))).toBe(encoded);
    const back = base64ToFloat32(encoded);
    expect(back.length).toBe(values.length);
    values.forEach((v, i) => expect(Object.is(back[i], v)).toBe(true));
  });

  it('matches Buffer.writeFloatLE on random floats', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true })), (xs) => {
        const buf = Buffer.alloc(xs.length * 4);
        xs.forEach((x, i) => buf.writeFloatLE(x, i * 4));
        expect(float32ToBase64(new Float32Array(xs))).toBe(buf.toString('base64'));
      }),
    );
  });

  it('keeps every bit pattern: NaN payloads, signalling NaNs, subnormals, −0', () => {
    const words = new Uint32Array([
      0x7fc00001, 0xffbfffff, 0x7f800001, 0x00000001, 0x80000000, 0x7f800000, 0xff800000,
    ]);
    const f = new Float32Array(words.buffer);
    const back = base64ToFloat32(float32ToBase64(f));
    expect(Array.from(new Uint32Array(back.buffer))).toEqual(Array.from(words));
  });

  it('encodes only the view of a subarray (byteOffset honoured)', () => {
    const big = new Float32Array([9, 1, -2, 9]);
    expect(float32ToBase64(big.subarray(1, 3))).toBe('AACAPwAAAMA=');
  });

  it('rejects data that is not a whole number of float32 values', () => {
    expect(() => base64ToFloat32('AAAA')).toThrow(/multiple of 4 bytes/); // 3 bytes
  });

  it('float64 and int32 arrays use their own little-endian layouts', () => {
    // 1.0 (float64) = 0x3FF0000000000000 → LE 00×6 F0 3F; −1 (int32) = 0xFFFFFFFF; 258 = 0x00000102 → 02 01 00 00.
    expect(Array.from(typedArrayToBytesLE(new Float64Array([1])))).toEqual([0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
    expect(Array.from(typedArrayToBytesLE(new Int32Array([-1, 258])))).toEqual([
      255, 255, 255, 255, 2, 1, 0, 0,
    ]);
    expect(Array.from(bytesLEToTypedArray(new Uint8Array([2, 1, 0, 0]), Int32Array))).toEqual([258]);
    expect(() => bytesLEToTypedArray(new Uint8Array(4), Float64Array)).toThrow(/multiple of 8/);
  });
});
