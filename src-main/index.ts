/**
 * Electron main process of Netloom: one sandboxed window showing the renderer from the app://
 * scheme, the application menu, the IPC handlers behind the host interface, file opening from
 * the OS (argv, second instance, macOS open-file), window-state persistence, and the trainer
 * supervisor (one utilityProcess per run, killed on stop, quit or crash).
 *
 * Security posture (see docs/architecture.md): contextIsolation, sandbox, no nodeIntegration;
 * strict CSP header on every response; navigation, new windows, webviews and permission
 * requests refused; remote requests cancelled; every IPC call sender-checked and validated.
 */

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, screen, session } from 'electron';
import { TrainerSupervisor } from '../engine/session/supervisor';
import type { DataSource } from '../engine/session/protocol';
import type { MenuCommand, OpenedText, RunData } from '../src-renderer/host/host';
import { AppFiles } from './app-files';
import { projectPathsFromArgv } from './files/open-args';
import type { EventChannel, IpcEvents } from './ipc/contract';
import { registerHandlers } from './ipc/handle';
import { buildMenuTemplate } from './menu/menu';
import { APP_ENTRY_URL, APP_HOST, APP_SCHEME, mimeType, resolveAppFile } from './security/app-protocol';
import { devContentSecurityPolicy, withSecurityHeaders } from './security/csp';
import { isAllowedNavigation, type TrustPolicy } from './security/sender';
import { spawnUtilityTrainer } from './trainer/utility-spawn';
import { fitToDisplays, loadWindowState, saveWindowState, type WindowState } from './window/window-state';

const mainDir = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(mainDir, '../renderer');
const preloadPath = path.join(mainDir, '../preload/index.cjs');
const trainerEntry = path.join(mainDir, 'trainer.js');
/** Set by `electron-vite dev`: the Vite dev server serving the renderer with hot reload. */
const devUrl = !app.isPackaged ? (process.env.ELECTRON_RENDERER_URL ?? null) : null;
const devOrigin = devUrl ? new URL(devUrl).origin : null;

// WebGPU runs train in a renderer Web Worker with Chromium's own WebGPU, which Linux builds
// keep behind this switch (see docs/webgpu.md). Must be set before the app is ready.
if (process.platform === 'linux') app.commandLine.appendSwitch('enable-unsafe-webgpu');

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the window; it receives our argv through 'second-instance'.
  app.quit();
} else {
  start();
}

