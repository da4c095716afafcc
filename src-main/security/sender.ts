/**
 * Who may call the main process over IPC: only the main frame of one of our windows, showing
 * our own page (the app:// entry in production, the Vite dev server in development). Every
 * `ipcMain.handle` goes through this check (see ../ipc/handle.ts).
 */

import { APP_HOST, APP_SCHEME } from './app-protocol';

/** What main knows about the frame that sent an IPC message. */
export interface SenderInfo {
  /** URL of the sending frame; null when the frame is gone. */
  url: string | null;
  /** True when the sender is the top-level frame (not an iframe). */
  isMainFrame: boolean;
  /** webContents id of the sender. */
  webContentsId: number;
}

export interface TrustPolicy {
  /** webContents ids of our windows. */
  windowIds: ReadonlySet<number>;
  /** Origin of the dev server (e.g. 'http://localhost:5173') when running `npm run dev`. */
  devOrigin: string | null;
}

/** Why a sender is refused, or null when it is trusted. */
export function senderProblem(sender: SenderInfo, policy: TrustPolicy): string | null {
  if (!policy.windowIds.has(sender.webContentsId))
    return `webContents ${sender.webContentsId} is not a Netloom window`;
  if (!sender.isMainFrame) return 'IPC from a sub-frame is not allowed';
  if (sender.url === null) return 'the sending frame is gone';
  let url: URL;
  try {
    url = new URL(sender.url);
  } catch {
    return `unparsable sender URL '${sender.url}'`;
  }
  if (url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST) return null;
  if (policy.devOrigin !== null && url.origin === policy.devOrigin) return null;
  return `sender URL '${url.origin}' is not the app's own page`;
}

/** True when `target` is a URL the window may show (our page); everything else is refused. */
export function isAllowedNavigation(target: string, devOrigin: string | null): boolean {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return false;
  }
  if (url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST) return true;
  return devOrigin !== null && url.origin === devOrigin;
}
