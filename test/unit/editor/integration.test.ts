// Wiring between the import wizard, the editor's document and the trainer's outcome (framework-free
// parts of src-renderer/editor/project-io.ts), and the chart theme read from styles/theme.css.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  datasetReferenceToSave,
  loadCsv,
  newDocument,
  parseProject,
  serializeEditorProject,
  templateGraph,
  withImportSettings,
  withRunOutcome,
} from '../../../src-renderer/editor/project-io';
import { readChartTheme, seriesColor, SERIES_VARS } from '../../../src-renderer/lib/chart-theme';
import type { Project, Run } from '../../../engine/project';
import type { Graph } from '../../../engine/graph';

const enc = (s: string) => new TextEncoder().encode(s);

describe('loadCsv honours the wizard read settings', () => {
  // Semicolon-separated, decimal comma, no header: 4 rows of (a, b, label).
  const csv = '1,5;2,0;x\n2,5;3,0;y\n3,5;4,0;x\n4,5;5,0;y\n';

  it('reads delimiter, decimal and header as told', async () => {
    const loaded = await loadCsv('d.csv', enc(csv), {
      read: { delimiter: ';', decimal: ',', header: false },
    });
    expect(loaded.rows).toBe(4);
    expect(loaded.columns).toHaveLength(3);
    // Two numeric features (1.5, 2.0 …), one binary target column (the last by default).
    expect(loaded.info.featureWidth).toBe(2);
    expect(loaded.reference.importSettings).toEqual({
      read: { delimiter: ';', decimal: ',', header: false },
    });
  });

  it('header: true makes the first row the column names (one data row fewer)', async () => {
    const loaded = await loadCsv('d.csv', enc('a;b;c\n' + csv), { read: { delimiter: ';', decimal: ',' } });
    expect(loaded.columns).toEqual(['a', 'b', 'c']);
    expect(loaded.rows).toBe(4);
  });

  it('an explicit header: true overrides the detection (which reads this numeric first row as data)', async () => {
    const auto = await loadCsv('d.csv', enc(csv), {});
    expect(auto.rows).toBe(4);
    const forced = await loadCsv('d.csv', enc(csv), { read: { header: true } });
    expect(forced.rows).toBe(3);
    expect(forced.columns).toEqual(['1,5', '2,0', 'x']);
  });

  it('badRows: skip drops a short row that the default refuses', async () => {
    const bad = 'a,b,c\n1,2,x\n3,4\n5,6,y\n7,8,x\n';
    await expect(loadCsv('bad.csv', enc(bad), {})).rejects.toThrow();
    const loaded = await loadCsv('bad.csv', enc(bad), { read: { badRows: 'skip' } });
    expect(loaded.rows).toBe(3);
  });
});

const refOf = (sha = 'a'.repeat(64)) => ({
  path: 'd.csv',
  sha256: sha,
  size: 10,
  importSettings: { read: { delimiter: ',' } },
  preprocessing: { scaler: 'fitted' },
});

function docWithDataset(): Project {
  return { ...newDocument('p', '0.0.0'), dataset: refOf() } as Project;
}

describe('withImportSettings', () => {
  it('stores a plain copy, resets the fitted preprocessing and leaves the input alone', () => {
    const doc = docWithDataset();
    const settings = { read: { delimiter: ';' }, prepare: { targets: ['y'] } };
    const next = withImportSettings(doc, settings);
    expect(next.dataset?.importSettings).toEqual(settings);
    expect(next.dataset?.importSettings).not.toBe(settings);
    expect(next.dataset?.preprocessing).toBeNull();
    expect(doc.dataset?.importSettings).toEqual({ read: { delimiter: ',' } });
  });

  it('without a dataset reference there is nothing to store', () => {
    const doc = newDocument('p', '0.0.0');
    expect(withImportSettings(doc, { read: {} })).toBe(doc);
  });
});

describe('datasetReferenceToSave', () => {
  it('keeps the preprocessing for the same bytes and settings, drops it otherwise', () => {
    const doc = refOf();
    const loaded = { ...refOf(), preprocessing: null };
    expect(datasetReferenceToSave(loaded, doc)?.preprocessing).toEqual({ scaler: 'fitted' });
    expect(datasetReferenceToSave({ ...loaded, sha256: 'b'.repeat(64) }, doc)?.preprocessing).toBeNull();
    const other = { ...loaded, importSettings: { read: { delimiter: ';' } } };
    expect(datasetReferenceToSave(other, doc)?.preprocessing).toBeNull();
    expect(datasetReferenceToSave(null, doc)).toBe(doc);
  });
});

