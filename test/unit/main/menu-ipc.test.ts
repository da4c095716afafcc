import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import {
  REQUEST_ARGS,
  REQUEST_CHANNELS,
  EVENT_CHANNELS,
  parseRequestArgs,
} from '../../../src-main/ipc/contract';
import { registerHandlers, type RequestHandlers } from '../../../src-main/ipc/handle';
import { buildMenuTemplate, type MenuContext } from '../../../src-main/menu/menu';
import { createPreloadApi, type IpcRendererLike } from '../../../src-main/preload/api';
import { APP_ENTRY_URL } from '../../../src-main/security/app-protocol';
import { MENU_COMMANDS, type MenuCommand } from '../../../src-renderer/host/host';
import { MENU_ACCELERATORS, commandForKey } from '../../../src-renderer/host/shortcuts';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}

function menu(platform: NodeJS.Platform, recent: string[] = []) {
  const sent: MenuCommand[] = [];
  const opened: string[] = [];
  const ctx: MenuContext = {
    platform,
    appName: 'Netloom',
    recent,
    dev: false,
    send: (c) => sent.push(c),
    openRecent: (p) => opened.push(p),
    clearRecent: () => undefined,
  };
  return { items: flatten(buildMenuTemplate(ctx)), top: buildMenuTemplate(ctx), sent, opened };
}

describe('application menu', () => {
  it.each(['linux', 'win32', 'darwin'] as const)(
    'offers every menu command exactly once on %s',
    (platform) => {
      const { items, sent } = menu(platform);
      const ids = items
        .map((i) => i.id)
        .filter((id): id is MenuCommand => MENU_COMMANDS.includes(id as MenuCommand));
      expect([...ids].sort()).toEqual([...MENU_COMMANDS].sort());
      for (const item of items.filter((i) => MENU_COMMANDS.includes(i.id as MenuCommand))) {
        (item.click as () => void)();
        expect(item.accelerator ?? null).toBe(MENU_ACCELERATORS[item.id as MenuCommand]);
      }
      expect([...sent].sort()).toEqual([...MENU_COMMANDS].sort());
    },
  );

  it('has File, Edit, View and Help with native clipboard roles and Quit', () => {
    const { top, items } = menu('linux');
    expect(top.map((m) => m.label ?? m.role)).toEqual(['File', 'Edit', 'View', 'help']);
    const roles = items.map((i) => i.role).filter(Boolean);
    expect(roles).toEqual(expect.arrayContaining(['cut', 'copy', 'paste', 'quit', 'toggleDevTools']));
    expect(roles).not.toContain('forceReload');
  });

  it('lists recent projects and opens them', () => {
    const { items, opened } = menu('linux', ['/a/x.netloom.json']);
    const recent = items.find((i) => i.id === 'file.openRecent');
    const entries = recent?.submenu as MenuItemConstructorOptions[];
    expect(entries.map((e) => e.label ?? e.type)).toEqual(['/a/x.netloom.json', 'separator', 'Clear Recent']);
    (entries[0].click as () => void)();
    expect(opened).toEqual(['/a/x.netloom.json']);
    const empty = menu('linux').items.find((i) => i.id === 'file.openRecent')
      ?.submenu as MenuItemConstructorOptions[];
    expect(empty).toEqual([{ label: 'No recent projects', enabled: false }]);
  });
});

describe('keyboard shortcuts (browser edition)', () => {
  const key = (
    k: string,
    mods: Partial<{ ctrl: boolean; meta: boolean; shift: boolean; alt: boolean }> = {},
  ) => ({
    key: k,
    ctrlKey: !!mods.ctrl,
    metaKey: !!mods.meta,
    shiftKey: !!mods.shift,
    altKey: !!mods.alt,
  });
  it('maps the accelerators of the menu to commands', () => {
    expect(commandForKey(key('s', { ctrl: true }), false, false)).toBe('file.save');
    expect(commandForKey(key('S', { ctrl: true, shift: true }), false, false)).toBe('file.saveAs');
    expect(commandForKey(key('s', { meta: true }), true, false)).toBe('file.save');
    expect(commandForKey(key('s', { meta: true }), false, false)).toBeNull();
    expect(commandForKey(key('+', { ctrl: true, shift: true }), false, false)).toBe('view.zoomIn');
    expect(commandForKey(key('F1'), false, false)).toBe('help.userGuide');
    expect(commandForKey(key('y', { ctrl: true }), false, false)).toBe('edit.redo');
    expect(commandForKey(key('s', { ctrl: true, alt: true }), false, false)).toBeNull();
  });
  it('leaves text editing keys to a focused text field', () => {
    expect(commandForKey(key('z', { ctrl: true }), false, true)).toBeNull();
    expect(commandForKey(key('Delete'), false, true)).toBeNull();
    expect(commandForKey(key('Backspace'), false, true)).toBeNull();
    expect(commandForKey(key('Backspace'), false, false)).toBe('edit.delete');
    expect(commandForKey(key('s', { ctrl: true }), false, true)).toBe('file.save');
  });
});

