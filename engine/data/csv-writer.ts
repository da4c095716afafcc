/**
 * Writing a table as RFC 4180 CSV (used for exports and the round-trip property tests): a field
 * is quoted when it contains the delimiter, a quote, CR or LF, or leading/trailing spaces; quotes
 * inside are doubled.
 */
export function csvField(s: string, delimiter = ','): string {
  const needs = s.includes(delimiter) || /["\r\n]/.test(s) || s !== s.trim();
  return needs ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Join rows (header first if wanted) into CSV text with the given delimiter and line ending. */
export function writeCsv(rows: readonly (readonly string[])[], delimiter = ',', newline = '\n'): string {
  return rows.map((r) => r.map((f) => csvField(f, delimiter)).join(delimiter)).join(newline) + newline;
}
