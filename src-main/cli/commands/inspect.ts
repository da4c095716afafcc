/**
 * `netloom inspect <file.csv> [--json]`: what an import with default settings would do —
 * detected encoding, delimiter, decimal separator, header; row and column counts; per column
 * type, missing count and statistics or categories; the inferred task for the target (the last
 * column unless --target); every problem with severity, line, row and column.
 * Exit 0 when the file is usable, 2 when it is not.
 */
import { inspectFailure, inspectTable, type InspectReport } from '../../../engine/data/inspect';
import { readTableFile } from '../read-file';
import type { ReadOptions } from '../../../engine/data/types';
import { UsageError, type CliCommand, type CliIo } from '../command';

const usage = `Usage: netloom inspect <file.csv> [options]

Shows what Netloom's import would do with this file.

Options:
  --json                 print one JSON object (format documented in docs/data-import.md)
  --delimiter <d>        comma | semicolon | tab | pipe | , | ; | "|"   (default: detect)
  --decimal <s>          . | ,                                       (default: detect)
  --header / --no-header first row is / is not a header              (default: detect)
  --encoding <e>         utf-8 | utf-16le | utf-16be | windows-1252  (default: detect)
  --target <name>        target column (repeatable; default: the last column)

Exit code: 0 when the file is usable, 2 when it is not (problems are listed).`;

const DELIMS: Record<string, ReadOptions['delimiter']> = {
  comma: ',',
  ',': ',',
  semicolon: ';',
  ';': ';',
  tab: '\t',
  '\\t': '\t',
  '\t': '\t',
  pipe: '|',
  '|': '|',
};

