/**
 * From bytes or text to a parsed JSON value, with errors that say where.
 *
 * `JSON.parse` does the parsing (fast, and iterative in modern engines); only when it fails do
 * we scan the text ourselves to find the first syntax error's line and column, because engines
 * word (and position) their messages differently. The scanner follows RFC 8259 and is iterative,
 * so hostile nesting cannot overflow the stack.
 */
import { ProjectFileError, type TextPosition } from './errors';
import { MAX_JSON_DEPTH, jsonDepth } from './json-value';

interface TextDecoderLike {
  decode(bytes: Uint8Array): string;
}
type TextDecoderCtor = new (label: string, options: { fatal: boolean }) => TextDecoderLike;

/**
 * Decodes UTF-8 bytes strictly (a leading byte-order mark is dropped).
 * @throws ProjectFileError `not-utf8` when the bytes are not valid UTF-8.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  const Decoder = (globalThis as unknown as { TextDecoder: TextDecoderCtor }).TextDecoder;
  let text: string;
  try {
    text = new Decoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new ProjectFileError(
      'not-utf8',
      'The file is not UTF-8 text, so it cannot be a Netloom project file.',
      {
        cause,
      },
    );
  }
  return text;
}

/** 1-based line/column of a 0-based offset (lines end at '\n'; columns count UTF-16 code units). */
export function positionAt(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1, offset };
}

const isWs = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

function describeChar(text: string, i: number): string {
  if (i >= text.length) return 'the end of the file';
  const c = text.charCodeAt(i);
  if (c < 0x20) return `control character U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${text[i]}'`;
}

function unexpected(text: string, i: number): string {
  return i >= text.length ? 'unexpected end of the file' : `unexpected ${describeChar(text, i)}`;
}

/** Scans a string starting at the opening quote; returns the offset after the closing quote or an error. */
function scanString(text: string, start: number): number | { offset: number; message: string } {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return { offset: i, message: `${describeChar(text, i)} inside a string (escape it)` };
    if (c === 0x5c) {
      const e = text[i + 1];
      if (e === 'u') {
        for (let k = 2; k < 6; k++) {
          if (!isHex(text.charCodeAt(i + k)))
            return { offset: i, message: 'invalid \\u escape (needs 4 hex digits)' };
        }
        i += 6;
        continue;
      }
      if (e !== undefined && '"\\/bfnrt'.includes(e)) {
        i += 2;
        continue;
      }
      return { offset: i, message: 'invalid escape sequence in a string' };
    }
    i++;
  }
  return { offset: start, message: 'unterminated string (missing closing ")' };
}

/** Scans a number per RFC 8259; returns the offset after it or an error. */
function scanNumber(text: string, start: number): number | { offset: number; message: string } {
  let i = start;
  if (text.charCodeAt(i) === 0x2d) i++;
  if (text.charCodeAt(i) === 0x30) i++;
  else if (isDigit(text.charCodeAt(i))) while (isDigit(text.charCodeAt(i))) i++;
  else return { offset: i, message: 'invalid number (expected a digit)' };
  if (text.charCodeAt(i) === 0x2e) {
    i++;
    if (!isDigit(text.charCodeAt(i)))
      return { offset: i, message: 'invalid number (expected a digit after the decimal point)' };
    while (isDigit(text.charCodeAt(i))) i++;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i++;
    const s = text.charCodeAt(i);
    if (s === 0x2b || s === 0x2d) i++;
    if (!isDigit(text.charCodeAt(i)))
      return { offset: i, message: 'invalid number (expected a digit in the exponent)' };
    while (isDigit(text.charCodeAt(i))) i++;
  }
  return i;
}

/**
 * Finds the first JSON syntax error in `text` (RFC 8259 grammar).
 * @returns `null` when the text is valid JSON, else the 0-based offset and a message.
 */
export function findJsonSyntaxError(text: string): { offset: number; message: string } | null {
  const ARRAY = 0;
  const OBJECT = 1;
  const stack: number[] = [];
  type State = 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'after';
  let state: State = 'value';
  let i = 0;
  const n = text.length;
  for (;;) {
    while (i < n && isWs(text.charCodeAt(i))) i++;
    const c = i < n ? text.charCodeAt(i) : -1;
    switch (state) {
      case 'value':
      case 'valueOrClose': {
        if (c === -1)
          return {
            offset: i,
            message:
              n === 0 || i === 0 ? 'the file is empty' : 'unexpected end of the file (expected a value)',
          };
        if (state === 'valueOrClose' && c === 0x5d) {
          stack.pop();
          i++;
          state = 'after';
        } else if (c === 0x7b) {
          stack.push(OBJECT);
          i++;
          state = 'keyOrClose';
        } else if (c === 0x5b) {
          stack.push(ARRAY);
          i++;
          state = 'valueOrClose';
        } else if (c === 0x22) {
          const r = scanString(text, i);
          if (typeof r !== 'number') return r;
          i = r;
          state = 'after';
        } else if (c === 0x2d || isDigit(c)) {
          const r = scanNumber(text, i);
          if (typeof r !== 'number') return r;
          i = r;
          state = 'after';
        } else {
          const lit = ['true', 'false', 'null'].find((w) => text.startsWith(w, i));
          if (!lit) return { offset: i, message: `${unexpected(text, i)} (expected a value)` };
          i += lit.length;
          state = 'after';
        }
        break;
      }
      case 'key':
      case 'keyOrClose': {
        if (state === 'keyOrClose' && c === 0x7d) {
          stack.pop();
          i++;
          state = 'after';
        } else if (c === 0x22) {
          const r = scanString(text, i);
          if (typeof r !== 'number') return r;
          i = r;
          state = 'colon';
        } else {
          return { offset: i, message: `${unexpected(text, i)} (expected a property name in double quotes)` };
        }
        break;
      }
      case 'colon':
        if (c !== 0x3a)
          return { offset: i, message: `${unexpected(text, i)} (expected ':' after a property name)` };
        i++;
        state = 'value';
        break;
      case 'after': {
        if (stack.length === 0) {
          if (c === -1) return null;
          return { offset: i, message: `${unexpected(text, i)} after the end of the JSON value` };
        }
        const top = stack[stack.length - 1];
        const close = top === ARRAY ? 0x5d : 0x7d;
        if (c === 0x2c) {
          i++;
          state = top === ARRAY ? 'value' : 'key';
        } else if (c === close) {
          stack.pop();
          i++;
        } else {
          const want = top === ARRAY ? "',' or ']'" : "',' or '}'";
          return { offset: i, message: `${unexpected(text, i)} (expected ${want})` };
        }
        break;
      }
      default:
        state satisfies never;
    }
  }
}

/**
 * Parses JSON text into a value no deeper than `MAX_JSON_DEPTH`.
 * @throws ProjectFileError `invalid-json` (with `position`) or `too-deep`.
 */
export function parseJsonText(text: string): unknown {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const found = findJsonSyntaxError(text);
    if (found) {
      const position = positionAt(text, found.offset);
      throw new ProjectFileError(
        'invalid-json',
        `The file is not valid JSON: ${found.message} at line ${position.line}, column ${position.column}.`,
        { position, cause },
      );
    }
    // Our scanner accepts what the engine rejects (should not happen): keep the engine's words.
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new ProjectFileError('invalid-json', `The file is not valid JSON: ${detail}`, { cause });
  }
  if (jsonDepth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new ProjectFileError(
      'too-deep',
      `The file nests objects/arrays deeper than ${MAX_JSON_DEPTH} levels.`,
    );
  }
  return value;
}
