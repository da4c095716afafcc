/**
 * Reactive state of the CSV import wizard, one per window (module singleton), so the wizard keeps
 * its file and choices when the Data tab is left and reopened, and the training panel can use the
 * applied dataset. The analysis itself is the pure `analyzeCsv` (./model).
 *
 * Invariants: `analysis` always matches (`bytes`, `settings`); `applied` is the last settings object
 * handed to `onApply` (null before the first apply); no method throws for bad files.
 */
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

  markApplied(): void {
    if (!this.file) return;
    this.applied = { settings: this.settings, file: this.file };
    this.dirty = false;
  }

  #analyze(): void {
    this.analysis = this.file ? analyzeCsv(this.file.bytes, this.settings) : null;
  }
}

/** The window's wizard state. */
export const wizardState = new WizardState();
