/**
 * The host of the web edition: trainer in a Web Worker (one per run, through the same
 * supervisor as the desktop app), files through file inputs, drag-and-drop and downloads,
 * menu commands from keyboard shortcuts.
 *
 * Limits of the browser (by design, no File System Access API): "Save" downloads the project
 * again; recent projects and project-relative datasets cannot be reopened without the user
 * choosing the file.
 */

import { version } from '../../package.json';
import { TrainerSupervisor, type TrainerHandle } from '../../engine/session/supervisor';
import type { DataSource, RunEvent } from '../../engine/session/protocol';
import { installDropHandler } from './drop';
import type { FileRef, MenuCommand, NetloomHost, OpenedBytes, OpenedText, RunData } from './host';
import { ListenerSet } from './listeners';
import { commandForKey } from './shortcuts';

/** Options for tests and special embeddings. */
export interface BrowserHostOptions {
  /** Creates the trainer worker (default: the bundled trainer.worker.ts as a module worker). */
  createWorker?: () => Worker;
  /** Window to attach keyboard and drop handlers to (default: globalThis.window). */
  window?: Window;
  /** True on macOS (⌘ instead of Ctrl in shortcuts); default: detected from the user agent. */
  mac?: boolean;
}

/** The bundled trainer as a module Web Worker (also used by the desktop host for WebGPU runs). */
export function createTrainerWorker(): Worker {
  return new Worker(new URL('./trainer.worker.ts', import.meta.url), { type: 'module' });
}

let idCounter = 0;
const newId = () => `web-${++idCounter}`;

/** Wraps a Worker as a TrainerHandle; a worker error or terminate() counts as its exit. */
export function workerHandle(worker: Worker): TrainerHandle {
  const messageHandlers: ((m: unknown) => void)[] = [];
  const exitHandlers: ((exit: string) => void)[] = [];
  let exited = false;
  const exit = (why: string) => {
    if (exited) return;
    exited = true;
    worker.terminate();
    exitHandlers.forEach((h) => h(why));
  };
  worker.addEventListener('message', (e: MessageEvent) => messageHandlers.forEach((h) => h(e.data)));
  worker.addEventListener('error', (e: ErrorEvent) => {
    e.preventDefault();
    exit(`error: ${e.message || 'the worker script failed'}`);
  });
  worker.addEventListener('messageerror', () => exit('error: a message could not be decoded'));
  return {
    post: (command) => {
      if (exited) return;
      // The trainer ends itself on shutdown; a worker cannot exit on its own, so terminate it here.
      if (command.type === 'shutdown') {
        worker.postMessage(command);
        exit('0');
        return;
      }
      worker.postMessage(command);
    },
    kill: () => exit('terminated'),
    onMessage: (h) => messageHandlers.push(h),
    onExit: (h) => exitHandlers.push(h),
  };
}

/** Lets the user pick one file with an `<input type=file>`; null when cancelled. */
function pickFile(accept: string): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.style.display = 'none';
    input.addEventListener('change', () => {
      resolve(input.files?.[0] ?? null);
      input.remove();
    });
    input.addEventListener('cancel', () => {
      resolve(null);
      input.remove();
    });
    document.body.append(input);
    input.click();
  });
}

/** Offers bytes as a download named `name`. */
function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function isTextField(el: Element | null): boolean {
  if (!el) return false;
  const tag = el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (el as HTMLElement).isContentEditable;
}

export function createBrowserHost(options: BrowserHostOptions = {}): NetloomHost {
  const win = options.window ?? globalThis.window;
  const files = new Map<string, File>();
  const runEvents = new ListenerSet<RunEvent>();
  const menu = new ListenerSet<MenuCommand>();
  const opens = new ListenerSet<OpenedText>(4);
  const drops = new ListenerSet<OpenedBytes>(4);
  const createWorker = options.createWorker ?? createTrainerWorker;
  const supervisor = new TrainerSupervisor({
    spawn: () => workerHandle(createWorker()),
    emit: (e) => runEvents.emit(e),
    client: `browser ${version}`,
    onWarning: (m) => console.warn(`[trainer] ${m}`),
  });

  const mac = options.mac ?? /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
  win.addEventListener('keydown', (e: KeyboardEvent) => {
    const command = commandForKey(e, mac, isTextField(win.document?.activeElement ?? null));
    if (command === null) return;
    e.preventDefault();
    menu.emit(command);
  });
  installDropHandler(win, {
    onProject: (p) => opens.emit(p),
    onCsv: (d) => drops.emit(d),
    onRejected: (name, reason) => console.warn(`Dropped file '${name}' ignored: ${reason}`),
    newId,
  });

  const remember = (file: File): FileRef => {
    const ref = { id: newId(), name: file.name };
    files.set(ref.id, file);
    return ref;
  };

  async function dataSource(data: RunData): Promise<DataSource> {
    if (data.kind === 'bytes') return { kind: 'bytes', name: data.name, bytes: data.bytes };
    const file = files.get(data.file.id);
    if (!file) throw new Error(`The data file '${data.file.name}' is no longer available; choose it again.`);
    return { kind: 'bytes', name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
  }

  return {
    kind: 'browser',
    appVersion: version,
    async openProject() {
      const file = await pickFile('.json,application/json');
      return file ? { file: remember(file), text: await file.text() } : null;
    },
    openRecent(file) {
      return Promise.reject(
        new Error(`Recent projects cannot be reopened in the browser; open '${file.name}' again.`),
      );
    },
    async saveProject(text, file, suggestedName) {
      const name = file?.name ?? suggestedName ?? 'untitled.netloom.json';
      download(
        name.endsWith('.netloom.json') ? name : `${name.replace(/\.json$/, '')}.netloom.json`,
        text,
        'application/json',
      );
      return file ?? { id: newId(), name };
    },
    recentProjects: () => Promise.resolve([]),
    async chooseCsv() {
      const file = await pickFile('.csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain');
      return file ? { file: remember(file), bytes: new Uint8Array(await file.arrayBuffer()) } : null;
    },
    onDroppedData: (listener) => drops.subscribe(listener),
    readRelative: () => Promise.resolve(null),
    async exportFile(request) {
      download(request.suggestedName, request.bytes as Uint8Array<ArrayBuffer>, 'application/octet-stream');
      return { id: newId(), name: request.suggestedName };
    },
    async trainerInfo() {
      return supervisor.info();
    },
    async startRun(request) {
      return supervisor.start(request.project, await dataSource(request.data), request.options);
    },
    pauseRun: async (runId) => supervisor.control(runId, 'pause'),
    resumeRun: async (runId) => supervisor.control(runId, 'resume'),
    stepRun: async (runId) => supervisor.control(runId, 'step'),
    stopRun: async (runId) => supervisor.control(runId, 'stop'),
    onRunEvent: (listener) => runEvents.subscribe(listener),
    onMenuCommand: (listener) => menu.subscribe(listener),
    onOpenRequest: (listener) => opens.subscribe(listener),
    setDocumentState({ title, edited }) {
      win.document.title = `${edited ? '• ' : ''}${title} — Netloom`;
    },
  };
}
