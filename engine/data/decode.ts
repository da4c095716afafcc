/**
 * Bytes → text. Recognises byte-order marks (UTF-8, UTF-16 LE/BE), UTF-16 without a BOM (by its
 * zero bytes), falls back from invalid UTF-8 to Windows-1252 when the bytes fit that code page,
 * and refuses files that are not delimited text (spreadsheets, archives, PDF, images, JSON,
 * binary) with a message saying what the file looks like and what to do.
 *
 * Invariants: the BOM is never part of the decoded text; decoding is incremental (chunks may
 * split multi-byte characters anywhere) and fatal on invalid input, so text is never silently
 * corrupted with U+FFFD.
 */
import { DataImportError } from './problems';
import type { Encoding } from './types';

interface TextDecoderLike {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
type TextDecoderCtor = new (
  label: string,
  options?: { fatal?: boolean; ignoreBOM?: boolean },
) => TextDecoderLike;
// TextDecoder exists in browsers, workers, Electron and Node; the engine tsconfig has no DOM types.
const TD = (globalThis as unknown as { TextDecoder: TextDecoderCtor }).TextDecoder;

/** Bytes looked at for detection. */
export const SNIFF_BYTES = 65536;

const UNPACK_HINT = 'Decompress it first (for example with 7-Zip or gunzip) and open the CSV file inside.';

/** Known binary formats; `hint` replaces the general advice where a better one exists. */
const SIGNATURES: { bytes: number[]; what: string; hint?: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive (an .xlsx or .ods spreadsheet, or a .zip file)' },
  { bytes: [0x50, 0x4b, 0x05, 0x06], what: 'an empty ZIP archive' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], what: 'an old Excel .xls (OLE2) workbook' },
  { bytes: [0x1f, 0x8b], what: 'a gzip-compressed file', hint: UNPACK_HINT },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0x50, 0x41, 0x52, 0x31], what: 'a Parquet file' },
  { bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], what: 'an SQLite database' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: 'an executable (ELF)' },
  { bytes: [0x42, 0x5a, 0x68], what: 'a bzip2-compressed file', hint: UNPACK_HINT },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'an xz-compressed file', hint: UNPACK_HINT },
];

const startsWith = (b: Uint8Array, sig: number[]): boolean =>
  b.length >= sig.length && sig.every((v, i) => b[i] === v);

/** Bytes 0x81, 0x8D, 0x8F, 0x90, 0x9D are undefined in Windows-1252. */
const CP1252_UNDEFINED = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

export interface DetectedEncoding {
  encoding: Encoding;
  /** Length of the byte-order mark to skip (0, 2 or 3). */
  bomLength: number;
}

const REFUSE_HINT =
  'Export the data as CSV (comma, semicolon, tab or pipe separated text) and open that file.';

/**
 * Detect the encoding from the first bytes of a file and refuse non-text files.
 * @param head the first bytes of the file (up to SNIFF_BYTES are used).
 * @param override an explicit encoding: skips detection but still strips a matching BOM.
 * @throws DataImportError for empty files, known binary formats, NUL-containing data, and bytes
 *   that are neither UTF-8 nor Windows-1252.
 */
