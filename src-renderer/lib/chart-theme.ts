/**
 * Chart colours from the theme's CSS variables (styles/theme.css), so chart.js canvases, which
 * cannot use `var(--…)`, follow the light/dark scheme like the rest of the UI.
 *
 * Framework-free: `readChartTheme` takes a variable reader (in the app, getComputedStyle on the root
 * element; in tests, values parsed from theme.css). Invariant: every colour is non-empty (a missing
 * variable falls back to a mid grey that is legible on both backgrounds).
 */

/** Variables the series colours come from, in order (distinct hues, each with a dark-mode variant). */
export const SERIES_VARS = [
  '--cat-layers',
  '--cat-losses',
  '--cat-data',
  '--cat-activations',
  '--cat-schedules',
  '--cat-optimizers',
  '--cat-initializers',
  '--danger',
] as const;

export interface ChartTheme {
  /** Axis titles, tick labels, legend text. */
  text: string;
  /** Grid lines. */
  grid: string;
  /** Background the chart is drawn on (for contrast checks and heat maps). */
  background: string;
  /** One colour per series, cycled. */
  series: string[];
}

const FALLBACK = '#888888';

/** Reads the chart colours through `read(name)` (returns '' for an unknown variable). */
export function readChartTheme(read: (name: string) => string): ChartTheme {
  const v = (name: string) => read(name).trim() || FALLBACK;
  return {
    text: v('--text-muted'),
    grid: v('--border'),
    background: v('--bg-surface'),
    series: SERIES_VARS.map(v),
  };
}

/** Colour of series `i` (cycles through the palette). */
export function seriesColor(theme: ChartTheme, i: number): string {
  const n = theme.series.length;
  return theme.series[((i % n) + n) % n];
}

/** The theme of the document now (browser only). */
export function documentChartTheme(): ChartTheme {
  const style = getComputedStyle(document.documentElement);
  return readChartTheme((name) => style.getPropertyValue(name));
}

/**
 * Calls `onChange` whenever the colour scheme flips (system light/dark switch); returns the unsubscriber.
 */
export function onSchemeChange(onChange: () => void): () => void {
  const mq = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
  if (!mq) return () => {};
  mq.addEventListener('change', onChange);
  return () => mq.removeEventListener('change', onChange);
}
