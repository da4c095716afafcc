// Playwright harness for the web edition (and the Electron smoke test).
// It builds nothing: `npm run test:e2e` / `npm test` run `npm run build:web` first; here we only
// serve out/web with `vite preview` and drive Chromium.
// Browser: $NETLOOM_CHROMIUM, else /usr/bin/chromium, else Playwright's own Chromium; if none
// exists the run stops with the one command that installs one.
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import { chromium } from '@playwright/test';

export const INSTALL_COMMAND = 'apt-get install -y chromium';
// NETLOOM_PREVIEW_PORT lets two suites run side by side on one machine (CI uses the default).
export const PREVIEW_PORT = Number(process.env.NETLOOM_PREVIEW_PORT ?? 4173);

function findChromium(): string {
  const override = process.env.NETLOOM_CHROMIUM;
  if (override) {
    if (existsSync(override)) return override;
    throw new Error(
      `NETLOOM_CHROMIUM=${override} does not exist. Unset it or point it to a Chromium binary.`,
    );
  }
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  let bundled: string;
  try {
    bundled = chromium.executablePath();
  } catch {
    bundled = '';
  }
  if (bundled && existsSync(bundled)) return bundled;
  console.error(`No Chromium found for the Playwright tests. Install one with:\n${INSTALL_COMMAND}`);
  throw new Error(`No Chromium browser found. Install one with: ${INSTALL_COMMAND}`);
}

const executablePath = findChromium();

// JSON report: test-results/playwright.json, unless the caller names another file through
// Playwright's own variables (scripts/test.mjs sets PLAYWRIGHT_JSON_OUTPUT_NAME); a config
// outputFile would override those, so it is only set when they are absent.
const jsonReportOptions =
  process.env.PLAYWRIGHT_JSON_OUTPUT_FILE || process.env.PLAYWRIGHT_JSON_OUTPUT_NAME
    ? {}
    : { outputFile: 'test-results/playwright.json' };

const webOut = process.env.NETLOOM_WEB_OUT ?? 'out/web';
if (!existsSync(`${webOut}/index.html`)) {
  throw new Error(`${webOut}/index.html is missing: build the web edition first with \`npm run build:web\`.`);
}

export default defineConfig({
  testDir: 'test/e2e',
  // Artifacts (traces, failure screenshots) go to a sub-folder so that Playwright's clean-up at
  // start does not delete the screenshots the tests write into test-results/.
  outputDir: process.env.NETLOOM_PREVIEW_PORT
    ? `test-results/e2e-artifacts-${process.env.NETLOOM_PREVIEW_PORT}`
    : 'test-results/e2e-artifacts',
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', jsonReportOptions]],
  use: {
    baseURL: `http://localhost:${PREVIEW_PORT}`,
    viewport: { width: 1600, height: 1000 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `npx vite preview --config vite.web.config.ts --strictPort --port ${PREVIEW_PORT}`,
    url: `http://localhost:${PREVIEW_PORT}`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
