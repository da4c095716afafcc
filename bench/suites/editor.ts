/**
 * `npm run bench -- --suite editor [--nodes N]`: canvas responsiveness with a large graph, reported
 * and never asserted.
 *
 * Opens a generated project of N nodes (default 300: Dataset → (Dense → ReLU)×k → Dense → Loss ← Adam)
 * in the built web edition (out/web; run `npm run build:web` first) in Chromium, then runs two
 * scripted gestures while a requestAnimationFrame probe and a Long Animation Frames / Long Tasks
 * observer record main-thread time:
 *   1. drag one node across the canvas (60 pointer moves, one undo step);
 *   2. zoom in and out with 40 wheel events.
 * Per gesture it reports frame intervals (p50/p95/max, ms), the long animation frames, and the
 * average main-thread work per frame (Chromium's TaskDuration counter over the gesture / frames);
 * target: < 20 ms per frame. The web build is read from $NETLOOM_WEB_OUT (default out/web).
 * Node part: validation + canvas-view rebuild of the same graph (what each edit costs).
 *
 * Writes bench-results/editor.json.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateGraph, type Graph } from '../../engine/graph';
import { bigGraph } from '../../test/fixtures/big-graph';
import { ViewCache } from '../../src-renderer/editor/flow-model';
import { newDocument, serializeEditorProject } from '../../src-renderer/editor/project-io';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function arg(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
}

function pct(xs: number[], p: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

function nodePart(graph: Graph) {
  const ds = { featureWidth: 4, task: 'multiclass' as const, targetWidth: 1, numClasses: 3, trainRows: 120 };
  const reps = 20;
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) validateGraph(graph, { dataset: ds, batchSize: 16 });
  const validateMs = (performance.now() - t0) / reps;
  const a = validateGraph(graph, { dataset: ds });
  const t1 = performance.now();
  for (let i = 0; i < reps; i++) new ViewCache().views(graph, a);
  const viewsMs = (performance.now() - t1) / reps;
  return { nodes: graph.nodes.length, edges: graph.edges.length, validateMs, viewsMs };
}

const PROBE = `
window.__frames = [];
window.__loaf = [];
window.__recording = false;
const tick = (t) => { if (window.__recording) window.__frames.push(t); requestAnimationFrame(tick); };
requestAnimationFrame(tick);
try {
  new PerformanceObserver((l) => { for (const e of l.getEntries()) if (window.__recording) window.__loaf.push({ duration: e.duration, blocking: e.blockingDuration ?? 0 }); })
    .observe({ type: 'long-animation-frame', buffered: false });
} catch {
  new PerformanceObserver((l) => { for (const e of l.getEntries()) if (window.__recording) window.__loaf.push({ duration: e.duration, blocking: 0 }); })
    .observe({ type: 'longtask', buffered: false });
}`;

async function browserPart(file: string) {
  const exe = process.env.NETLOOM_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : null);
  const { chromium } = await import('@playwright/test');
  const executablePath = exe ?? (existsSync(chromium.executablePath()) ? chromium.executablePath() : null);
  if (!executablePath) return { skipped: 'no Chromium found (apt-get install -y chromium)' };
  // NETLOOM_WEB_OUT: the same override the web build and vite.web.config.ts's preview read.
  const webOut = process.env.NETLOOM_WEB_OUT ?? 'out/web';
  if (!existsSync(join(resolve(repo, webOut), 'index.html')))
    return { skipped: `${webOut} missing: run \`npm run build:web\` first` };
  const { preview } = await import('vite');
  const server = await preview({
    configFile: join(repo, 'vite.web.config.ts'),
    logLevel: 'error',
    preview: { port: 0, host: '127.0.0.1' },
  });
  const address = server.httpServer.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.addInitScript(PROBE);
    await page.goto(`http://127.0.0.1:${port}/`);
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: /Open…/ }).click();
    await (await chooser).setFiles(file);
    await page.locator('.svelte-flow__node').first().waitFor();
    await page.waitForTimeout(500);
    const rendered = await page.locator('.svelte-flow__node').count();

    // Main-thread busy time (script, style, layout, paint recording) from Chromium's own counters.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const busySeconds = async () =>
      ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ??
        0) as number;

    const measure = async (name: string, gesture: () => Promise<void>) => {
      const busy0 = await busySeconds();
      await page.evaluate(() => {
        const w = globalThis as unknown as { __frames: number[]; __loaf: unknown[]; __recording: boolean };
        w.__frames = [];
        w.__loaf = [];
        w.__recording = true;
      });
      await gesture();
      await page.waitForTimeout(300);
      const r = (await page.evaluate(() => {
        const w = globalThis as unknown as {
          __frames: number[];
          __loaf: { duration: number; blocking: number }[];
          __recording: boolean;
        };
        w.__recording = false;
        return { frames: w.__frames, loaf: w.__loaf };
      })) as { frames: number[]; loaf: { duration: number; blocking: number }[] };
      const busyMs = ((await busySeconds()) - busy0) * 1000;
      const intervals = r.frames.slice(1).map((t, i) => t - r.frames[i]);
      return {
        gesture: name,
        frames: intervals.length,
        // Average main-thread work per frame (includes the 300 ms settle; target < 20 ms).
        mainThreadMsPerFrame: intervals.length ? busyMs / intervals.length : 0,
        frameIntervalP50Ms: pct(intervals, 50),
        frameIntervalP95Ms: pct(intervals, 95),
        frameIntervalMaxMs: intervals.length ? Math.max(...intervals) : 0,
        longFrames: r.loaf.length,
        longestFrameMs: r.loaf.length ? Math.max(...r.loaf.map((l) => l.duration)) : 0,
        framesOver20Ms: intervals.filter((d) => d > 20).length,
      };
    };

    const node = page.locator('.svelte-flow__node').nth(13);
    const box = (await node.boundingBox())!;
    const drag = await measure('drag one node', async () => {
      await page.mouse.move(box.x + 30, box.y + 12);
      await page.mouse.down();
      for (let i = 1; i <= 60; i++) {
        await page.mouse.move(box.x + 30 + i * 6, box.y + 12 + i * 3);
        await page.waitForTimeout(16);
      }
      await page.mouse.up();
    });
    const canvas = (await page.getByRole('region', { name: 'Graph canvas' }).boundingBox())!;
    const zoom = await measure('wheel zoom in and out', async () => {
      await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 3);
      for (let i = 0; i < 40; i++) {
        await page.mouse.wheel(0, i < 20 ? -60 : 60);
        await page.waitForTimeout(16);
      }
    });
    return { nodesOnCanvas: rendered, gestures: [drag, zoom] };
  } finally {
    await browser.close();
    await new Promise<void>((r) => server.httpServer.close(() => r()));
  }
}

export async function run(args: string[]): Promise<void> {
  const n = arg(args, '--nodes', 300);
  const graph = bigGraph(n);
  const node = nodePart(graph);
  console.log(
    `node: ${node.nodes} nodes, ${node.edges} edges — validate ${node.validateMs.toFixed(2)} ms, canvas views ${node.viewsMs.toFixed(2)} ms`,
  );
  const dir = join(repo, '.tmp-bench-editor');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `big-${n}.netloom.json`);
  writeFileSync(
    file,
    serializeEditorProject(newDocument('bench', '0.0.0'), `bench ${n}`, graph, null, '0.0.0'),
  );
  let browser: Record<string, unknown>;
  try {
    browser = await browserPart(file);
  } catch (err) {
    browser = { skipped: err instanceof Error ? err.message : String(err) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('chromium:', JSON.stringify(browser, null, 1));
  mkdirSync(join(repo, 'bench-results'), { recursive: true });
  writeFileSync(
    join(repo, 'bench-results', 'editor.json'),
    JSON.stringify({ suite: 'editor', date: new Date().toISOString(), node, browser }, null, 2),
  );
}
