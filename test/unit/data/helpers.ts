// Shared helpers for the data tests: fixture access and small independent computations.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTable, type RawTable } from '../../../engine/data/reader';
import { DataImportError } from '../../../engine/data/problems';
import type { ReadOptions } from '../../../engine/data/types';

export const CSV_DIR = join(__dirname, '../../fixtures/csv');
export const DATA_DIR = join(__dirname, '../../fixtures/data');

export const csvBytes = (name: string): Uint8Array => readFileSync(join(CSV_DIR, name));
export const dataBytes = (name: string): Uint8Array => readFileSync(join(DATA_DIR, name));
export const readCsv = (name: string, opts: ReadOptions = {}): RawTable => readTable(csvBytes(name), opts);
export const readData = (name: string, opts: ReadOptions = {}): RawTable => readTable(dataBytes(name), opts);

/** The DataImportError thrown by fn (fails the test when nothing or something else is thrown). */
export function importError(fn: () => unknown): DataImportError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DataImportError) return e;
    throw new Error(`expected a DataImportError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected a DataImportError, nothing was thrown');
}

/** Parse a plain comma-separated numeric file (no quotes) independently of the importer. */
export function plainCsv(text: string): { header: string[]; rows: number[][] } {
  const lines = text.split('\n').filter((l) => l !== '');
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',').map(Number)) };
}

/** Column values of a raw table as numbers (NaN for non-numbers). */
export const columnValues = (t: RawTable, name: string): number[] =>
  Array.from(t.columns.find((c) => c.name === name)?.values ?? []);
