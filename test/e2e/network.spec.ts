// Offline promise: the app makes no request to any host but its own local server.
import { expect, test } from '@playwright/test';
import { buildSampleGraph, newProject, openWelcome } from './helpers';

test('no network request leaves the local server', async ({ page, context, baseURL }) => {
  const own = new URL(baseURL!).origin;
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  // Also catch anything Chromium would send from workers or service workers.
  context.on('serviceworker', (w) => requests.push(`serviceworker:${w.url()}`));

  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`${m.text()} @ ${m.location().url}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));

  await openWelcome(page);
  await newProject(page);
  await buildSampleGraph(page);
  await page.getByRole('tab', { name: 'Training' }).click();
  await page.getByRole('button', { name: 'Test trainer' }).click();
  await expect(page.locator('[data-status]')).toHaveAttribute('data-status', 'finished', { timeout: 20_000 });
  await page.getByRole('tab', { name: 'Data' }).click();

  expect(requests.length, 'the page itself was requested').toBeGreaterThan(0);
  const foreign = requests.filter((u) => {
    if (u.startsWith('data:') || u.startsWith('blob:')) return false;
    try {
      return new URL(u).origin !== own;
    } catch {
      return true;
    }
  });
  expect(foreign, `requests to other hosts:\n${foreign.join('\n')}`).toEqual([]);
  // A blocked request (CSP) or a missing asset shows up as a console error.
  expect(consoleErrors).toEqual([]);
});
