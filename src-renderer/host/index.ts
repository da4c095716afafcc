/**
 * Entry point of the host layer for the renderer: `getHost()` returns the one host of this
 * page — the Electron preload bridge when the page runs inside the desktop app, else the
 * browser host (web edition, Playwright tests).
 */

import type { NetloomHost } from './host';
import { createBrowserHost } from './browser';
import { createElectronHost, preloadApi } from './electron';

export type * from './host';
export { MENU_COMMANDS } from './host';

let host: NetloomHost | null = null;

/** The host of this page (created on first call, then the same object). */
export function getHost(): NetloomHost {
  if (host === null) {
    const api = preloadApi();
    host = api ? createElectronHost(api) : createBrowserHost();
  }
  return host;
}
