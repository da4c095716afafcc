/**
 * Window size and position, remembered between sessions in `<userData>/window-state.json`.
 * Framework-free: the display work areas are passed in, so the logic is unit-tested.
 *
 * Invariants: a restored window is at least MIN_SIZE, no larger than the display it lands on,
 * and at least partly visible on some display (a monitor that was unplugged does not strand
 * the window off-screen); a corrupt or foreign file falls back to the defaults.
 */

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../files/atomic-write';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** Absent when the window should be centred by the OS. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1400, height: 900, maximized: false };
export const MIN_SIZE = { width: 900, height: 600 } as const;
/** How much of the title bar must be on a display for a saved position to be kept. */
const MIN_VISIBLE = 64;

export const WINDOW_STATE_FILE = 'window-state.json';

/** Reads a state object from parsed JSON; returns null when it is not a valid state. */
export function parseWindowState(json: unknown): WindowState | null {
  if (typeof json !== 'object' || json === null) return null;
  const o = json as Record<string, unknown>;
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  if (!finite(o.width) || !finite(o.height) || o.width <= 0 || o.height <= 0) return null;
  const state: WindowState = {
    width: Math.round(o.width),
    height: Math.round(o.height),
    maximized: o.maximized === true,
  };
  if (finite(o.x) && finite(o.y)) {
    state.x = Math.round(o.x);
    state.y = Math.round(o.y);
  }
  return state;
}

function overlap(a: Rect, b: Rect): Rect {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const w = Math.min(a.x + a.width, b.x + b.width) - x;
  const h = Math.min(a.y + a.height, b.y + b.height) - y;
  return { x, y, width: Math.max(0, w), height: Math.max(0, h) };
}

/**
 * Fits a saved state to the current displays (their work areas, primary first).
 * Drops the position when the title bar would not be visible on any display.
 */
export function fitToDisplays(state: WindowState, workAreas: readonly Rect[]): WindowState {
  const primary = workAreas[0] ?? {
    x: 0,
    y: 0,
    width: DEFAULT_WINDOW_STATE.width,
    height: DEFAULT_WINDOW_STATE.height,
  };
  let { x, y } = state;
  let area = primary;
  if (x !== undefined && y !== undefined) {
    const titleBar = { x, y, width: state.width, height: 32 };
    const host = workAreas.find((a) => {
      const o = overlap(titleBar, a);
      return o.width >= MIN_VISIBLE && o.height > 0;
    });
    if (host) area = host;
    else {
      x = undefined;
      y = undefined;
    }
  }
  const width = Math.max(MIN_SIZE.width, Math.min(state.width, area.width));
  const height = Math.max(MIN_SIZE.height, Math.min(state.height, area.height));
  const out: WindowState = { width, height, maximized: state.maximized };
  if (x !== undefined && y !== undefined) {
    // Keep the title bar below the top of the work area.
    out.x = x;
    out.y = Math.max(y, area.y);
  }
  return out;
}

/** Loads the saved state from `dir` (defaults when missing or corrupt). */
export async function loadWindowState(dir: string): Promise<WindowState> {
  try {
    const text = await fs.readFile(path.join(dir, WINDOW_STATE_FILE), 'utf8');
    return parseWindowState(JSON.parse(text)) ?? { ...DEFAULT_WINDOW_STATE };
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
}

/** Saves the state to `dir` atomically. */
export async function saveWindowState(dir: string, state: WindowState): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await writeFileAtomic(path.join(dir, WINDOW_STATE_FILE), JSON.stringify(state, null, 2) + '\n');
}
