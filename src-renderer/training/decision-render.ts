/**
 * Drawing of a decision map (./decision-grid): one layout shared by the canvas (screen and PNG) and
 * the SVG export — plot area with labelled axes and ticks in original units, the class regions
 * shaded by the probability of the predicted class, the points coloured by their true class, and a
 * legend with the class labels.
 *
 * Invariants: framework-free; colours come in as CSS strings resolved to RGB by the caller
 * (`rgbOf`), so the same picture is produced in light and dark themes from their palettes.
 */
import type { DecisionMap } from './decision-grid';

export interface MapColors {
  /** Class colours, RGB 0–255, one per class. */
  classes: [number, number, number][];
  background: [number, number, number];
  /** Axis, tick and legend text. */
  text: string;
  grid: string;
  /** Halo around the points (the background colour, so they stand out on any region). */
  outline: string;
}

export const LAYOUT = { width: 600, height: 380, left: 62, right: 170, top: 14, bottom: 48 } as const;

export const plotBox = () => ({
  x: LAYOUT.left,
  y: LAYOUT.top,
  w: LAYOUT.width - LAYOUT.left - LAYOUT.right,
  h: LAYOUT.height - LAYOUT.top - LAYOUT.bottom,
});

/** About `count` round tick values inside [min, max] (steps 1, 2 or 5 × 10^k). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  const span = max - min;
  if (!(span > 0)) return [min];
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

/**
 * Opacity of a cell's class colour from the probability p of its predicted class among K classes:
 * 0.12 at chance (1/K), 0.7 at certainty, so uncertain regions near the boundary fade out.
 */
export function shade(p: number, K: number): number {
  const chance = 1 / Math.max(2, K);
  const t = Math.min(1, Math.max(0, (p - chance) / (1 - chance)));
  return 0.12 + 0.58 * t;
}

/** RGBA pixels [n·n·4] of the map's cells, top row = highest y (image order). */
export function cellPixels(map: DecisionMap, c: MapColors): Uint8ClampedArray<ArrayBuffer> {
  const n = map.n;
  const K = map.classes.length;
  const px = new Uint8ClampedArray(n * n * 4);
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      const cell = j * n + i;
      const a = shade(map.confidence[cell], K);
      const col = c.classes[map.predicted[cell]] ?? c.background;
      const o = ((n - 1 - j) * n + i) * 4;
      for (let ch = 0; ch < 3; ch++) px[o + ch] = Math.round(a * col[ch] + (1 - a) * c.background[ch]);
      px[o + 3] = 255;
    }
  return px;
}

const fmt = (v: number) => String(Number(v.toPrecision(4)));
const rgb = (c: [number, number, number]) => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;

/** Pixel position of a value on the x / y axis. */
export function toPx(map: DecisionMap, x: number, y: number): [number, number] {
  const b = plotBox();
  return [
    b.x + ((x - map.x.min) / (map.x.max - map.x.min)) * b.w,
    b.y + b.h - ((y - map.y.min) / (map.y.max - map.y.min)) * b.h,
  ];
}

/** Draws the whole figure (cells from `cells`, an n × n image) on a 2D context of LAYOUT size. */
export function drawMap(
  ctx: CanvasRenderingContext2D,
  map: DecisionMap,
  c: MapColors,
  cells: CanvasImageSource,
): void {
  const b = plotBox();
  ctx.save();
  ctx.fillStyle = rgb(c.background);
  ctx.fillRect(0, 0, LAYOUT.width, LAYOUT.height);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(cells, b.x, b.y, b.w, b.h);
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = c.text;
  ctx.strokeStyle = c.grid;
  ctx.lineWidth = 1;
  ctx.strokeRect(b.x + 0.5, b.y + 0.5, b.w, b.h);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of niceTicks(map.x.min, map.x.max)) {
    const [px] = toPx(map, t, map.y.min);
    ctx.beginPath();
    ctx.moveTo(px, b.y + b.h);
    ctx.lineTo(px, b.y + b.h + 4);
    ctx.stroke();
    ctx.fillText(fmt(t), px, b.y + b.h + 6);
  }
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of niceTicks(map.y.min, map.y.max)) {
    const [, py] = toPx(map, map.x.min, t);
    ctx.beginPath();
    ctx.moveTo(b.x - 4, py);
    ctx.lineTo(b.x, py);
    ctx.stroke();
    ctx.fillText(fmt(t), b.x - 6, py);
  }
  ctx.font = '600 12px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  ctx.fillText(map.x.name, b.x + b.w / 2, LAYOUT.height - 6);
  ctx.save();
  ctx.translate(14, b.y + b.h / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = 'middle';
  ctx.fillText(map.y.name, 0, 0);
  ctx.restore();
  // Points: true class colour with a halo so they stand out on their own region.
  ctx.strokeStyle = c.outline;
  ctx.lineWidth = 1.5;
  for (let p = 0; p < map.points.x.length; p++) {
    const [px, py] = toPx(map, map.points.x[p], map.points.y[p]);
    ctx.beginPath();
    ctx.arc(px, py, 3.5, 0, 2 * Math.PI);
    ctx.fillStyle = rgb(c.classes[map.points.classes[p]] ?? c.background);
    ctx.fill();
    ctx.stroke();
  }
  // Legend.
  const lx = b.x + b.w + 18;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.font = '600 12px system-ui, sans-serif';
  ctx.fillStyle = c.text;
  ctx.fillText('Class', lx, b.y + 8);
  ctx.font = '11px system-ui, sans-serif';
  map.classes.forEach((label, k) => {
    const y = b.y + 28 + k * 20;
    ctx.fillStyle = rgb(c.classes[k]);
    ctx.globalAlpha = shade(1, 2);
    ctx.fillRect(lx, y - 7, 14, 14);
    ctx.globalAlpha = 1;
    ctx.beginPath();
    ctx.arc(lx + 7, y, 3.5, 0, 2 * Math.PI);
    ctx.fill();
    ctx.strokeStyle = c.outline;
    ctx.stroke();
    ctx.fillStyle = c.text;
    ctx.fillText(truncate(label, 18), lx + 22, y);
  });
  const ny = b.y + 40 + map.classes.length * 20;
  ctx.fillStyle = c.text;
  for (const [i, line] of legendNotes(map).entries()) ctx.fillText(line, lx, ny + i * 15);
  ctx.restore();
}