function start(): void {
  let win: BrowserWindow | null = null;
  let rendererReady = false;
  const pendingOpens: OpenedText[] = [];
  const pendingPaths: string[] = projectPathsFromArgv(process.argv.slice(1), process.cwd());

  const files = new AppFiles(
    app.getPath('userData'),
    {
      async openFile(o) {
        const r = win ? await dialog.showOpenDialog(win, { ...o, properties: ['openFile'] }) : null;
        return r && !r.canceled && r.filePaths[0] ? r.filePaths[0] : null;
      },
      async saveFile(o) {
        const r = win ? await dialog.showSaveDialog(win, o) : null;
        return r && !r.canceled && r.filePath ? r.filePath : null;
      },
    },
    (recent) => setMenu(recent),
  );

  const send = <C extends EventChannel>(channel: C, payload: IpcEvents[C]) => {
    if (win && !win.isDestroyed()) win.webContents.send(channel, payload);
  };

  const supervisor = new TrainerSupervisor({
    spawn: () => spawnUtilityTrainer(trainerEntry),
    emit: (e) => send('run:event', e),
    client: `electron-main ${app.getVersion()}`,
    onWarning: (m) => console.warn(`[trainer] ${m}`),
  });

  function setMenu(recent: string[]): void {
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate({
          platform: process.platform,
          appName: app.getName(),
          recent,
          dev: !app.isPackaged,
          send: (command: MenuCommand) => send('menu:command', command),
          openRecent: (p) => void openPath(p),
          clearRecent: () => void files.clearRecent(),
        }),
      ),
    );
  }

  /** Opens a project the OS or the recent menu asked for (queued until the page listens). */
  async function openPath(file: string): Promise<void> {
    if (!app.isReady()) {
      pendingPaths.push(file);
      return;
    }
    try {
      const opened = await files.openProjectPath(file);
      if (rendererReady) send('project:open-request', opened);
      else pendingOpens.push(opened);
      if (win) {
        if (win.isMinimized()) win.restore();
        win.focus();
      }
    } catch (e) {
      dialog.showErrorBox('Netloom could not open the project', (e as Error).message);
    }
  }

  async function dataSource(data: RunData): Promise<DataSource> {
    if (data.kind === 'bytes') return { kind: 'bytes', name: data.name, bytes: data.bytes };
    return { kind: 'path', path: files.grants.resolve(data.file, 'data') };
  }

  let trainerInfo: ReturnType<TrainerSupervisor['info']> | null = null;
  const trustPolicy = (): TrustPolicy => ({
    windowIds: new Set(win && !win.isDestroyed() ? [win.webContents.id] : []),
    devOrigin,
  });

  registerHandlers(ipcMain, trustPolicy, {
    'project:open': () => files.openProjectDialog(),
    'project:open-recent': (file) => files.openRecent(file),
    'project:save': (text, file, name) => files.saveProject(text, file, name),
    'project:recent': () => files.recentProjects(),
    'project:take-pending-opens': () => {
      rendererReady = true;
      return pendingOpens.splice(0);
    },
    'data:choose-csv': () => files.chooseCsv(),
    'data:read-relative': (project, rel) => files.readRelative(project, rel),
    'export:save': (request) => files.exportFile(request),
    'trainer:info': () => {
      trainerInfo ??= supervisor.info().catch((e: unknown) => {
        trainerInfo = null; // retry next time
        throw e;
      });
      return trainerInfo;
    },
    'run:start': async (request) =>
      supervisor.start(request.project, await dataSource(request.data), request.options),
    'run:control': (runId, action) => supervisor.control(runId, action),
    'window:document-state': ({ title, edited }) => {
      if (!win) return;
      win.setTitle(`${process.platform === 'darwin' || !edited ? '' : '• '}${title} — Netloom`);
      win.setDocumentEdited(edited);
    },
  });

  app.on('second-instance', (_event, argv, cwd) => {
    for (const p of projectPathsFromArgv(argv.slice(1), cwd)) void openPath(p);
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  // macOS: double-click on a .netloom.json in Finder (may arrive before 'ready').
  app.on('open-file', (event, file) => {
    event.preventDefault();
    void openPath(file);
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (!isAllowedNavigation(url, devOrigin)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAllowedNavigation(url, devOrigin)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  app.on('before-quit', () => supervisor.disposeAll());
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 && app.isReady()) void createWindow();
  });

  void app.whenReady().then(async () => {
    installSessionPolicy();
    await files.init();
    await createWindow();
    for (const p of pendingPaths.splice(0)) await openPath(p);
  });

  function installSessionPolicy(): void {
    const ses = session.defaultSession;
    protocol.handle(APP_SCHEME, async (request) => {
      const file = resolveAppFile(rendererDir, request.url);
      if (file === null) return new Response('Not found', { status: 404 });
      try {
        const body = await fs.readFile(file);
        return new Response(body, {
          status: 200,
          headers: { 'Content-Type': mimeType(file), ...flatten(withSecurityHeaders({})) },
        });
      } catch {
        return new Response('Not found', { status: 404 });
      }
    });
    // No permission (camera, notifications, geolocation, …) is ever granted.
    ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    ses.setPermissionCheckHandler(() => false);
    // No remote content: only our scheme, the dev server (in development), data: and blob:.
    ses.webRequest.onBeforeRequest((details, callback) => {
      const u = details.url;
      const local =
        u.startsWith(`${APP_SCHEME}://${APP_HOST}/`) ||
        u.startsWith('data:') ||
        u.startsWith('blob:') ||
        u.startsWith('devtools:') ||
        (devOrigin !== null && (u.startsWith(devOrigin) || u.startsWith(devOrigin.replace(/^http/, 'ws'))));
      callback({ cancel: !local });
    });
    if (devOrigin !== null) {
      const csp = devContentSecurityPolicy(devOrigin);
      ses.webRequest.onHeadersReceived((details, callback) =>
        callback({ responseHeaders: withSecurityHeaders(details.responseHeaders ?? {}, csp) }),
      );
    }
  }

  async function createWindow(): Promise<void> {
    const userData = app.getPath('userData');
    const displays = screen.getAllDisplays();
    const primary = screen.getPrimaryDisplay();
    const areas = [primary, ...displays.filter((d) => d.id !== primary.id)].map((d) => d.workArea);
    const state = fitToDisplays(await loadWindowState(userData), areas);
    const w = new BrowserWindow({
      ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
      width: state.width,
      height: state.height,
      minWidth: 900,
      minHeight: 600,
      show: false,
      title: 'Netloom',
      backgroundColor: '#1e1f24',
      ...(process.platform === 'linux' && !app.isPackaged
        ? { icon: path.join(mainDir, '../../build/icon.png') }
        : {}),
      webPreferences: {
        preload: preloadPath,
        contextIsolation: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        sandbox: true,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        navigateOnDragDrop: false,
        webviewTag: false,
        spellcheck: false,
        // Middle-click would otherwise try to open links in new windows (refused anyway).
        disableBlinkFeatures: 'Auxclick',
      },
    });
    win = w;
    rendererReady = false;
    w.once('ready-to-show', () => {
      if (state.maximized) w.maximize();
      w.show();
    });
    trackWindowState(w, userData);
    w.webContents.on('render-process-gone', (_e, details) => {
      console.error(`Renderer process gone: ${details.reason} (exit ${details.exitCode})`);
      rendererReady = false;
      // The reloaded page knows nothing of running runs: end them rather than orphan them.
      supervisor.disposeAll();
      if (details.reason !== 'clean-exit' && !w.isDestroyed()) w.reload();
    });
    // The renderer's beforeunload handler vetoes closing over unsaved changes; Electron would then
    // refuse silently, so ask the user here and let them leave on purpose.
    w.webContents.on('will-prevent-unload', (event) => {
      const choice = dialog.showMessageBoxSync(w, {
        type: 'question',
        buttons: ['Leave without saving', 'Stay'],
        defaultId: 1,
        cancelId: 1,
        title: 'Unsaved changes',
        message: 'This project has unsaved changes.',
        detail: 'If you leave now, the changes since the last save are lost (a recovery copy is kept).',
      });
      if (choice === 0) event.preventDefault(); // preventDefault() here means: ignore the veto
    });
    w.on('closed', () => {
      if (win === w) win = null;
      // No window listens any more (macOS keeps the app alive): stop all trainers.
      supervisor.disposeAll();
    });
    await w.loadURL(devUrl ?? APP_ENTRY_URL);
  }
}

/** Saves size/position (debounced while moving/resizing, and on close). */
function trackWindowState(w: BrowserWindow, userData: string): void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const snapshot = (): WindowState => {
    const b = w.getNormalBounds();
    return { x: b.x, y: b.y, width: b.width, height: b.height, maximized: w.isMaximized() };
  };
  const save = () => {
    if (w.isDestroyed()) return;
    const s = snapshot();
    void saveWindowState(userData, s).catch((e: unknown) =>
      console.warn(`Could not save the window state: ${(e as Error).message}`),
    );
  };
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  w.on('resize', later);
  w.on('move', later);
  w.on('maximize', later);
  w.on('unmaximize', later);
  w.on('close', () => {
    if (timer) clearTimeout(timer);
    save();
  });
}

function flatten(headers: Record<string, string[]>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.join(', ')]));
}
