/**
 * Reactive state of the CSV import wizard, one per window (module singleton), so the wizard keeps
 * its file and choices when the Data tab is left and reopened, and the training panel can use the
 * applied dataset. The analysis itself is the pure `analyzeCsv` (./model).
 *
 * Analysis runs in a Web Worker (./analyze.worker.ts) when the platform has workers, else inline.
 * Invariants: `analysis` is the result for the latest (`file`, `settings`) once `analyzing` is false
 * (older replies are dropped by sequence number); `applied` is the last settings object handed to
 * `onApply` (null before the first apply); no method throws for bad files.
 */
import type { NetloomHost } from '../host/host';
import { analyzeCsv, defaultImportSettings, type CsvAnalysis, type ImportSettings } from './model';

export interface WizardFile {
  name: string;
  bytes: Uint8Array;
}

export class WizardState {
  file = $state.raw<WizardFile | null>(null);
  settings = $state.raw<ImportSettings>(defaultImportSettings());
  analysis = $state.raw<CsvAnalysis | null>(null);
  applied = $state.raw<{ settings: ImportSettings; file: WizardFile } | null>(null);
  /** Set when the settings changed since the last apply. */
  dirty = $state(false);
  /** True while a re-analysis is pending in the worker. */
  analyzing = $state(false);

  #worker: Worker | null = null;
  #seq = 0;

  #attached = false;

  /**
   * Follow files dropped on the window (once per window; the subscription lives as long as the
   * window, like this state). The app also loads a dropped file as its dataset.
   */
  attach(host: Pick<NetloomHost, 'onDroppedData'>): void {
    if (this.#attached) return;
    this.#attached = true;
    host.onDroppedData((d) => this.load({ name: d.file.name, bytes: d.bytes }));
  }

  /** A new file: keep the user's read/prepare choices only when reopening the same file name. */
  load(file: WizardFile, settings?: ImportSettings): void {
    this.file = file;
    const keep =
      settings ?? (this.settings.file === file.name ? this.settings : defaultImportSettings(file.name));
    this.settings = { ...keep, file: file.name };
    this.#analyze();
    this.dirty = true;
  }

  update(settings: ImportSettings): void {
    this.settings = settings;
    this.#analyze();
    this.dirty = true;
  }

  /** Another project was opened: nothing is applied until its CSV is loaded or the user applies one. */
  clearApplied(): void {
    this.applied = null;
  }

  markApplied(): void {
    if (!this.file) return;
    this.applied = { settings: this.settings, file: this.file };
    this.dirty = false;
  }

  #analyze(): void {
    const file = this.file;
    if (!file) {
      this.analysis = null;
      return;
    }
    const seq = ++this.#seq;
    const worker = this.#ensureWorker();
    if (!worker) {
      this.analysis = analyzeCsv(file.bytes, this.settings);
      return;
    }
    this.analyzing = true;
    // Settings are plain data (model invariant); snapshot them for structured cloning.
    worker.postMessage({ type: 'analyze', seq, settings: JSON.parse(JSON.stringify(this.settings)) });
  }

  #sentFile: WizardFile | null = null;

  #ensureWorker(): Worker | null {
    if (typeof Worker === 'undefined') return null;
    if (!this.#worker) {
      try {
        // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a one-off URL for the bundler, not state
        this.#worker = new Worker(new URL('./analyze.worker.ts', import.meta.url), { type: 'module' });
      } catch {
        return null;
      }
      this.#worker.onmessage = (e: MessageEvent<{ seq: number; analysis: CsvAnalysis }>) => {
        if (e.data.seq !== this.#seq) return;
        this.analysis = e.data.analysis;
        this.analyzing = false;
      };
      this.#worker.onerror = () => {
        // A worker that cannot start (e.g. blocked by policy): fall back to analysing inline.
        this.#worker?.terminate();
        this.#worker = null;
        this.#sentFile = null;
        this.analyzing = false;
        if (this.file) this.analysis = analyzeCsv(this.file.bytes, this.settings);
      };
    }
    if (this.#sentFile !== this.file && this.file) {
      this.#worker.postMessage({ type: 'load', bytes: this.file.bytes });
      this.#sentFile = this.file;
    }
    return this.#worker;
  }
}

/** The window's wizard state. */
export const wizardState = new WizardState();
