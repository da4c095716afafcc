/**
 * The host of the desktop app: a thin adapter from the preload's `window.netloom` API (see
 * src-main/preload/api.ts) to `NetloomHost`. Everything real happens in the main process.
 */

import type { PreloadApi } from '../../src-main/preload/api';
import { installDropHandler } from './drop';
import type { NetloomHost, OpenedBytes, OpenedText } from './host';
import { ListenerSet } from './listeners';

/** The preload API when this page runs in the desktop app, else null. */
export function preloadApi(): PreloadApi | null {
  const api = (globalThis as { netloom?: PreloadApi }).netloom;
  return api && typeof api.openProject === 'function' ? api : null;
}

let dropCounter = 0;

export function createElectronHost(api: PreloadApi, win: Window = globalThis.window): NetloomHost {
  // Dropped files are read in the page (bytes only): main never learns their paths, so a dropped
  // project is saved with Save As and a dropped CSV travels to the trainer as bytes.
  const droppedProjects = new ListenerSet<OpenedText>(4);
  const droppedData = new ListenerSet<OpenedBytes>(4);
  installDropHandler(win, {
    onProject: (p) => droppedProjects.emit(p),
    onCsv: (d) => droppedData.emit(d),
    onRejected: (name, reason) => console.warn(`Dropped file '${name}' ignored: ${reason}`),
    newId: () => `dropped-${++dropCounter}`,
  });
  return {
    kind: 'electron',
    appVersion: api.appVersion,
    openProject: () => api.openProject(),
    openRecent: (file) => api.openRecent(file),
    saveProject: (text, file, suggestedName) => api.saveProject(text, file, suggestedName ?? null),
    recentProjects: () => api.recentProjects(),
    chooseCsv: () => api.chooseCsv(),
    readRelative: (project, relativePath) => api.readRelative(project, relativePath),
    exportFile: (request) => api.exportFile(request),
    trainerInfo: () => api.trainerInfo(),
    startRun: (request) => api.startRun(request),
    pauseRun: (runId) => api.controlRun(runId, 'pause'),
    resumeRun: (runId) => api.controlRun(runId, 'resume'),
    stepRun: (runId) => api.controlRun(runId, 'step'),
    stopRun: (runId) => api.controlRun(runId, 'stop'),
    onRunEvent: (listener) => api.onRunEvent(listener),
    onMenuCommand: (listener) => api.onMenuCommand(listener),
    onDroppedData: (listener) => droppedData.subscribe(listener),
    onOpenRequest(listener) {
      const off = api.onOpenRequest(listener);
      const offDrops = droppedProjects.subscribe(listener);
      // Files the OS asked to open before anyone listened (app started by a double-click).
      void api.takePendingOpens().then((pending: OpenedText[]) => pending.forEach((p) => listener(p)));
      return () => {
        off();
        offDrops();
      };
    },
    setDocumentState: (state) => void api.setDocumentState(state),
  };
}
