/**
 * Web Worker of the import wizard: holds the chosen file's bytes and re-analyses them for each
 * settings change (./model analyzeCsv), so parsing a large CSV never blocks the window.
 * Messages in: {type:'load', bytes} once per file, then {type:'analyze', seq, settings}.
 * Message out: {seq, analysis} — the caller keeps only the reply to its latest seq.
 */
import { analyzeCsv, type ImportSettings } from './model';

type In = { type: 'load'; bytes: Uint8Array } | { type: 'analyze'; seq: number; settings: ImportSettings };

const scope = self as unknown as {
  onmessage: ((e: { data: In }) => void) | null;
  postMessage(m: unknown): void;
};
let bytes: Uint8Array = new Uint8Array(0);

scope.onmessage = (e) => {
  const m = e.data;
  if (m.type === 'load') bytes = m.bytes;
  else scope.postMessage({ seq: m.seq, analysis: analyzeCsv(bytes, m.settings) });
};
