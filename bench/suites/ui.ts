/**
 * `npm run bench -- --suite ui [--epochs N] [--interval-ms M]`: streaming a training run into the
 * dashboard. Two parts, reported and never asserted:
 *
 * 1. Node: cost of folding N epoch events (6 series each: train/validation loss and accuracy,
 *    learning rate, gradient norm) plus batch events into a RunRecord, and of one redraw's data
 *    preparation (min–max decimation of every series to 400 points).
 * 2. Chromium (when one is found, as for the Playwright tests): the same stream fed at one epoch
 *    every M ms (default 2) into the real reducer, Throttle (≤ 10 redraws/s) and chart.js charts
 *    (animation off), while a Long Tasks API observer records main-thread tasks > 50 ms. The figure
 *    of merit is the longest task (target: < 100 ms) and the number over 100 ms.
 *
 * Writes bench-results/ui.json.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunEvent } from '../../engine/session/protocol';
import { decimate } from '../../src-renderer/training/chart-data';
import { applyEvent, newRunRecord } from '../../src-renderer/training/history';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function arg(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
}

/** The synthetic epoch event k of n (6 series). */
function epochEvent(k: number, n: number): RunEvent {
  const loss = 0.05 + Math.exp(-k / 150) + 0.01 * Math.sin(k);
  return {
    type: 'epoch',
    runId: 'bench',
    epoch: k,
    epochs: n,
    train: { loss, accuracy: 1 - loss / 2 },
    validation: { loss: loss * 1.1, accuracy: 1 - loss / 1.8 },
    learningRate: 0.01 * Math.cos((Math.PI * k) / (2 * n)),
    wallMs: 1,
    gradientNorm: { global: 1 / Math.sqrt(k), perTensor: {} },
  } as RunEvent;
}

function nodePart(epochs: number) {
  const r = newRunRecord('b', 'bench', { epochs, batchSize: 16, seed: 1, backend: 'cpu' });
  r.runId = 'bench';
  applyEvent(r, { type: 'started', runId: 'bench', backend: 'cpu', epochs, batchesPerEpoch: 10 });
  const t0 = performance.now();
  for (let k = 1; k <= epochs; k++) {
    for (let b = 1; b <= 10; b++)
      applyEvent(r, { type: 'batch', runId: 'bench', epoch: k, batch: b, batchesPerEpoch: 10, loss: 1 / k });
    applyEvent(r, epochEvent(k, epochs));
  }
  const foldMs = performance.now() - t0;
  const t1 = performance.now();
  const reps = 50;
  for (let i = 0; i < reps; i++) {
    for (const ys of Object.values(r.series)) decimate(r.epochs, ys, 400);
    for (const ys of Object.values(r.gradNorms)) decimate(r.epochs, ys, 400);
    decimate(r.batchX, r.batchLoss, 400);
  }
  const redrawDataMs = (performance.now() - t1) / reps;
  return { epochs, events: epochs * 11, foldMs, perEventUs: (foldMs * 1000) / (epochs * 11), redrawDataMs };
}

