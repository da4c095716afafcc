/**
 * Reading a delimited-text file into columns, incrementally: bytes arrive in chunks, are decoded,
 * cut at the last record boundary (a line break outside quotes), and each complete piece is parsed
 * by PapaParse with the detected dialect. Memory stays bounded by the chunk size plus the column
 * arrays; progress is reported per chunk and a cancel signal is honoured between chunks.
 *
 * Invariants: line numbers are 1-based physical lines (a quoted field spanning k line breaks moves
 * the count by k); blank lines (also whitespace-only ones) are skipped, interior ones reported as
 * info; every kept data row
 * has exactly the header's number of fields, others are reported (error, or warning when
 * `badRows: 'skip'`).
 */
import Papa from 'papaparse';
import { ColumnAccumulator, uniqueNames, type RawColumn } from './columns';
import {
  ChunkDecoder,
  SNIFF_BYTES,
  detectEncoding,
  detectEncodingWhole,
  refuseNonTabularText,
} from './decode';
import { DataImportError, ImportCancelledError, ProblemList, countOf } from './problems';
import {
  delimiterName,
  detectDecimal,
  detectDelimiter,
  detectHeader,
  detectNewline,
  sampleRecords,
} from './sniff';
import {
  DEFAULT_MISSING_TOKENS,
  type DataProblem,
  type Delimiter,
  type Dialect,
  type ReadOptions,
} from './types';

/** A table as read from a file: untyped columns plus what was detected and found. */
export interface RawTable {
  dialect: Dialect;
  columns: RawColumn[];
  rowCount: number;
  /** File line (1-based) of each data row. */
  lines: Int32Array;
  problems: DataProblem[];
  /** Bytes read (after nothing is skipped; includes the BOM). */
  bytes: number;
  missingTokens: string[];
}

export interface ReadProgress {
  bytesRead: number;
  /** Total size when known (for a percentage). */
  totalBytes?: number;
  rows: number;
}

/** Anything with an `aborted` flag, e.g. an AbortSignal. */
export interface CancelSignal {
  readonly aborted: boolean;
}

export interface ReadHooks {
  onProgress?: (p: ReadProgress) => void;
  signal?: CancelSignal;
  totalBytes?: number;
}

const CHUNK = 1 << 20;

/** Count line breaks (CRLF, CR or LF each count once) inside a field. */
function countBreaks(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13) {
      n++;
      if (s.charCodeAt(i + 1) === 10) i++;
    }
  }
  return n;
}

/** The incremental reader behind `readTable` and `readTableStream`. */
class TableReader {
  private decoder: ChunkDecoder | null = null;
  private bomPending = 0;
  private head: Uint8Array[] = [];
  private headBytes = 0;
  private dialect: Dialect | null = null;
  private sepHint: Delimiter | null = null;
  private trailingNoted = false;
  private text = '';
  private scanned = 0;
  private inQuotes = false;
  private lastCut = -1;
  private line = 1;
  private rows = 0;
  private width = 0;
  private headerDone = false;
  private columns: ColumnAccumulator[] = [];
  private lineOfRow = new Int32Array(1024);
  private pendingBlank: number[] = [];
  private readonly problems = new ProblemList();
  private readonly missing: ReadonlySet<string>;
  bytes = 0;

  /** @param totalBytes file size when known, to size the column arrays once (fewer copies, less GC). */
  constructor(
    private readonly opts: ReadOptions,
    private readonly totalBytes?: number,
  ) {
    this.missing = new Set(opts.missingTokens ?? DEFAULT_MISSING_TOKENS);
  }

  get rowCount(): number {
    return this.rows;
  }

  pushBytes(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    if (!this.decoder) {
      // Hold bytes until there are enough to detect the encoding.
      this.head.push(chunk);
      this.headBytes += chunk.length;
      if (this.headBytes < SNIFF_BYTES) return;
      this.startDecoding();
      return;
    }
    this.pushText(this.decoder.decode(chunk), false);
  }

  private startDecoding(): void {
    const all = new Uint8Array(this.headBytes);
    let o = 0;
    for (const h of this.head) {
      all.set(h, o);
      o += h.length;
    }
    this.head = [];
    const enc = detectEncoding(all, this.opts.encoding ?? 'auto');
    this.decoder = new ChunkDecoder(enc.encoding);
    this.bomPending = enc.bomLength;
    this.pushText(this.decoder.decode(all.subarray(enc.bomLength)), false);
  }

