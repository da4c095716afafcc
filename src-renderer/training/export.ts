/**
 * Exports of the training dashboard (framework-free, pure): run history and comparison table as
 * CSV (RFC 4180 via engine/data's writer), and line charts as standalone SVG documents.
 *
 * Invariants: CSV has one header row and one row per (run, epoch); a value a run did not report
 * is an empty cell (never 'NaN'); numbers are written with full precision (String(x)), so a
 * re-import gives back the same floats. SVG output needs no fonts or scripts from outside.
 */
import { writeCsv } from '../../engine/data/csv-writer';
import { comparisonRow, type RunRecord } from './history';

const num = (x: number | null | undefined): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '' : String(x);

/** Long-format history: run, status, epochs, batch_size, seed, backend, epoch, then every series (sorted). */
export function historyCsv(runs: readonly RunRecord[]): string {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.series)))].sort();
  const gradKeys = [...new Set(runs.flatMap((r) => Object.keys(r.gradNorms)))].sort();
  const header = ['run', 'epoch', ...keys, ...gradKeys.map((k) => `grad_norm.${k}`)];
  const rows: string[][] = [header];
  for (const r of runs)
    r.epochs.forEach((e, i) => {
      rows.push([
        r.label,
        String(e),
        ...keys.map((k) => num(r.series[k]?.[i])),
        ...gradKeys.map((k) => num(r.gradNorms[k]?.[i])),
      ]);
    });
  return writeCsv(rows);
}

/** The comparison table (one row per run: settings and final values). */
export function comparisonCsv(runs: readonly RunRecord[]): string {
  const header = [
    'run',
    'status',
    'dataset',
    'epochs',
    'batch_size',
    'seed',
    'backend',
    'train_loss',
    'validation_loss',
    'best_epoch',
    'metric',
    'train_metric',
    'validation_metric',
  ];
  const rows = runs.map((r) => {
    const c = comparisonRow(r);
    return [
      c.run,
      c.status,
      c.dataset,
      String(c.epochs),
      String(c.batchSize),
      String(c.seed),
      c.backend,
      num(c.trainLoss),
      num(c.validationLoss),
      c.bestEpoch === null ? '' : String(c.bestEpoch),
      c.metric ?? '',
      num(c.trainMetric),
      num(c.validationMetric),
    ];
  });
  return writeCsv([header, ...rows]);
}

/** Any table as CSV (experiment results). */
export function tableCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | null)[])[],
): string {
  return writeCsv([
    [...header],
    ...rows.map((r) => r.map((v) => (typeof v === 'number' ? num(v) : (v ?? '')))),
  ]);
}

export interface SvgSeries {
  label: string;
  color: string;
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Short tick label. */
function tick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(1) : String(+v.toPrecision(3));
}

/**
 * A line chart as an SVG document (width × height px). Non-finite points (and ≤ 0 with logY)
 * break the line. Returns a complete `<svg>` string.
 */
export function lineChartSvg(
  title: string,
  series: readonly SvgSeries[],
  opts: { width?: number; height?: number; logY?: boolean; xLabel?: string; yLabel?: string } = {},
): string {
  const W = opts.width ?? 640;
  const H = opts.height ?? 360;
  const m = { l: opts.yLabel ? 70 : 56, r: 16, t: 28, b: 40 };
  const ty = (y: number) => (opts.logY ? Math.log10(y) : y);
  const ok = (y: number) => Number.isFinite(y) && (!opts.logY || y > 0);
  let x0 = Infinity,
    x1 = -Infinity,
    y0 = Infinity,
    y1 = -Infinity;
  for (const s of series)
    for (let i = 0; i < Math.min(s.xs.length, s.ys.length); i++) {
      if (!ok(s.ys[i]) || !Number.isFinite(s.xs[i])) continue;
      x0 = Math.min(x0, s.xs[i]);
      x1 = Math.max(x1, s.xs[i]);
      y0 = Math.min(y0, ty(s.ys[i]));
      y1 = Math.max(y1, ty(s.ys[i]));
    }
  if (!Number.isFinite(x0)) {
    x0 = 0;
    x1 = 1;
    y0 = 0;
    y1 = 1;
  }
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) {
    y0 -= 0.5;
    y1 += 0.5;
  }
  const px = (x: number) => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const py = (y: number) => H - m.b - ((ty(y) - y0) / (y1 - y0)) * (H - m.t - m.b);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${m.l}" y="18" font-size="13" font-weight="600">${esc(title)}</text>`,
    `<line x1="${m.l}" y1="${H - m.b}" x2="${W - m.r}" y2="${H - m.b}" stroke="#888"/>`,
    `<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${H - m.b}" stroke="#888"/>`,
  ];
  for (let k = 0; k <= 4; k++) {
    const yv = y0 + ((y1 - y0) * k) / 4;
    const yy = H - m.b - ((yv - y0) / (y1 - y0)) * (H - m.t - m.b);
    parts.push(
      `<text x="${m.l - 6}" y="${yy.toFixed(1)}" text-anchor="end" dominant-baseline="middle">${tick(opts.logY ? 10 ** yv : yv)}</text>`,
    );
    const xv = x0 + ((x1 - x0) * k) / 4;
    parts.push(`<text x="${px(xv).toFixed(1)}" y="${H - m.b + 14}" text-anchor="middle">${tick(xv)}</text>`);
  }
  if (opts.xLabel)
    parts.push(`<text x="${(W + m.l) / 2}" y="${H - 6}" text-anchor="middle">${esc(opts.xLabel)}</text>`);
  if (opts.yLabel) {
    const cy = (m.t + H - m.b) / 2;
    parts.push(
      `<text x="12" y="${cy}" text-anchor="middle" transform="rotate(-90 12 ${cy})">${esc(opts.yLabel)}</text>`,
    );
  }
  series.forEach((s, si) => {
    let d = '';
    let pen = false;
    for (let i = 0; i < Math.min(s.xs.length, s.ys.length); i++) {
      if (!ok(s.ys[i]) || !Number.isFinite(s.xs[i])) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${px(s.xs[i]).toFixed(2)} ${py(s.ys[i]).toFixed(2)}`;
      pen = true;
    }
    if (d) parts.push(`<path d="${d}" fill="none" stroke="${esc(s.color)}" stroke-width="1.5"/>`);
    parts.push(
      `<rect x="${W - m.r - 150}" y="${m.t + si * 16}" width="10" height="10" fill="${esc(s.color)}"/>`,
    );
    parts.push(`<text x="${W - m.r - 136}" y="${m.t + si * 16 + 9}">${esc(s.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** A safe file name stem from a label ('Run 3 · iris' → 'run-3-iris'). */
export function fileStem(label: string): string {
  return (
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'chart'
  );
}
