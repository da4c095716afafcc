/**
 * Preload script of the main window (built as CommonJS: a sandboxed preload cannot be ESM).
 * Exposes the named-function API of `./api` as `window.netloom`; nothing else.
 */

import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadApi } from './api';

contextBridge.exposeInMainWorld('netloom', createPreloadApi(ipcRenderer));
