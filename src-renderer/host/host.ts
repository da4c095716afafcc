/**
 * The host interface: everything the renderer needs from the world outside the page — files,
 * dialogs, the trainer, the application menu. The renderer talks only to this interface
 * (obtained with `getHost()` from './index'); it never imports Electron or Node.
 *
 * Two implementations:
 * - `electron.ts`: the preload's `window.netloom` API (contextBridge → IPC → main process,
 *   trainer in an Electron utilityProcess, native dialogs and menu).
 * - `browser.ts`: the web edition (trainer in a Web Worker, files through file inputs,
 *   drag-and-drop and downloads, menu commands from keyboard shortcuts).
 *
 * This file holds types only (no DOM, no Node), so the main process can share them.
 */

import type { BackendChoice, BackendInfo, RunEvent, RunOptions } from '../../engine/session/protocol';

export type { BackendChoice, BackendInfo, RunEvent, RunOptions };

/**
 * A file the user chose or opened. `id` is an opaque token minted by the host (Electron: a
 * grant for one path; browser: an in-memory handle); the renderer passes it back to save or
 * re-read the file. `path` is for display only and absent in the browser.
 */
export interface FileRef {
  id: string;
  name: string;
  path?: string;
}

/** A text file that was opened (a project). */
export interface OpenedText {
  file: FileRef;
  text: string;
}

/** A binary file that was read (a CSV). `bytes` is the whole file. */
export interface OpenedBytes {
  file: FileRef;
  bytes: Uint8Array;
}

/** An entry of the recent-projects list, newest first. */
export interface RecentProject {
  file: FileRef;
  /** ISO 8601 time it was last opened or saved. */
  openedAt: string;
}

/** What to export: the bytes and a suggested file name with extension. */
export interface ExportRequest {
  suggestedName: string;
  bytes: Uint8Array;
  /** Dialog filter label, e.g. 'ONNX model'. The extension is taken from suggestedName. */
  filterName: string;
}

/** Training data for a run: a file the host granted, or bytes the renderer already holds. */
export type RunData = { kind: 'file'; file: FileRef } | { kind: 'bytes'; name: string; bytes: Uint8Array };

/** Parameters of `startRun`. `project` is the parsed `.netloom.json` document. */
export interface StartRunRequest {
  project: unknown;
  data: RunData;
  options: RunOptions;
}

/** Result of the trainer handshake. */
export interface TrainerInfo {
  protocol: number;
  trainerVersion: string;
  runtime: string;
  backends: BackendInfo[];
}

/**
 * Commands of the application menu (Electron) or keyboard shortcuts (browser). The renderer
 * executes them; where focus is in a text field it should let 'edit.*' act on the text.
 */
export type MenuCommand =
  | 'file.new'
  | 'file.open'
  | 'file.save'
  | 'file.saveAs'
  | 'file.export'
  | 'edit.undo'
  | 'edit.redo'
  | 'edit.delete'
  | 'edit.selectAll'
  | 'view.zoomIn'
  | 'view.zoomOut'
  | 'view.zoomReset'
  | 'view.fit'
  | 'view.togglePalette'
  | 'view.toggleInspector'
  | 'view.toggleBottomPanel'
  | 'help.about'
  | 'help.userGuide';

/** All menu commands, in menu order (for tests and command palettes). */
export const MENU_COMMANDS: readonly MenuCommand[] = [
  'file.new',
  'file.open',
  'file.save',
  'file.saveAs',
  'file.export',
  'edit.undo',
  'edit.redo',
  'edit.delete',
  'edit.selectAll',
  'view.zoomIn',
  'view.zoomOut',
  'view.zoomReset',
  'view.fit',
  'view.togglePalette',
  'view.toggleInspector',
  'view.toggleBottomPanel',
  'help.about',
  'help.userGuide',
];

/** Removes a listener. */
export type Unsubscribe = () => void;

export interface NetloomHost {
  /** Which implementation this is. */
  readonly kind: 'electron' | 'browser';
  /** App version (package.json). */
  readonly appVersion: string;

  // --- projects -----------------------------------------------------------------------------
  /** Shows an open dialog for `.netloom.json`; null when cancelled. */
  openProject(): Promise<OpenedText | null>;
  /** Reopens a recent project; throws Error with a message naming the file when it is gone. */
  openRecent(file: FileRef): Promise<OpenedText>;
  /**
   * Saves project text. With `file`, overwrites that file (atomically in Electron; the browser
   * downloads again); without, asks where (Save As). Returns the saved file, or null when
   * the user cancelled.
   */
  saveProject(text: string, file: FileRef | null, suggestedName?: string): Promise<FileRef | null>;
  /** Recent projects, newest first (at most 10). */
  recentProjects(): Promise<RecentProject[]>;

  // --- data ---------------------------------------------------------------------------------
  /** Lets the user choose a CSV/TSV file and reads it; null when cancelled. */
  chooseCsv(): Promise<OpenedBytes | null>;
  /** Data files dropped onto the window (CSV/TSV/TXT). Dropped projects arrive as open requests. */
  onDroppedData(listener: (data: OpenedBytes) => void): Unsubscribe;
  /**
   * Reads the dataset a project refers to by a path relative to the project file. Returns null
   * when it is missing or the host cannot resolve paths (browser) — then ask the user.
   */
  readRelative(project: FileRef, relativePath: string): Promise<OpenedBytes | null>;

  // --- export -------------------------------------------------------------------------------
  /** Saves exported bytes where the user says (browser: a download). Null when cancelled. */
  exportFile(request: ExportRequest): Promise<FileRef | null>;

  // --- training -----------------------------------------------------------------------------
  /** Handshake with a (fresh) trainer: versions and available backends. */
  trainerInfo(): Promise<TrainerInfo>;
  /** Starts a run in its own trainer; resolves with the runId once the trainer accepted it. */
  startRun(request: StartRunRequest): Promise<{ runId: string }>;
  pauseRun(runId: string): Promise<void>;
  resumeRun(runId: string): Promise<void>;
  /** Runs one batch of a paused run. */
  stepRun(runId: string): Promise<void>;
  /** Stops a run; its trainer is ended. A `stopped` event follows (or `crashed` if it died). */
  stopRun(runId: string): Promise<void>;
  /** Subscribes to events of all runs (filter by `runId`). */
  onRunEvent(listener: (event: RunEvent) => void): Unsubscribe;

  // --- window and menu ----------------------------------------------------------------------
  /** Menu commands (Electron menu, browser keyboard shortcuts). */
  onMenuCommand(listener: (command: MenuCommand) => void): Unsubscribe;
  /**
   * Projects the OS asks the app to open (double-click on a `.netloom.json`, command line,
   * Open Recent). Files requested before the first subscription are delivered on subscribe.
   */
  onOpenRequest(listener: (project: OpenedText) => void): Unsubscribe;
  /** Window title and unsaved-changes marker (macOS dot, '•' in the title elsewhere). */
  setDocumentState(state: { title: string; edited: boolean }): void;
}