  end(): RawTable {
    if (!this.decoder) {
      if (this.headBytes === 0)
        throw new DataImportError('The file is empty (0 bytes). Choose a CSV file that has data.');
      this.startDecoding();
    }
    this.pushText((this.decoder as ChunkDecoder).end(), true);
    return this.finish();
  }

  private pushText(s: string, final: boolean): void {
    this.text += s;
    if (!this.dialect) {
      if (this.text.length < SNIFF_BYTES && !final) return;
      this.skipSepLine();
      this.sniff(final);
    }
    const d = this.dialect as Dialect;
    this.scan(d);
    let piece: string;
    if (final) {
      piece = this.text;
      // The file's final line break ends the last record; it does not start an empty one.
      if (!this.inQuotes && piece.endsWith(d.newline)) piece = piece.slice(0, -d.newline.length);
      this.text = '';
    } else {
      if (this.lastCut < 0) return;
      piece = this.text.slice(0, this.lastCut);
      this.text = this.text.slice(this.lastCut + d.newline.length);
      this.scanned = this.text.length;
      this.lastCut = -1;
    }
    this.parsePiece(piece, d, final);
  }

  /** Advance the quote-parity scan, remembering the last line break outside quotes. */
  private scan(d: Dialect): void {
    const t = this.text;
    const nl = d.newline;
    const nlCode = nl === '\r' ? 13 : 10;
    if (!this.inQuotes && t.indexOf('"', this.scanned) < 0) {
      const k = t.lastIndexOf(nl);
      if (k >= this.scanned - (nl.length - 1) && k >= 0) this.lastCut = k;
      this.scanned = t.length;
      return;
    }
    for (let i = this.scanned; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c === 34) this.inQuotes = !this.inQuotes;
      else if (c === nlCode && !this.inQuotes) {
        if (nl === '\r\n') {
          if (i > 0 && t.charCodeAt(i - 1) === 13) this.lastCut = i - 1;
        } else this.lastCut = i;
      }
    }
    this.scanned = t.length;
  }

  /** Excel's "sep=;" first line names the delimiter; it is not part of the table. */
  private skipSepLine(): void {
    const m = /^sep=([,;\t|])(\r\n|\n|\r)/.exec(this.text);
    if (!m) return;
    this.sepHint = m[1] as Delimiter;
    this.text = this.text.slice(m[0].length);
    this.line = 2;
  }

  private sniff(final: boolean): void {
    const o = this.opts;
    const sample = this.text.slice(0, SNIFF_BYTES * 2);
    if (sample.trim() === '') {
      if (final) throw new DataImportError('The file is empty: it has no text, only blank lines or spaces.');
    }
    refuseNonTabularText(sample);
    const complete = final && sample.length === this.text.length;
    const newline = detectNewline(sample);
    const delimiter =
      o.delimiter && o.delimiter !== 'auto' ? o.delimiter : detectDelimiter(sample, newline, complete);
    const rows = sampleRecords(sample, delimiter, newline, complete);
    const decimal = o.decimal && o.decimal !== 'auto' ? o.decimal : detectDecimal(rows, delimiter);
    if (decimal === ',' && delimiter === ',') {
      this.problems.add({
        severity: 'warning',
        code: 'decimal-comma-delimiter',
        message:
          'Decimal comma with comma delimiter: only quoted fields can hold decimals. Check the settings.',
      });
    }
    const header =
      o.header !== undefined && o.header !== 'auto'
        ? o.header
        : detectHeader(rows, decimal, (s) => this.missing.has(s));
    this.dialect = {
      encoding: (this.decoder as ChunkDecoder).encoding,
      bom: this.bomPending > 0,
      delimiter,
      decimal,
      header,
      newline,
    };
    if (!header) this.width = rows.length > 0 ? modalWidth(rows) : 0;
  }

  private parsePiece(piece: string, d: Dialect, final: boolean): void {
    const hasQuotes = piece.includes('"');
    const res = Papa.parse<string[]>(piece, { delimiter: d.delimiter, newline: d.newline, quoteChar: '"' });
    // An empty piece between two line breaks is one blank line.
    const data = piece === '' && !final ? [['']] : res.data;
    const lineOf = hasQuotes || res.errors.length > 0 ? new Int32Array(data.length) : null;
    let line = this.line;
    for (let r = 0; r < data.length; r++) {
      const fields = data[r];
      if (lineOf) lineOf[r] = line;
      const rowLine = line;
      if (hasQuotes) {
        let extra = 0;
        for (const f of fields)
          if (f.length > 0 && (f.includes('\n') || f.includes('\r'))) extra += countBreaks(f);
        line += 1 + extra;
      } else line += 1;
      // Papa returns one empty record for an empty piece or a final trailing line break.
      if (fields.length === 1 && fields[0].trim() === '') {
        this.pendingBlank.push(rowLine);
        continue;
      }
      if (!this.headerDone) {
        this.startColumns(d, fields, rowLine, piece.length / Math.max(1, data.length));
        if (d.header) continue;
      }
      this.flushBlanks();
      // Some exports end every data line with a delimiter: one extra, empty last field is tolerated.
      if (fields.length === this.width + 1 && fields[this.width].trim() === '') {
        if (!this.trailingNoted) {
          this.trailingNoted = true;
          this.problems.add({
            severity: 'info',
            code: 'trailing-delimiter',
            message: `Line ${rowLine} ends with an extra delimiter; the empty last field is ignored (here and on similar lines).`,
            line: rowLine,
          });
        }
        fields.length = this.width;
      }
      if (fields.length !== this.width) {
        const skip = this.opts.badRows === 'skip';
        this.problems.add({
          severity: skip ? 'warning' : 'error',
          code: 'field-count',
          message:
            `Line ${rowLine}: expected ${countOf(this.width, 'field')} but found ${fields.length}` +
            (skip
              ? '; the row was skipped.'
              : `. Check the delimiter (${delimiterName(d.delimiter)}) and quotes on that line, or choose to skip such rows.`),
          line: rowLine,
        });
        continue;
      }
      const row = ++this.rows;
      if (row > this.lineOfRow.length) {
        const g = new Int32Array(this.lineOfRow.length * 2);
        g.set(this.lineOfRow);
        this.lineOfRow = g;
      }
      this.lineOfRow[row - 1] = rowLine;
      const cols = this.columns;
      for (let j = 0; j < cols.length; j++) cols[j].push(fields[j], row, rowLine);
    }
    this.line = line;
    for (const e of res.errors) {
      const l = lineOf && e.row !== undefined && e.row < lineOf.length ? lineOf[e.row] : undefined;
      this.problems.add({
        severity: 'error',
        code: e.code === 'MissingQuotes' ? 'unterminated-quote' : 'invalid-quote',
        message:
          e.code === 'MissingQuotes'
            ? `${l !== undefined ? `Line ${l}: ` : ''}a quoted field is never closed (a " without its closing "). Fix the quotes in the file.`
            : `${l !== undefined ? `Line ${l}: ` : ''}malformed quotes: ${e.message}. A " inside a quoted field must be written "".`,
        ...(l !== undefined ? { line: l } : {}),
      });
    }
  }

  private flushBlanks(): void {
    for (const l of this.pendingBlank) {
      this.problems.add({
        severity: 'info',
        code: 'blank-line',
        message: `Line ${l} is blank and was skipped.`,
        line: l,
      });
    }
    this.pendingBlank = [];
  }

  private startColumns(d: Dialect, first: string[], line: number, charsPerRecord: number): void {
    this.headerDone = true;
    this.flushBlanks();
    let names: string[];
    let changed = new Map<number, string>();
    if (d.header) {
      ({ names, changed } = uniqueNames(first));
      this.width = first.length;
    } else {
      if (this.width === 0) this.width = first.length;
      names = Array.from({ length: this.width }, (_, j) => `column_${j + 1}`);
    }
    // Expected rows: file size / bytes per record (+5 %); arrays still grow if the guess is short.
    const bytesPerChar = d.encoding.startsWith('utf-16') ? 2 : 1;
    const estimate =
      this.totalBytes !== undefined
        ? Math.min(
            1 << 26,
            Math.ceil((1.05 * this.totalBytes) / (bytesPerChar * Math.max(1, charsPerRecord))) + 16,
          )
        : 1 << 16;
    this.columns = names.map(
      (n, j) => new ColumnAccumulator(n, j, d.decimal, this.missing, estimate, changed.get(j)),
    );
    for (const [j, orig] of changed) {
      this.problems.add({
        severity: 'warning',
        code: 'column-renamed',
        message:
          orig.trim() === ''
            ? `Column ${j + 1} has no name in the header (line ${line}); it is called '${names[j]}'.`
            : `Column name '${orig.trim()}' appears more than once; column ${j + 1} is called '${names[j]}'.`,
        line,
        column: names[j],
        columnIndex: j,
      });
    }
  }

  private finish(): RawTable {
    const d = this.dialect as Dialect;
    if (!this.headerDone)
      throw new DataImportError('The file is empty: it has no text, only blank lines or spaces.');
    if (this.rows === 0 && this.problems.count('field-count') === 0) {
      // A quote left open in the header swallows the rest of the file: report the quote, not
      // the (resulting) absence of data rows.
      const quote = this.problems
        .list()
        .find((p) => p.code === 'unterminated-quote' || p.code === 'invalid-quote');
      if (quote) throw new DataImportError(quote.message, this.problems.list());
      throw new DataImportError(
        d.header
          ? 'The file has a header row but no data rows. Add data rows below the header.'
          : 'The file has no data rows.',
      );
    }
    const columns = this.columns.map((c) => c.finish());
    for (const c of columns) {
      for (const ref of c.firstNonFinite) {
        this.problems.add({
          severity: 'error',
          code: 'non-finite',
          message: `Line ${ref.line}, row ${ref.row}, column '${c.name}': '${ref.text}' is infinite or outside the float32 range (±3.4e38). Correct the value, mark it missing, or set the column's role to ignore.`,
          line: ref.line,
          row: ref.row,
          column: c.name,
          columnIndex: c.index,
        });
      }
      if (c.nonFiniteCount > c.firstNonFinite.length) {
        this.problems.add({
          severity: 'error',
          code: 'non-finite-more',
          message: `Column '${c.name}' has ${c.nonFiniteCount} infinite or out-of-range values in all.`,
          column: c.name,
          columnIndex: c.index,
        });
      }
    }
    return {
      dialect: d,
      columns,
      rowCount: this.rows,
      lines: this.lineOfRow.slice(0, this.rows),
      problems: this.problems.list(),
      bytes: this.bytes,
      missingTokens: [...this.missing],
    };
  }
}

