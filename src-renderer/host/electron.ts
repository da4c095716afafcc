/**
 * The host of the desktop app: a thin adapter from the preload's `window.netloom` API (see
 * src-main/preload/api.ts) to `NetloomHost`. Everything real happens in the main process,
 * except WebGPU runs: the `webgpu` package's mapped buffers are refused by Electron's V8 memory
 * cage in the utility process, so a run that asks for the 'webgpu' backend trains in a Web
 * Worker of this renderer with Chromium's own WebGPU (main enables it on Linux), through the
 * same supervisor and protocol as the browser edition. CPU and 'auto' runs stay in the utility
 * process (see docs/webgpu.md).
 */

import type { PreloadApi } from '../../src-main/preload/api';
import type { RunEvent } from '../../engine/session/protocol';
import { TrainerSupervisor } from '../../engine/session/supervisor';
import { createTrainerWorker, workerHandle } from './browser';
import { installDropHandler } from './drop';
import type { NetloomHost, OpenedBytes, OpenedText, StartRunRequest } from './host';
import { ListenerSet } from './listeners';

/** The preload API when this page runs in the desktop app, else null. */
export function preloadApi(): PreloadApi | null {
  const api = (globalThis as { netloom?: PreloadApi }).netloom;
  return api && typeof api.openProject === 'function' ? api : null;
}

let dropCounter = 0;

/** Options for tests: the worker factory for WebGPU runs (default: the bundled trainer worker). */
export interface ElectronHostOptions {
  createWorker?: () => Worker;
}

export function createElectronHost(
  api: PreloadApi,
  win: Window = globalThis.window,
  options: ElectronHostOptions = {},
): NetloomHost {
  // WebGPU runs: one renderer worker per run; their events join the utility process's stream.
  const workerEvents = new ListenerSet<RunEvent>();
  let gpuSupervisor: TrainerSupervisor | null = null;
  const gpu = (): TrainerSupervisor =>
    (gpuSupervisor ??= new TrainerSupervisor({
      spawn: () => workerHandle((options.createWorker ?? createTrainerWorker)()),
      emit: (e) => workerEvents.emit(e),
      client: `electron-renderer ${api.appVersion}`,
      onWarning: (m) => console.warn(`[webgpu trainer] ${m}`),
    }));
  const inWorker = (runId: string) => gpuSupervisor?.activeRunIds().includes(runId) ?? false;
  const control = async (runId: string, action: 'pause' | 'resume' | 'step' | 'stop') =>
    inWorker(runId) ? gpu().control(runId, action) : api.controlRun(runId, action);
  async function startRun(request: StartRunRequest) {
    if (request.options.backend !== 'webgpu') return api.startRun(request);
    if (request.data.kind !== 'bytes') {
      throw new Error('A WebGPU run needs the data file loaded in the window; choose the CSV again.');
    }
    const { name, bytes } = request.data;
    return gpu().start(request.project, { kind: 'bytes', name, bytes }, request.options);
  }

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
    async trainerInfo() {
      // The utility process trains on the CPU; WebGPU is offered when the renderer's worker has it.
      const info = await api.trainerInfo();
      const worker = await gpu()
        .info()
        .catch(() => null);
      const webgpu = worker?.backends.find((b) => b.kind === 'webgpu');
      if (!webgpu) return info;
      return { ...info, backends: [...info.backends.filter((b) => b.kind !== 'webgpu'), webgpu] };
    },
    startRun,
    pauseRun: (runId) => control(runId, 'pause'),
    resumeRun: (runId) => control(runId, 'resume'),
    stepRun: (runId) => control(runId, 'step'),
    stopRun: (runId) => control(runId, 'stop'),
    onRunEvent(listener) {
      const off = api.onRunEvent(listener);
      const offWorker = workerEvents.subscribe(listener);
      return () => {
        off();
        offWorker();
      };
    },
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