function parseArgs(args: string[]): { file: string; json: boolean; read: ReadOptions; targets: string[] } {
  let file: string | null = null;
  let json = false;
  const read: ReadOptions = {};
  const targets: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): string => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value.`);
      return v;
    };
    if (a === '--json') json = true;
    else if (a === '--header') read.header = true;
    else if (a === '--no-header') read.header = false;
    else if (a === '--delimiter') {
      const v = value();
      const d = DELIMS[v];
      if (!d) throw new UsageError(`unknown delimiter '${v}'; use comma, semicolon, tab or pipe.`);
      read.delimiter = d;
    } else if (a === '--decimal') {
      const v = value();
      if (v !== '.' && v !== ',') throw new UsageError(`decimal separator must be . or , (got '${v}').`);
      read.decimal = v;
    } else if (a === '--encoding') {
      const v = value().toLowerCase();
      if (!['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'].includes(v)) {
        throw new UsageError(`unknown encoding '${v}'; use utf-8, utf-16le, utf-16be or windows-1252.`);
      }
      read.encoding = v as ReadOptions['encoding'];
    } else if (a === '--target') targets.push(value());
    else if (a.startsWith('-')) throw new UsageError(`unknown option '${a}'.`);
    else if (file === null) file = a;
    else throw new UsageError(`only one file can be inspected (got '${file}' and '${a}').`);
  }
  if (file === null) throw new UsageError('no file given.');
  return { file, json, read, targets };
}

const fmt = (v: number | null): string =>
  v === null ? '' : Number.isInteger(v) ? String(v) : v.toPrecision(6).replace(/\.?0+$/, '');
const DELIM_NAMES: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

function table(rows: string[][]): string[] {
  const w = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  return rows.map((r) =>
    r
      .map((c, j) => c.padEnd(w[j]))
      .join('  ')
      .trimEnd(),
  );
}

/**
 * A cell or column name as one visible line: control characters (a newline inside a quoted header
 * field, a tab) are written as escapes so that they cannot break the table.
 */
function visible(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

/** Human-readable rendering of an inspect report. */
export function renderReport(r: InspectReport): string {
  const out: string[] = [`File: ${r.file ?? '(input)'}`];
  if (r.encoding !== null) {
    out.push(
      `Encoding: ${r.encoding}${r.bom ? ' (with BOM)' : ''}; delimiter: ${DELIM_NAMES[r.delimiter as string]}; decimal separator: '${r.decimal}'; ` +
        `header: ${r.header ? 'yes' : 'no'}; line endings: ${r.lineEnding}`,
    );
    out.push(
      `Rows: ${r.rows}; columns: ${r.columnCount}${r.rowsUsed !== null && r.rowsUsed !== r.rows ? `; rows usable: ${r.rowsUsed}` : ''}`,
    );
    out.push('');
    const rows = [
      ['#', 'column', 'type', 'role', 'missing', 'unique', 'min', 'max', 'mean', 'std / categories'],
    ];
    r.columns.forEach((c, j) =>
      rows.push([
        String(j + 1),
        visible(c.name),
        c.type,
        c.role,
        String(c.missing),
        `${c.uniqueCapped ? '≥' : ''}${c.unique}`,
        fmt(c.min),
        fmt(c.max),
        fmt(c.mean),
        c.type === 'numeric'
          ? fmt(c.std)
          : c.categories
              .slice(0, 5)
              .map((k) => `${visible(k.value)} (${k.count})`)
              .join(', ') + (c.unique > 5 ? ', …' : ''),
      ]),
    );
    out.push(...table(rows));
    out.push('');
  }
  if (r.target) {
    out.push(`Target: ${r.target.columns.map(visible).join(', ')} → ${r.target.task} (${r.target.reason})`);
    if (r.target.classes) {
      out.push(
        `Classes (rows in file; rows in the training split and the suggested class weight n/(K·n_c) from ` +
          `the training split): ${r.target.classes
            .map(
              (c) => `${visible(c.label)} (${c.count}; train ${c.trainCount}, weight ${c.weight.toFixed(3)})`,
            )
            .join('; ')}`,
      );
    }
  }
  if (r.problems.length === 0) out.push('Problems: none');
  else {
    out.push(`Problems (${r.problems.length}):`);
    for (const p of r.problems) {
      const where = [
        p.line !== undefined ? `line ${p.line}` : '',
        p.row !== undefined ? `row ${p.row}` : '',
        p.column !== undefined ? `column '${visible(p.column)}'` : '',
      ]
        .filter(Boolean)
        .join(', ');
      out.push(`  ${p.severity.toUpperCase()}${where ? ` [${where}]` : ''}: ${p.message}`);
    }
  }
  out.push(r.usable ? 'Usable: yes' : 'Usable: NO — fix the errors above.');
  return out.join('\n');
}

/**
 * A forced --delimiter that leaves one column per line is most likely the wrong one: when
 * detection splits the file into more columns, say which delimiter it found and what to type.
 */
async function hintDetectedDelimiter(report: InspectReport, file: string, read: ReadOptions): Promise<void> {
  let detected: InspectReport;
  try {
    detected = inspectTable(await readTableFile(file, { ...read, delimiter: undefined }), file, {});
  } catch {
    return;
  }
  const d = detected.delimiter as string;
  if (detected.columnCount < 2 || d === read.delimiter) return;
  report.problems.push({
    severity: 'warning',
    code: 'delimiter-override',
    message:
      `with --delimiter ${DELIM_NAMES[read.delimiter as string]} every line is one column, but the file ` +
      `splits into ${detected.columnCount} columns on ${DELIM_NAMES[d]}. ` +
      `Drop --delimiter (detection finds it) or use --delimiter ${DELIM_NAMES[d]}.`,
  });
}

export const command: CliCommand = {
  name: 'inspect',
  summary: 'show what importing a CSV file would do (types, target, problems)',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { file, json, read, targets } = parseArgs(args);
    let report: InspectReport;
    try {
      const t = await readTableFile(file, read);
      report = inspectTable(t, file, targets.length ? { targets } : {});
      if (read.delimiter !== undefined && report.columnCount === 1) {
        await hintDetectedDelimiter(report, file, read);
      }
    } catch (e) {
      report = inspectFailure(e, file);
    }
    io.out(json ? JSON.stringify(report, null, 2) : renderReport(report));
    return report.usable ? 0 : 2;
  },
};