/** Short explanatory lines under the legend. */
export function legendNotes(map: DecisionMap): string[] {
  return [
    'Region: predicted class,',
    'faded where uncertain.',
    `Dots: ${map.points.split} rows,`,
    'coloured by true class.',
  ];
}

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The figure as an SVG document (same layout as `drawMap`); the cells are an embedded PNG image
 * (`cellsPng`: data URL of the n × n cell image), everything else is vector.
 */
export function mapSvg(map: DecisionMap, c: MapColors, cellsPng: string): string {
  const b = plotBox();
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${LAYOUT.width}" height="${LAYOUT.height}" viewBox="0 0 ${LAYOUT.width} ${LAYOUT.height}" font-family="system-ui, sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="${rgb(c.background)}"/>`,
    `<image href="${cellsPng}" x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" preserveAspectRatio="none" style="image-rendering:pixelated"/>`,
    `<rect x="${b.x + 0.5}" y="${b.y + 0.5}" width="${b.w}" height="${b.h}" fill="none" stroke="${c.grid}"/>`,
  ];
  for (const t of niceTicks(map.x.min, map.x.max)) {
    const [px] = toPx(map, t, map.y.min);
    out.push(
      `<line x1="${px}" y1="${b.y + b.h}" x2="${px}" y2="${b.y + b.h + 4}" stroke="${c.grid}"/>`,
      `<text x="${px}" y="${b.y + b.h + 16}" text-anchor="middle" fill="${c.text}">${fmt(t)}</text>`,
    );
  }
  for (const t of niceTicks(map.y.min, map.y.max)) {
    const [, py] = toPx(map, map.x.min, t);
    out.push(
      `<line x1="${b.x - 4}" y1="${py}" x2="${b.x}" y2="${py}" stroke="${c.grid}"/>`,
      `<text x="${b.x - 6}" y="${py + 4}" text-anchor="end" fill="${c.text}">${fmt(t)}</text>`,
    );
  }
  out.push(
    `<text x="${b.x + b.w / 2}" y="${LAYOUT.height - 8}" text-anchor="middle" font-weight="600" font-size="12" fill="${c.text}">${esc(map.x.name)}</text>`,
    `<text transform="translate(16 ${b.y + b.h / 2}) rotate(-90)" text-anchor="middle" font-weight="600" font-size="12" fill="${c.text}">${esc(map.y.name)}</text>`,
  );
  for (let p = 0; p < map.points.x.length; p++) {
    const [px, py] = toPx(map, map.points.x[p], map.points.y[p]);
    const col = c.classes[map.points.classes[p]] ?? c.background;
    out.push(
      `<circle cx="${px.toFixed(2)}" cy="${py.toFixed(2)}" r="3.5" fill="${rgb(col)}" stroke="${c.outline}" stroke-width="1.5"/>`,
    );
  }
  const lx = b.x + b.w + 18;
  out.push(`<text x="${lx}" y="${b.y + 12}" font-weight="600" font-size="12" fill="${c.text}">Class</text>`);
  map.classes.forEach((label, k) => {
    const y = b.y + 28 + k * 20;
    out.push(
      `<rect x="${lx}" y="${y - 7}" width="14" height="14" fill="${rgb(c.classes[k])}" fill-opacity="${shade(1, 2)}"/>`,
      `<circle cx="${lx + 7}" cy="${y}" r="3.5" fill="${rgb(c.classes[k])}" stroke="${c.outline}"/>`,
      `<text x="${lx + 22}" y="${y + 4}" fill="${c.text}">${esc(truncate(label, 18))}</text>`,
    );
  });
  const ny = b.y + 40 + map.classes.length * 20;
  legendNotes(map).forEach((line, i) =>
    out.push(`<text x="${lx}" y="${ny + i * 15 + 4}" fill="${c.text}">${esc(line)}</text>`),
  );
  out.push('</svg>');
  return out.join('\n');
}
