/**
 * Collecting problems without drowning the user: each problem code keeps at most `perCode`
 * entries (the first ones, in file order) and counts the rest, which are summarised in a
 * single extra problem at the end.
 *
 * Invariants: `list()` is in insertion order, then one '<code>-more' summary per capped code.
 */
import type { DataProblem, Severity } from './types';

/** Thrown when data cannot be used at all; carries every problem found so far. */
export class DataImportError extends Error {
  readonly problems: DataProblem[];
  constructor(message: string, problems: DataProblem[] = []) {
    super(message);
    this.name = 'DataImportError';
    this.problems = problems.length > 0 ? problems : [{ severity: 'error', code: 'import', message }];
  }
}

/** Raised when the caller's AbortSignal fires during a streaming import. */
export class ImportCancelledError extends Error {
  constructor() {
    super('Import cancelled');
    this.name = 'ImportCancelledError';
  }
}

/**
 * Problems of one import, kept in order but at most `perCode` (default 20) per problem code; `list()`
 * appends one summary problem `<code>-more` with the total for each code that overflowed, so a file with a
 * million bad rows reports 20 of them and the count.
 */
export class ProblemList {
  private readonly items: DataProblem[] = [];
  private readonly counts = new Map<string, { n: number; severity: Severity; sample: DataProblem }>();
  constructor(private readonly perCode = 20) {}

  add(p: DataProblem): void {
    const c = this.counts.get(p.code);
    if (c) c.n++;
    else this.counts.set(p.code, { n: 1, severity: p.severity, sample: p });
    if ((c?.n ?? 1) <= this.perCode) this.items.push(p);
  }

  addAll(ps: readonly DataProblem[]): void {
    for (const p of ps) this.add(p);
  }

  hasErrors(): boolean {
    for (const c of this.counts.values()) if (c.severity === 'error') return true;
    return false;
  }

  /** Total number of problems with this code (including the ones not kept). */
  count(code: string): number {
    return this.counts.get(code)?.n ?? 0;
  }

  list(): DataProblem[] {
    const out = [...this.items];
    for (const [code, c] of this.counts) {
      if (c.n > this.perCode) {
        out.push({
          severity: c.severity,
          code: `${code}-more`,
          message: `${countOf(c.n - this.perCode, 'more problem')} like "${c.sample.message}" ${c.n - this.perCode === 1 ? 'is' : 'are'} not listed (${c.n} in total).`,
        });
      }
    }
    return out;
  }
}

/** "line 12, row 11, column 'age'" — the place of a problem, for messages. */
export function placeOf(p: Pick<DataProblem, 'line' | 'row' | 'column'>): string {
  const parts: string[] = [];
  if (p.line !== undefined) parts.push(`line ${p.line}`);
  if (p.row !== undefined) parts.push(`row ${p.row}`);
  if (p.column !== undefined) parts.push(`column '${p.column}'`);
  return parts.join(', ');
}

/** "1 field", "4 fields": a count with its noun in the right number (`plural` defaults to noun + 's'). */
export function countOf(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