const PAGE = (epochs: number, interval: number) => `<!doctype html><html><body style="width:1200px">
<div id="charts" style="display:grid;grid-template-columns:repeat(3,380px);gap:8px"></div>
<script type="module">
import { Chart, LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend } from 'chart.js';
import { applyEvent, newRunRecord } from '/src-renderer/training/history.ts';
import { decimate } from '/src-renderer/training/chart-data.ts';
import { Throttle } from '/src-renderer/training/timing.ts';
Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend);
const longTasks = [];
new PerformanceObserver((l) => { for (const e of l.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration }); }).observe({ type: 'longtask', buffered: true });
const N = ${epochs};
const keys = ['train.loss', 'validation.loss', 'train.accuracy', 'validation.accuracy', 'lr'];
const charts = keys.concat(['grad']).map((k) => {
  const c = document.createElement('canvas'); c.width = 380; c.height = 200;
  document.getElementById('charts').append(c);
  return new Chart(c, { type: 'line', data: { datasets: [{ label: k, data: [], parsing: false, pointRadius: 0, borderWidth: 1 }] },
    options: { animation: false, responsive: false, scales: { x: { type: 'linear' }, y: { type: 'linear' } } } });
});
const r = newRunRecord('b', 'bench', { epochs: N, batchSize: 16, seed: 1, backend: 'cpu' });
r.runId = 'bench';
applyEvent(r, { type: 'started', runId: 'bench', backend: 'cpu', epochs: N, batchesPerEpoch: 10 });
let redraws = 0;
const draw = () => {
  redraws++;
  keys.forEach((k, i) => { charts[i].data.datasets[0].data = decimate(r.epochs, r.series[k] ?? [], 400); charts[i].update('none'); });
  charts[5].data.datasets[0].data = decimate(r.epochs, r.gradNorms.global ?? [], 400); charts[5].update('none');
};
const throttle = new Throttle(draw, 100);
const t0 = performance.now();
let k = 0;
await new Promise((done) => {
  const tick = () => {
    k++;
    const loss = 0.05 + Math.exp(-k / 150) + 0.01 * Math.sin(k);
    applyEvent(r, { type: 'epoch', runId: 'bench', epoch: k, epochs: N, train: { loss, accuracy: 1 - loss / 2 },
      validation: { loss: loss * 1.1, accuracy: 1 - loss / 1.8 }, learningRate: 0.01 * Math.cos(Math.PI * k / (2 * N)), wallMs: 1,
      gradientNorm: { global: 1 / Math.sqrt(k), perTensor: {} } });
    throttle.request();
    if (k < N) setTimeout(tick, ${interval}); else setTimeout(done, 300);
  };
  tick();
});
window.__result = { wallMs: performance.now() - t0, redraws, longTasks: longTasks.filter((t) => t.start >= t0).map((t) => t.duration), setupLongTasks: longTasks.filter((t) => t.start < t0).map((t) => t.duration) };
</script></body></html>`;

async function browserPart(epochs: number, interval: number) {
  const exe = process.env.NETLOOM_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : null);
  const { chromium } = await import('@playwright/test');
  const executablePath = exe ?? (existsSync(chromium.executablePath()) ? chromium.executablePath() : null);
  if (!executablePath) return { skipped: 'no Chromium found (apt-get install -y chromium)' };
  const dir = join(repo, '.tmp-bench-ui');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.html'), PAGE(epochs, interval));
  const { createServer } = await import('vite');
  const server = await createServer({
    configFile: false,
    root: repo,
    logLevel: 'error',
    server: { port: 0, host: '127.0.0.1' },
    optimizeDeps: { include: ['chart.js'] },
  });
  await server.listen();
  const address = server.httpServer?.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/.tmp-bench-ui/index.html`);
    await page.waitForFunction(
      () => (globalThis as unknown as { __result?: unknown }).__result !== undefined,
      null,
      {
        timeout: 120_000,
      },
    );
    const res = (await page.evaluate(() => (globalThis as unknown as { __result: unknown }).__result)) as {
      wallMs: number;
      redraws: number;
      longTasks: number[];
      setupLongTasks: number[];
    };
    return {
      epochs,
      intervalMs: interval,
      wallMs: res.wallMs,
      redraws: res.redraws,
      redrawsPerSecond: res.redraws / (res.wallMs / 1000),
      longTasks: res.longTasks.length,
      longTasksOver100ms: res.longTasks.filter((d) => d > 100).length,
      longestTaskMs: res.longTasks.length ? Math.max(...res.longTasks) : 0,
      // Page load and chart creation, before the stream starts (not part of the figure of merit).
      setupLongTasksMs: res.setupLongTasks,
    };
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(args: string[]): Promise<void> {
  const epochs = arg(args, '--epochs', 1000);
  const interval = arg(args, '--interval-ms', 2);
  const node = nodePart(epochs);
  console.log(
    `node: ${node.events} events folded in ${node.foldMs.toFixed(1)} ms (${node.perEventUs.toFixed(2)} µs/event); ` +
      `one redraw's decimation ${node.redrawDataMs.toFixed(2)} ms`,
  );
  let browser: Record<string, unknown>;
  try {
    browser = await browserPart(epochs, interval);
  } catch (err) {
    browser = { skipped: err instanceof Error ? err.message : String(err) };
  }
  console.log('chromium:', JSON.stringify(browser));
  mkdirSync(join(repo, 'bench-results'), { recursive: true });
  writeFileSync(
    join(repo, 'bench-results', 'ui.json'),
    JSON.stringify({ suite: 'ui', date: new Date().toISOString(), node, browser }, null, 2),
  );
}
