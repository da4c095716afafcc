/**
 * The application menu as a template (Electron's MenuItemConstructorOptions), built by a pure
 * function so tests can check it without Electron. Menu actions that concern the document go to
 * the renderer as `MenuCommand`s; Cut/Copy/Paste, Quit, developer tools and the window roles
 * stay native.
 *
 * Undo, Redo, Delete and Select All are commands (not roles) because the graph editor owns its
 * undo history; the renderer hands them to the focused text field when one has focus.
 */

import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../src-renderer/host/host';
import { MENU_ACCELERATORS } from '../../src-renderer/host/shortcuts';

export interface MenuContext {
  platform: NodeJS.Platform;
  appName: string;
  /** Recent project paths, newest first. */
  recent: readonly string[];
  /** True in development builds (adds Force Reload to the View menu). */
  dev: boolean;
  send(command: MenuCommand): void;
  openRecent(path: string): void;
  clearRecent(): void;
}

export function buildMenuTemplate(ctx: MenuContext): MenuItemConstructorOptions[] {
  const mac = ctx.platform === 'darwin';
  const cmd = (label: string, command: MenuCommand): MenuItemConstructorOptions => {
    const accelerator = MENU_ACCELERATORS[command];
    return { label, id: command, ...(accelerator ? { accelerator } : {}), click: () => ctx.send(command) };
  };
  const sep: MenuItemConstructorOptions = { type: 'separator' };

  const recentItems: MenuItemConstructorOptions[] =
    ctx.recent.length === 0
      ? [{ label: 'No recent projects', enabled: false }]
      : [
          ...ctx.recent.map((p) => ({ label: p, click: () => ctx.openRecent(p) })),
          sep,
          { label: 'Clear Recent', click: () => ctx.clearRecent() },
        ];

  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      cmd('New Project', 'file.new'),
      cmd('Open…', 'file.open'),
      { label: 'Open Recent', id: 'file.openRecent', submenu: recentItems },
      sep,
      cmd('Save', 'file.save'),
      cmd('Save As…', 'file.saveAs'),
      cmd('Export…', 'file.export'),
      ...(mac ? [] : [sep, { role: 'quit' as const, label: 'Quit' }]),
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      cmd('Undo', 'edit.undo'),
      cmd('Redo', 'edit.redo'),
      sep,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      cmd('Delete', 'edit.delete'),
      cmd('Select All', 'edit.selectAll'),
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      cmd('Zoom In', 'view.zoomIn'),
      cmd('Zoom Out', 'view.zoomOut'),
      cmd('Actual Size', 'view.zoomReset'),
      cmd('Fit Graph', 'view.fit'),
      sep,
      cmd('Palette', 'view.togglePalette'),
      cmd('Inspector', 'view.toggleInspector'),
      cmd('Data and Training Panel', 'view.toggleBottomPanel'),
      sep,
      { role: 'togglefullscreen' },
      sep,
      { role: 'toggleDevTools', label: 'Developer Tools' },
      // Reloading drops unsaved edits, so it is offered only in development builds.
      ...(ctx.dev ? [{ role: 'forceReload' as const }] : []),
    ],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [
      cmd('User Guide', 'help.userGuide'),
      ...(mac ? [] : [cmd(`About ${ctx.appName}`, 'help.about')]),
    ],
  };
  const menus = [file, edit, view, help];
  if (mac) {
    menus.unshift({
      label: ctx.appName,
      submenu: [
        cmd(`About ${ctx.appName}`, 'help.about'),
        sep,
        { role: 'services' },
        sep,
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        sep,
        { role: 'quit' },
      ],
    });
    menus.splice(4, 0, { role: 'windowMenu' });
  }
  return menus;
}
