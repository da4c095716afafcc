/**
 * The API the preload exposes to the renderer as `window.netloom`: named functions only, no
 * raw IPC. Built from a minimal structural view of `ipcRenderer` so it has no Electron import
 * (the renderer derives its type from `PreloadApi` without pulling in Electron or Node types,
 * and unit tests drive it with a fake).
 *
 * Invariant: every function maps to exactly one channel of `../ipc/contract`; listeners
 * registered through `on*` can be removed with the returned function.
 */

import { version } from '../../package.json';
import type { EventChannel, IpcEvents, IpcRequests, RequestChannel, RunAction } from '../ipc/contract';

/** The part of Electron's `ipcRenderer` the preload uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
}

/** Builds the object that the preload passes to `contextBridge.exposeInMainWorld('netloom', …)`. */
export function createPreloadApi(ipc: IpcRendererLike) {
  const invoke = <C extends RequestChannel>(channel: C, ...args: IpcRequests[C]['args']) =>
    ipc.invoke(channel, ...args) as Promise<IpcRequests[C]['result']>;

  const subscribe = <C extends EventChannel>(channel: C, listener: (payload: IpcEvents[C]) => void) => {
    const wrapped = (_event: unknown, payload: unknown) => listener(payload as IpcEvents[C]);
    ipc.on(channel, wrapped);
    return () => {
      ipc.removeListener(channel, wrapped);
    };
  };

  return {
    appVersion: version,
    openProject: () => invoke('project:open'),
    openRecent: (...a: IpcRequests['project:open-recent']['args']) => invoke('project:open-recent', ...a),
    saveProject: (...a: IpcRequests['project:save']['args']) => invoke('project:save', ...a),
    recentProjects: () => invoke('project:recent'),
    takePendingOpens: () => invoke('project:take-pending-opens'),
    chooseCsv: () => invoke('data:choose-csv'),
    readRelative: (...a: IpcRequests['data:read-relative']['args']) => invoke('data:read-relative', ...a),
    exportFile: (...a: IpcRequests['export:save']['args']) => invoke('export:save', ...a),
    trainerInfo: () => invoke('trainer:info'),
    startRun: (...a: IpcRequests['run:start']['args']) => invoke('run:start', ...a),
    controlRun: (runId: string, action: RunAction) => invoke('run:control', runId, action),
    setDocumentState: (...a: IpcRequests['window:document-state']['args']) =>
      invoke('window:document-state', ...a),
    onMenuCommand: (listener: (c: IpcEvents['menu:command']) => void) => subscribe('menu:command', listener),
    onRunEvent: (listener: (e: IpcEvents['run:event']) => void) => subscribe('run:event', listener),
    onOpenRequest: (listener: (p: IpcEvents['project:open-request']) => void) =>
      subscribe('project:open-request', listener),
  };
}

/** The type of `window.netloom` in the desktop app. */
export type PreloadApi = ReturnType<typeof createPreloadApi>;
