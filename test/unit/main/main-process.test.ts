/**
 * Wiring of the Electron main process (src-main/index.ts) against a fake `electron` module —
 * the real binary is not available here. Checks the security-relevant setup: privileged app://
 * scheme, single-instance lock, hardened BrowserWindow, CSP on served files, refused
 * navigation/new windows/permissions/remote requests, sender-checked IPC for every channel.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REQUEST_CHANNELS } from '../../../src-main/ipc/contract';
import { CONTENT_SECURITY_POLICY } from '../../../src-main/security/csp';

type Fn = (...args: never[]) => unknown;

const fake = vi.hoisted(() => {
  const state = {
    userData: '',
    appEvents: new Map<string, Fn>(),
    schemes: [] as unknown[],
    switches: [] as string[],
    protocolHandlers: new Map<string, (req: { url: string }) => Promise<Response>>(),
    ipcHandlers: new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>(),
    windows: [] as { options: Record<string, unknown>; loaded: string[] }[],
    permissionRequest: null as null | Fn,
    permissionCheck: null as null | Fn,
    beforeRequest: null as null | ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void),
    menus: [] as unknown[],
    lockRequested: false,
  };
  return state;
});

vi.mock('electron', () => {
  class FakeWebContents {
    id = 1;
    sent: [string, unknown][] = [];
    on() {}
    send(c: string, p: unknown) {
      this.sent.push([c, p]);
    }
  }
  class BrowserWindow {
    static all: BrowserWindow[] = [];
    static getAllWindows = () => BrowserWindow.all;
    webContents = new FakeWebContents();
    private readonly record: { options: Record<string, unknown>; loaded: string[] };
    constructor(options: Record<string, unknown>) {
      this.record = { options, loaded: [] };
      fake.windows.push(this.record);
      BrowserWindow.all.push(this);
    }
    once() {}
    on() {}
    isDestroyed = () => false;
    isMaximized = () => false;
    isMinimized = () => false;
    getNormalBounds = () => ({ x: 0, y: 0, width: 1400, height: 900 });
    loadURL = async (url: string) => void this.record.loaded.push(url);
    setTitle() {}
    setDocumentEdited() {}
    focus() {}
  }
  return {
    app: {
      isPackaged: true,
      requestSingleInstanceLock: () => ((fake.lockRequested = true), true),
      on: (event: string, fn: Fn) => void fake.appEvents.set(event, fn),
      whenReady: () => Promise.resolve(),
      isReady: () => true,
      getPath: () => fake.userData,
      getVersion: () => '0.1.0',
      getName: () => 'Netloom',
      quit: () => undefined,
      commandLine: { appendSwitch: (name: string) => void fake.switches.push(name) },
    },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => void fake.schemes.push(...s),
      handle: (scheme: string, fn: (req: { url: string }) => Promise<Response>) =>
        void fake.protocolHandlers.set(scheme, fn),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Fn) => void (fake.permissionRequest = fn),
        setPermissionCheckHandler: (fn: Fn) => void (fake.permissionCheck = fn),
        webRequest: {
          onBeforeRequest: (fn: typeof fake.beforeRequest) => void (fake.beforeRequest = fn),
          onHeadersReceived: () => undefined,
        },
      },
    },
    BrowserWindow,
    screen: {
      getAllDisplays: () => [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }],
      getPrimaryDisplay: () => ({ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }),
    },
    Menu: {
      buildFromTemplate: (t: unknown) => t,
      setApplicationMenu: (m: unknown) => void fake.menus.push(m),
    },
    dialog: {
      showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
      showSaveDialog: async () => ({ canceled: true }),
      showErrorBox: () => undefined,
    },
    ipcMain: {
      handle: (c: string, fn: (event: unknown, ...args: unknown[]) => Promise<unknown>) =>
        void fake.ipcHandlers.set(c, fn),
      removeHandler: (c: string) => void fake.ipcHandlers.delete(c),
    },
    utilityProcess: { fork: () => ({ on() {}, once() {}, postMessage() {}, kill() {} }) },
  };
});

beforeAll(async () => {
  fake.userData = mkdtempSync(path.join(os.tmpdir(), 'netloom-main-'));
  await import('../../../src-main/index');
  await vi.waitFor(() => expect(fake.windows[0]?.loaded.length).toBe(1));
});
afterAll(() => rmSync(fake.userData, { recursive: true, force: true }));

describe('main process wiring (fake Electron)', () => {
  it('registers app:// as a standard, secure scheme and takes the single-instance lock', () => {
    expect(fake.schemes).toEqual([
      expect.objectContaining({
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true }),
      }),
    ]);
    expect(fake.lockRequested).toBe(true);
    // Linux keeps Chromium's WebGPU (used by WebGPU runs in a renderer worker) behind a switch.
    expect(fake.switches).toEqual(process.platform === 'linux' ? ['enable-unsafe-webgpu'] : []);
    for (const e of ['second-instance', 'open-file', 'web-contents-created', 'before-quit'])
      expect(fake.appEvents.has(e), e).toBe(true);
  });

  it('opens one hardened window on the app:// entry with the CommonJS preload', () => {
    expect(fake.windows).toHaveLength(1);
    const prefs = fake.windows[0].options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
    });
    expect(String(prefs.preload)).toMatch(/preload[/\\]index\.cjs$/);
    expect(fake.windows[0].loaded).toEqual(['app://netloom/index.html']);
    expect(fake.menus).not.toHaveLength(0);
  });

  it('registers a handler for every IPC channel, refusing foreign senders', async () => {
    expect([...fake.ipcHandlers.keys()].sort()).toEqual([...REQUEST_CHANNELS].sort());
    const foreign = { sender: { id: 1 }, senderFrame: { url: 'https://evil.example/', parent: null } };
    await expect(fake.ipcHandlers.get('project:recent')!(foreign)).rejects.toThrow('refused');
    const ours = { sender: { id: 1 }, senderFrame: { url: 'app://netloom/index.html', parent: null } };
    await expect(fake.ipcHandlers.get('project:recent')!(ours)).resolves.toEqual([]);
  });

  it('serves only files inside the renderer folder, with the CSP header', async () => {
    const handler = fake.protocolHandlers.get('app')!;
    const traversal = await handler({ url: 'app://netloom/%2e%2e%2f%2e%2e%2fpackage.json' });
    expect(traversal.status).toBe(404);
    // Served from source here, the renderer folder does not exist: a clean 404, not a throw.
    expect((await handler({ url: 'app://netloom/index.html' })).status).toBe(404);
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });

  it('denies every permission and cancels remote requests', () => {
    const answers: boolean[] = [];
    (fake.permissionRequest as unknown as (w: unknown, p: string, cb: (ok: boolean) => void) => void)(
      null,
      'media',
      (ok) => answers.push(ok),
    );
    expect(answers).toEqual([false]);
    expect((fake.permissionCheck as unknown as () => boolean)()).toBe(false);
    const verdict = (url: string) => {
      let cancel: boolean | undefined;
      fake.beforeRequest!({ url }, (r) => (cancel = r.cancel));
      return cancel;
    };
    expect(verdict('https://cdn.example.com/font.woff2')).toBe(true);
    expect(verdict('ws://example.com/')).toBe(true);
    expect(verdict('app://netloom/assets/index.js')).toBe(false);
    expect(verdict('data:image/png;base64,AAAA')).toBe(false);
  });

  it('refuses new windows, navigation away and webviews in every web contents', () => {
    const listeners = new Map<string, Fn>();
    let openHandler: (() => { action: string }) | null = null;
    const contents = {
      setWindowOpenHandler: (fn: () => { action: string }) => void (openHandler = fn),
      on: (e: string, fn: Fn) => void listeners.set(e, fn),
    };
    (fake.appEvents.get('web-contents-created') as unknown as (e: unknown, c: unknown) => void)({}, contents);
    expect(openHandler!()).toEqual({ action: 'deny' });
    const prevented: string[] = [];
    const ev = (name: string) => ({ preventDefault: () => prevented.push(name) });
    (listeners.get('will-navigate') as unknown as (e: unknown, u: string) => void)(
      ev('away'),
      'https://example.com/',
    );
    (listeners.get('will-navigate') as unknown as (e: unknown, u: string) => void)(
      ev('home'),
      'app://netloom/index.html',
    );
    (listeners.get('will-attach-webview') as unknown as (e: unknown) => void)(ev('webview'));
    expect(prevented).toEqual(['away', 'webview']);
  });
});