function modalWidth(rows: string[][]): number {
  const m = new Map<number, number>();
  for (const r of rows) m.set(r.length, (m.get(r.length) ?? 0) + 1);
  let best = rows[0].length;
  let bn = 0;
  for (const [w, n] of m) if (n > bn) [best, bn] = [w, n];
  return best;
}

function toBytes(input: Uint8Array | ArrayBuffer | string): Uint8Array {
  if (typeof input === 'string') {
    const enc = (globalThis as unknown as { TextEncoder: new () => { encode(s: string): Uint8Array } })
      .TextEncoder;
    return new enc().encode(input);
  }
  return input instanceof Uint8Array ? input : new Uint8Array(input);
}

/**
 * Read a whole file held in memory.
 * @param input the file's bytes (a string is encoded as UTF-8 first)
 * @throws DataImportError when the file is empty, header-only, not delimited text, or not decodable.
 *   Row-level problems (field counts, quotes, non-finite values) are returned in `problems`.
 */
export function readTable(input: Uint8Array | ArrayBuffer | string, opts: ReadOptions = {}): RawTable {
  const bytes = toBytes(input);
  const o = (opts.encoding ?? 'auto') === 'auto' ? { ...opts, encoding: detectEncodingWhole(bytes) } : opts;
  const reader = new TableReader(o, bytes.length);
  for (let o = 0; o < bytes.length; o += CHUNK)
    reader.pushBytes(bytes.subarray(o, Math.min(bytes.length, o + CHUNK)));
  return reader.end();
}

/**
 * Read a file arriving as chunks (e.g. a Node read stream or a browser ReadableStream).
 * @param hooks onProgress after each chunk; signal checked between chunks (throws ImportCancelledError).
 */
export async function readTableStream(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  opts: ReadOptions = {},
  hooks: ReadHooks = {},
): Promise<RawTable> {
  const reader = new TableReader(opts, hooks.totalBytes);
  for await (const chunk of chunks) {
    if (hooks.signal?.aborted) throw new ImportCancelledError();
    for (let o = 0; o < chunk.length; o += CHUNK)
      reader.pushBytes(chunk.subarray(o, Math.min(chunk.length, o + CHUNK)));
    hooks.onProgress?.({
      bytesRead: reader.bytes,
      ...(hooks.totalBytes !== undefined ? { totalBytes: hooks.totalBytes } : {}),
      rows: reader.rowCount,
    });
  }
  if (hooks.signal?.aborted) throw new ImportCancelledError();
  return reader.end();
}
