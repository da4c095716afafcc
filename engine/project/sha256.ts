/**
 * SHA-256 (FIPS 180-4) through Web Crypto, which Node ≥ 20, browsers and workers all expose as
 * `globalThis.crypto.subtle`. The engine has no DOM types, so the little we use is declared here.
 */

interface SubtleCryptoLike {
  digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>;
}

function subtle(): SubtleCryptoLike {
  const s = (globalThis as { crypto?: { subtle?: SubtleCryptoLike } }).crypto?.subtle;
  if (!s) {
    throw new Error(
      'SHA-256 needs Web Crypto (globalThis.crypto.subtle), which this environment lacks; ' +
        'in a browser it exists only on secure origins (https or localhost).',
    );
  }
  return s;
}

/**
 * The SHA-256 digest of `bytes` as 64 lowercase hex digits.
 * @throws Error when Web Crypto is unavailable.
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await subtle().digest('SHA-256', bytes));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}