export function detectEncoding(head: Uint8Array, override: 'auto' | Encoding = 'auto'): DetectedEncoding {
  const b = head.subarray(0, SNIFF_BYTES);
  if (b.length === 0)
    throw new DataImportError('The file is empty (0 bytes). Choose a CSV file that has data.');
  const bom8 = startsWith(b, [0xef, 0xbb, 0xbf]);
  const bomLE = startsWith(b, [0xff, 0xfe]);
  const bomBE = startsWith(b, [0xfe, 0xff]);
  if (override !== 'auto') {
    const bomLength =
      override === 'utf-8' && bom8
        ? 3
        : override === 'utf-16le' && bomLE
          ? 2
          : override === 'utf-16be' && bomBE
            ? 2
            : 0;
    return { encoding: override, bomLength };
  }
  if (bom8) return { encoding: 'utf-8', bomLength: 3 };
  if (bomLE) return { encoding: 'utf-16le', bomLength: 2 };
  if (bomBE) return { encoding: 'utf-16be', bomLength: 2 };
  for (const s of SIGNATURES) {
    if (startsWith(b, s.bytes))
      throw new DataImportError(`This file is ${s.what}, not delimited text. ${s.hint ?? REFUSE_HINT}`);
  }
  // UTF-16 without BOM: ASCII characters leave a zero in every other byte.
  const n = Math.min(b.length, 4096) & ~1;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) zeroEven++;
    if (b[i + 1] === 0) zeroOdd++;
  }
  const pairs = n / 2;
  if (pairs >= 2 && zeroOdd > 0.4 * pairs && zeroEven < 0.05 * pairs)
    return { encoding: 'utf-16le', bomLength: 0 };
  if (pairs >= 2 && zeroEven > 0.4 * pairs && zeroOdd < 0.05 * pairs)
    return { encoding: 'utf-16be', bomLength: 0 };
  const nul = b.indexOf(0);
  if (nul >= 0) {
    throw new DataImportError(
      `This file contains binary data (a zero byte at byte ${nul}), so it is not delimited text. ${REFUSE_HINT}`,
    );
  }
  try {
    new TD('utf-8', { fatal: true }).decode(b, { stream: true });
    return { encoding: 'utf-8', bomLength: 0 };
  } catch {
    // Not UTF-8: accept Windows-1252 (Excel's "CSV" on Western Windows) when every byte is defined there.
    for (let i = 0; i < b.length; i++) {
      if (CP1252_UNDEFINED.has(b[i])) {
        throw new DataImportError(
          `The file is neither UTF-8 nor Windows-1252 text (byte 0x${b[i].toString(16)} at offset ${i}). ` +
            'Re-save it as "CSV UTF-8" or choose its encoding explicitly.',
        );
      }
    }
    return { encoding: 'windows-1252', bomLength: 0 };
  }
}

/** Problem code of a decoding failure after the first 64 KiB (the reader may retry as Windows-1252). */
export const INVALID_TEXT = 'invalid-text';

/**
 * Whole-buffer check for in-memory files: UTF-8 that turns invalid after the first 64 KiB is read
 * as Windows-1252 when every byte is defined there.
 * @returns the encoding to use, or 'auto' to let the streaming detection decide.
 */
export function detectEncodingWhole(bytes: Uint8Array): 'auto' | Encoding {
  const head = detectEncoding(bytes);
  if (head.encoding !== 'utf-8' || head.bomLength > 0 || bytes.length <= SNIFF_BYTES) return 'auto';
  try {
    new TD('utf-8', { fatal: true }).decode(bytes);
    return 'auto';
  } catch {
    for (let i = 0; i < bytes.length; i++) if (CP1252_UNDEFINED.has(bytes[i])) return 'auto';
    return 'windows-1252';
  }
}

/** Incremental, fatal decoder for one encoding; reports the byte range of an invalid sequence. */
export class ChunkDecoder {
  private readonly td: TextDecoderLike;
  private offset = 0;
  constructor(readonly encoding: Encoding) {
    this.td = new TD(encoding, { fatal: true, ignoreBOM: true });
  }

  /** Decode the next chunk; a trailing partial character is kept for the next call. */
  decode(chunk: Uint8Array): string {
    try {
      const s = this.td.decode(chunk, { stream: true });
      this.offset += chunk.length;
      return s;
    } catch {
      const message =
        `The file is not valid ${this.encoding} text: an invalid byte sequence lies between bytes ` +
        `${this.offset} and ${this.offset + chunk.length}. Re-save it as "CSV UTF-8", or choose the encoding it ` +
        `was written in (for example windows-1252).`;
      throw new DataImportError(message, [{ severity: 'error', code: INVALID_TEXT, message }]);
    }
  }

  /** Flush; throws when the file ends inside a multi-byte character. */
  end(): string {
    try {
      return this.td.decode();
    } catch {
      throw new DataImportError(
        `The file ends in the middle of a ${this.encoding} character; it may be truncated.`,
      );
    }
  }
}

/**
 * Refuse text that is JSON rather than a table (checked on the first characters).
 * @throws DataImportError when the text starts like a JSON object or array.
 */
export function refuseNonTabularText(text: string): void {
  const head = text.slice(0, 200).trimStart();
  if (/^\{\s*("|\})/.test(head) || /^\[\s*(\{|\[)/.test(head)) {
    throw new DataImportError(`This file looks like JSON, not delimited text. ${REFUSE_HINT}`);
  }
}
