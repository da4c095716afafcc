/**
 * Keyboard shortcuts of the menu commands, in Electron accelerator syntax ('CmdOrCtrl+S').
 * The desktop menu registers them natively; the browser host matches key events against the
 * same table, so both editions answer the same keys. Framework-free (no DOM types needed).
 */

import type { MenuCommand } from './host';

/** Accelerator per command; null when the command has none. */
export const MENU_ACCELERATORS: Readonly<Record<MenuCommand, string | null>> = {
  'file.new': 'CmdOrCtrl+N',
  'file.open': 'CmdOrCtrl+O',
  'file.save': 'CmdOrCtrl+S',
  'file.saveAs': 'CmdOrCtrl+Shift+S',
  'file.export': 'CmdOrCtrl+E',
  'edit.undo': 'CmdOrCtrl+Z',
  'edit.redo': 'CmdOrCtrl+Shift+Z',
  'edit.delete': 'Delete',
  'edit.selectAll': 'CmdOrCtrl+A',
  'view.zoomIn': 'CmdOrCtrl+=',
  'view.zoomOut': 'CmdOrCtrl+-',
  'view.zoomReset': 'CmdOrCtrl+0',
  'view.fit': 'CmdOrCtrl+1',
  'view.togglePalette': 'CmdOrCtrl+Shift+P',
  'view.toggleInspector': 'CmdOrCtrl+Shift+I',
  'view.toggleBottomPanel': 'CmdOrCtrl+J',
  'help.about': null,
  'help.userGuide': 'F1',
};

/** The fields of a keydown event the matcher reads. */
export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** Commands that act on text while a text field has focus, so the browser's own handling wins. */
const TEXT_EDITING: ReadonlySet<MenuCommand> = new Set([
  'edit.undo',
  'edit.redo',
  'edit.delete',
  'edit.selectAll',
]);

/**
 * The menu command a key press triggers, or null.
 * @param mac true on macOS (CmdOrCtrl means ⌘ there, Ctrl elsewhere).
 * @param inTextField true when focus is in an input, textarea or contenteditable element.
 */
export function commandForKey(e: KeyLike, mac: boolean, inTextField: boolean): MenuCommand | null {
  for (const [command, accel] of Object.entries(MENU_ACCELERATORS) as [MenuCommand, string | null][]) {
    if (accel === null || !matches(accel, e, mac)) continue;
    if (inTextField && TEXT_EDITING.has(command)) return null;
    return command;
  }
  // Common alternatives: Ctrl+Y for redo (Windows, Linux), Backspace for delete (macOS).
  if (!mac && e.ctrlKey && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'y')
    return inTextField ? null : 'edit.redo';
  if (e.key === 'Backspace' && !e.ctrlKey && !e.metaKey && !e.altKey)
    return inTextField ? null : 'edit.delete';
  return null;
}

function matches(accel: string, e: KeyLike, mac: boolean): boolean {
  const parts = accel.split('+');
  // A trailing '+' key ('CmdOrCtrl+Plus') is not used in the table, so split is unambiguous.
  const key = parts.pop() ?? '';
  const wantCmdOrCtrl = parts.includes('CmdOrCtrl');
  const wantShift = parts.includes('Shift');
  const wantAlt = parts.includes('Alt');
  const primary = mac ? e.metaKey : e.ctrlKey;
  const other = mac ? e.ctrlKey : e.metaKey;
  if (primary !== wantCmdOrCtrl || other || e.altKey !== wantAlt) return false;
  // Shift changes the printed key of '=' and digits on most layouts; compare letters case-insensitively.
  if (key.length === 1 && /[a-z]/i.test(key))
    return e.shiftKey === wantShift && e.key.toLowerCase() === key.toLowerCase();
  if (key === '=') return e.key === '=' || e.key === '+';
  return e.shiftKey === wantShift && e.key === key;
}
