import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_WINDOW_STATE,
  MIN_SIZE,
  WINDOW_STATE_FILE,
  fitToDisplays,
  loadWindowState,
  parseWindowState,
  saveWindowState,
} from '../../../src-main/window/window-state';

const fullHd = { x: 0, y: 0, width: 1920, height: 1040 };
const rightMonitor = { x: 1920, y: 0, width: 2560, height: 1400 };

describe('parseWindowState', () => {
  it('accepts a saved state and rounds it', () => {
    expect(parseWindowState({ x: 10.4, y: 20.6, width: 1000.5, height: 700, maximized: true })).toEqual({
      x: 10,
      y: 21,
      width: 1001,
      height: 700,
      maximized: true,
    });
  });
  it.each([null, 'x', { width: 0, height: 5 }, { width: 'a', height: 5 }, { width: Infinity, height: 5 }])(
    'rejects %j',
    (j) => expect(parseWindowState(j)).toBeNull(),
  );
  it('drops a half position', () => {
    expect(parseWindowState({ x: 5, width: 1000, height: 700 })).toEqual({
      width: 1000,
      height: 700,
      maximized: false,
    });
  });
});

describe('fitToDisplays', () => {
  it('keeps a window that is on a display', () => {
    const s = { x: 100, y: 50, width: 1200, height: 800, maximized: false };
    expect(fitToDisplays(s, [fullHd])).toEqual(s);
  });
  it('keeps a window on the second monitor', () => {
    const s = { x: 2000, y: 100, width: 1600, height: 900, maximized: true };
    expect(fitToDisplays(s, [fullHd, rightMonitor])).toEqual(s);
  });
  it('forgets the position when the monitor it was on is gone', () => {
    const s = { x: 2000, y: 100, width: 1600, height: 900, maximized: false };
    expect(fitToDisplays(s, [fullHd])).toEqual({ width: 1600, height: 900, maximized: false });
  });
  it('requires part of the title bar to be visible, not just a corner', () => {
    // Only 20 px of the title bar overlap the display (less than the 64 px needed).
    const s = { x: 1900, y: 10, width: 1000, height: 700, maximized: false };
    expect(fitToDisplays(s, [fullHd]).x).toBeUndefined();
  });
  it('clamps the size to the display and to the minimum', () => {
    expect(fitToDisplays({ width: 5000, height: 5000, maximized: false }, [fullHd])).toMatchObject({
      width: 1920,
      height: 1040,
    });
    expect(fitToDisplays({ width: 10, height: 10, maximized: false }, [fullHd])).toMatchObject(MIN_SIZE);
  });
  it('moves a title bar above the work area down into it', () => {
    const area = { x: 0, y: 30, width: 1920, height: 1010 };
    expect(fitToDisplays({ x: 100, y: 0, width: 1000, height: 700, maximized: false }, [area])).toMatchObject(
      { x: 100, y: 30 },
    );
  });
});

describe('window state file', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('round-trips through the file and leaves no temporary files', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'netloom-ws-'));
    const s = { x: 1, y: 2, width: 1300, height: 800, maximized: true };
    await saveWindowState(dir, s);
    expect(await loadWindowState(dir)).toEqual(s);
    expect(await readdir(dir)).toEqual([WINDOW_STATE_FILE]);
    expect(JSON.parse(await readFile(path.join(dir, WINDOW_STATE_FILE), 'utf8'))).toEqual(s);
  });

  it('falls back to defaults for a missing or corrupt file', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'netloom-ws-'));
    expect(await loadWindowState(dir)).toEqual(DEFAULT_WINDOW_STATE);
    await writeFile(path.join(dir, WINDOW_STATE_FILE), '{"width": 12');
    expect(await loadWindowState(dir)).toEqual(DEFAULT_WINDOW_STATE);
  });
});