function fakeRun(id: string, graph: Graph, w: number[]): Run {
  return {
    id,
    pinned: false,
    status: 'completed',
    startedAt: '2026-11-29T21:00:00.000Z',
    finishedAt: '2026-11-29T21:00:01.000Z',
    settings: { epochs: 1, batchSize: 4, seed: 1, backend: 'cpu', earlyStopping: null },
    graph: graph as Run['graph'],
    history: [],
    final: { train: { loss: 0.5 }, validation: null, test: null },
    checkpoint: {
      epoch: 1,
      step: 1,
      weights: [{ name: 'dense_1.weight', shape: [w.length], data: Float32Array.from(w) }],
      optimizerState: null,
      rngState: null,
    },
  };
}

describe('withRunOutcome', () => {
  const graph = templateGraph();

  it('appends the run, stores the preprocessing, and Save keeps the weights', () => {
    const doc = { ...docWithDataset(), graph: graph as Project['graph'] };
    const recipe = { kind: 'recipe', means: [1.5, 2] };
    const next = withRunOutcome(doc, {
      run: fakeRun('run-a', graph, [0.25, -1.5, 3]),
      preprocessing: recipe,
    });
    expect(next.runs.map((r) => r.id)).toEqual(['run-a']);
    expect(next.dataset?.preprocessing).toEqual(recipe);
    expect(doc.runs).toHaveLength(0);

    const text = serializeEditorProject(next, 'p', graph, next.dataset, '0.0.0');
    const reopened = parseProject(text);
    expect(reopened.dataset?.preprocessing).toEqual(recipe);
    const weights = reopened.runs[0].checkpoint?.weights[0];
    expect(weights?.shape).toEqual([3]);
    expect(Array.from(weights!.data)).toEqual([0.25, -1.5, 3]); // exactly representable in float32
  });

  it('a second run goes last; a repeated id replaces instead of duplicating', () => {
    let doc = docWithDataset();
    doc = withRunOutcome(doc, { run: fakeRun('r1', graph, [1]), preprocessing: null });
    doc = withRunOutcome(doc, { run: fakeRun('r2', graph, [2]), preprocessing: null });
    doc = withRunOutcome(doc, { run: fakeRun('r1', graph, [3]), preprocessing: null });
    expect(doc.runs.map((r) => r.id)).toEqual(['r2', 'r1']);
    expect(Array.from(doc.runs[1].checkpoint!.weights[0].data)).toEqual([3]);
  });

  it('refuses a run without an id with a clear message', () => {
    expect(() =>
      withRunOutcome(docWithDataset(), { run: { status: 'completed' }, preprocessing: null }),
    ).toThrow(/without an id/);
  });
});

/** Variables of one `:root { … }` block of theme.css (light: the first; dark: the one in the media query). */
function themeVars(dark: boolean): Map<string, string> {
  const css = readFileSync(new URL('../../../src-renderer/styles/theme.css', import.meta.url), 'utf8');
  const at = dark ? css.indexOf('prefers-color-scheme: dark') : 0;
  const start = css.indexOf(':root', at);
  const body = css.slice(start, css.indexOf('}', start));
  return new Map([...body.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]));
}

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
    const l = c.map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

describe('chart theme', () => {
  for (const dark of [false, true]) {
    it(`${dark ? 'dark' : 'light'} scheme: every series and the axis text are legible on the chart background`, () => {
      const vars = themeVars(dark);
      const theme = readChartTheme((n) => vars.get(n) ?? '');
      expect(theme.background).toBe(vars.get('--bg-surface'));
      expect(theme.series).toHaveLength(SERIES_VARS.length);
      // Graphical objects need 3:1 (WCAG 1.4.11); text 4.5:1.
      for (const c of theme.series) expect(contrast(c, theme.background)).toBeGreaterThanOrEqual(3);
      expect(contrast(theme.text, theme.background)).toBeGreaterThanOrEqual(4.5);
    });
  }

  it('the dark scheme uses its own colours, not the light ones', () => {
    const light = readChartTheme((n) => themeVars(false).get(n) ?? '');
    const dark = readChartTheme((n) => themeVars(true).get(n) ?? '');
    expect(dark.text).not.toBe(light.text);
    expect(dark.series[0]).not.toBe(light.series[0]);
  });

  it('missing variables fall back to grey and series colours cycle', () => {
    const t = readChartTheme(() => '');
    expect(t.text).toBe('#888888');
    const full = readChartTheme((n) => themeVars(false).get(n) ?? '');
    expect(seriesColor(full, SERIES_VARS.length)).toBe(full.series[0]);
  });
});