describe('IPC contract and preload API', () => {
  it('has a schema for every request channel', () => {
    expect(Object.keys(REQUEST_ARGS).sort()).toEqual([...REQUEST_CHANNELS].sort());
  });

  it('validates arguments and names the channel and position of a problem', () => {
    expect(parseRequestArgs('run:control', ['r1', 'pause'])).toEqual(['r1', 'pause']);
    expect(() => parseRequestArgs('run:control', ['r1', 'explode'])).toThrow(
      "IPC 'run:control': bad argument at [1]",
    );
    expect(() => parseRequestArgs('project:open', ['/etc/passwd'])).toThrow("IPC 'project:open'");
    expect(() => parseRequestArgs('data:read-relative', [{ id: 'a', name: 'm' }, 7])).toThrow('[1]');
    const start = [
      {
        project: {},
        data: { kind: 'bytes', name: 'd', bytes: new Uint8Array(2) },
        options: { backend: 'cpu' },
      },
    ];
    expect(parseRequestArgs('run:start', start)).toEqual(start);
    // Every RunOptions key survives the schema (a missing one would be stripped silently).
    const full = { backend: 'cpu', epochs: 5, seed: 7, splitSeed: 3, continueRunId: 'run-1' };
    expect(parseRequestArgs('run:start', [{ ...start[0], options: full }])[0].options).toEqual(full);
    expect(() => parseRequestArgs('run:start', [{ ...start[0], options: { ...full, epochs: 0 } }])).toThrow(
      'epochs',
    );
    expect(() =>
      parseRequestArgs('run:start', [{ ...start[0], data: { kind: 'bytes', name: 'd', bytes: [1] } }]),
    ).toThrow('[0.data.bytes]');
  });

  it('maps every preload function to its channel and removes listeners', async () => {
    const invoked: [string, unknown[]][] = [];
    const listeners = new Map<string, Set<(e: unknown, p: unknown) => void>>();
    const ipc: IpcRendererLike = {
      invoke: async (channel, ...args) => (invoked.push([channel, args]), null),
      on: (c, l) => listeners.set(c, (listeners.get(c) ?? new Set()).add(l)),
      removeListener: (c, l) => listeners.get(c)?.delete(l),
    };
    const api = createPreloadApi(ipc);
    await api.openProject();
    await api.saveProject('{}', null, 'a.netloom.json');
    await api.controlRun('r', 'stop');
    await api.takePendingOpens();
    expect(invoked).toEqual([
      ['project:open', []],
      ['project:save', ['{}', null, 'a.netloom.json']],
      ['run:control', ['r', 'stop']],
      ['project:take-pending-opens', []],
    ]);
    for (const [, args] of invoked) expect(args.length).toBeLessThanOrEqual(3);
    expect(invoked.every(([c]) => (REQUEST_CHANNELS as readonly string[]).includes(c))).toBe(true);

    const got: MenuCommand[] = [];
    const off = api.onMenuCommand((c) => got.push(c));
    listeners.get('menu:command')!.forEach((l) => l({}, 'file.save'));
    off();
    expect(listeners.get('menu:command')!.size).toBe(0);
    expect(got).toEqual(['file.save']);
    expect(EVENT_CHANNELS).toContain('menu:command');
    // Only data and functions are exposed; no raw IPC object.
    expect(Object.values(api).every((v) => typeof v === 'function' || typeof v === 'string')).toBe(true);
    expect(api).not.toHaveProperty('invoke');
  });
});

describe('registerHandlers', () => {
  type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;
  function setup() {
    const handlers = new Map<string, Handler>();
    const ipcMain = {
      handle: (c: string, h: Handler) => void handlers.set(c, h),
      removeHandler: (c: string) => void handlers.delete(c),
    };
    const calls: unknown[][] = [];
    const impl = Object.fromEntries(
      REQUEST_CHANNELS.map((c) => [c, (...a: unknown[]) => (calls.push([c, ...a]), 'ok')]),
    );
    const logs: string[] = [];
    const remove = registerHandlers(
      ipcMain as never,
      () => ({ windowIds: new Set([1]), devOrigin: null }),
      impl as unknown as RequestHandlers,
      (m) => logs.push(m),
    );
    return { handlers, calls, logs, remove };
  }
  const event = (url: string | null, id = 1, parent: unknown = null) => ({
    sender: { id },
    senderFrame: url === null ? null : { url, parent },
  });

  it('runs the handler for our own page with valid arguments', async () => {
    const { handlers, calls } = setup();
    await expect(handlers.get('run:control')!(event(APP_ENTRY_URL), 'r', 'pause')).resolves.toBe('ok');
    expect(calls).toEqual([['run:control', 'r', 'pause']]);
  });

  it('refuses foreign senders and bad arguments without calling the handler', async () => {
    const { handlers, calls, logs, remove } = setup();
    const h = handlers.get('project:open')!;
    await expect(h(event('https://evil.example/'))).rejects.toThrow("IPC 'project:open' refused");
    await expect(h(event(APP_ENTRY_URL, 2))).rejects.toThrow('not a Netloom window');
    await expect(h(event(APP_ENTRY_URL, 1, {}))).rejects.toThrow('sub-frame');
    await expect(handlers.get('run:control')!(event(APP_ENTRY_URL), 'r', 'boom')).rejects.toThrow(
      'bad argument',
    );
    expect(calls).toEqual([]);
    expect(logs).toHaveLength(3);
    remove();
    expect(handlers.size).toBe(0);
  });
});
