#!/usr/bin/env node
// Render build/icon.svg to build/icon.png (512×512, transparent corners) with headless
// Chromium through Playwright, so the PNG always matches the SVG source.
// Usage: node scripts/render-icon.mjs [--out path] [--size 512]
// Browser: $NETLOOM_CHROMIUM, else /usr/bin/chromium, else Playwright's own Chromium.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const size = Number(opt('--size', '512'));
const out = opt('--out', `${root}build/icon.png`);
if (!Number.isInteger(size) || size < 16 || size > 4096) {
  console.error(`render-icon: --size must be an integer in [16, 4096], got ${opt('--size', '')}`);
  process.exit(2);
}

const svg = readFileSync(`${root}build/icon.svg`, 'utf8');
const candidates = [process.env.NETLOOM_CHROMIUM, '/usr/bin/chromium'].filter(Boolean);
const executablePath = candidates.find((p) => existsSync(p));

const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
  const sized = svg.replace(/width="\d+" height="\d+"/, `width="${size}" height="${size}"`);
  await page.setContent(
    `<!doctype html><html><body style="margin:0;background:transparent">${sized}</body></html>`,
  );
  await page.locator('svg').screenshot({ path: out, omitBackground: true });
  console.log(`render-icon: wrote ${out} (${size}×${size})`);
} finally {
  await browser.close();
}
