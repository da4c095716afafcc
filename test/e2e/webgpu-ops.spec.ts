// The backend-parameterised op suite on Chromium's WebGPU (issue #10), through its software adapter
// SwiftShader (`--enable-unsafe-webgpu` works with the config's `--disable-gpu`). The cases are
// test/unit/webgpu/cases.ts — the same list the vitest suite runs on Dawn/Mesa in Node — bundled
// with esbuild from ./webgpu-ops/entry.ts and served by Playwright on a test-only page of the app's
// origin (the app's own CSP forbids inline scripts; this page is not the app). Every primitive must
// match the CPU backend within 1e−6 + 1e−5·|cpu| (1e−4 relative for reductions over > 10⁴ elements)
// and the float64 reference; every composite loss's value and gradients (VJPs) must match the CPU's.
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { build } from 'esbuild';
import config from '../../playwright.config';
import type { CaseResult, OpsReport, Worst } from './webgpu-ops/report';

const baseArgs = config.use?.launchOptions?.args ?? [];
test.use({ launchOptions: { ...config.use?.launchOptions, args: [...baseArgs, '--enable-unsafe-webgpu'] } });

const PAGE_PATH = '/__webgpu_ops.html';
const SCRIPT_PATH = '/__webgpu_ops.js';
const GROUPS = ['elementwise', 'reductions', 'matmul/layout', 'vjp'] as const;

/** The entry and everything it imports (engine + shared cases) as one browser script. */
async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./webgpu-ops/entry.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

const fmt = (w: Worst) =>
  `${w.ratio.toPrecision(3)}× tolerance at [${w.index}]: got ${w.got}, want ${w.want}`;

/** Why a case fails (empty when it passes). */
function failures(r: CaseResult): string[] {
  if (r.error) return [`${r.name}: threw ${r.error}`];
  const out: string[] = [];
  if (r.vsCpu.length === 0) out.push(`${r.name}: no comparison was made`);
  r.vsCpu.forEach((w, k) => {
    const what = r.group === 'vjp' ? (k === 0 ? 'value' : `grad ${k - 1}`) : 'result';
    if (!(w.ratio <= 1)) out.push(`${r.name}: ${what} vs CPU backend: ${fmt(w)}`);
  });
  if (r.vsReference && !(r.vsReference.ratio <= 1))
    out.push(`${r.name}: vs float64 reference: ${fmt(r.vsReference)}`);
  if (!r.gradientNonZero) out.push(`${r.name}: the CPU gradients are all ≈ 0, so equality proves nothing`);
  return out;
}

test.describe('op suite on WebGPU in Chromium (SwiftShader)', () => {
  test.setTimeout(90_000);

  test('every primitive and VJP matches the CPU backend', async ({ page }) => {
    const script = await bundle();
    await page.route(PAGE_PATH, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><title>WebGPU ops</title><script type="module" src="${SCRIPT_PATH}"></script>`,
      }),
    );
    await page.route(SCRIPT_PATH, (route) => route.fulfill({ contentType: 'text/javascript', body: script }));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(PAGE_PATH);
    await page.waitForFunction(() => '__webgpuOps' in window, undefined, { timeout: 15_000 });
    const report: OpsReport = await page.evaluate(
      () => (window as unknown as { __webgpuOps: Promise<OpsReport> }).__webgpuOps,
    );

    // The only reason to skip: this Chromium exposes no WebGPU adapter to the page.
    test.skip(
      report.backend === null,
      `WebGPU unavailable in this Chromium (${config.use?.launchOptions?.executablePath}) with ` +
        `--enable-unsafe-webgpu: ${report.reason}`,
    );
    test.info().annotations.push({ type: 'webgpu-backend', description: JSON.stringify(report.backend) });

    // Every shared case ran, once (the count comes from the case module, not from this file).
    const { CASES, GRAD_CASES } = await import('../unit/webgpu/cases');
    expect(report.results.map((r) => r.name)).toEqual([...CASES, ...GRAD_CASES].map((c) => c.name));

    for (const group of GROUPS) {
      await test.step(group, () => {
        const rows = report.results.filter((r) => r.group === group);
        expect.soft(rows.length, `cases in group ${group}`).toBeGreaterThan(0);
        const worst = Math.max(...rows.flatMap((r) => r.vsCpu.map((w) => w.ratio)));
        test.info().annotations.push({
          type: `worst ${group}`,
          description: `${worst.toPrecision(3)}× tolerance vs CPU over ${rows.length} cases`,
        });
        expect.soft(rows.flatMap(failures), `${group}: cases outside tolerance`).toEqual([]);
      });
    }
    expect(errors).toEqual([]);
  });
});
