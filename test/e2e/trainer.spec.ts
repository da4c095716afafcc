// The dummy trainer run, end to end in the browser: renderer → browser host → Web Worker
// trainer → events → progress bar.
import { expect, test } from '@playwright/test';
import { newProject, openWelcome, shotPath } from './helpers';

test('Test trainer runs the dummy run in a Web Worker and shows its progress', async ({ page }) => {
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));

  await openWelcome(page);
  await newProject(page);
  await page.getByRole('tab', { name: 'Training' }).click();
  const bar = page.getByRole('progressbar', { name: 'Dummy run progress' });
  await expect(bar).toHaveAttribute('aria-valuenow', '0');

  await page.getByRole('button', { name: 'Test trainer' }).click();
  // Progress moves: some intermediate value strictly between 0 and 100 is observed, or the run is
  // already past it; either way the bar must end at 100 with status 'finished'.
  const status = page.locator('[data-status]');
  await expect(status).toHaveAttribute('data-status', /running|finished/);
  await expect(status).toHaveAttribute('data-status', 'finished', { timeout: 20_000 });
  await expect(bar).toHaveAttribute('aria-valuenow', '100');
  await expect(status).toContainText(/Finished 5 epochs/);
  // One loss column per epoch was drawn from the `epoch` events.
  await expect(page.getByRole('list', { name: 'Loss per epoch' }).getByRole('listitem')).toHaveCount(5);

  expect(workers.length, 'the trainer should run in a Web Worker').toBeGreaterThan(0);
  expect(errors).toEqual([]);
  await page.screenshot({ path: shotPath('trainer-finished') });
});

test('a run survives switching tabs, and a second run can start after the first finished', async ({
  page,
}) => {
  await openWelcome(page);
  await newProject(page);
  await page.getByRole('tab', { name: 'Training' }).click();
  const start = page.getByRole('button', { name: 'Test trainer' });
  await start.click();
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByRole('tab', { name: 'Training' }).click();
  const status = page.locator('[data-status]');
  await expect(status).toHaveAttribute('data-status', 'finished', { timeout: 20_000 });
  await expect(start).toBeEnabled();
  await start.click();
  await expect(status).toHaveAttribute('data-status', 'finished', { timeout: 20_000 });
});

test('Stop ends a running dummy run', async ({ page }) => {
  await openWelcome(page);
  await newProject(page);
  await page.getByRole('tab', { name: 'Training' }).click();
  await page.getByRole('button', { name: 'Test trainer' }).click();
  const status = page.locator('[data-status]');
  await expect(status).toHaveAttribute('data-status', 'running');
  await page.getByRole('button', { name: 'Stop', exact: true }).last().click();
  await expect(status).toHaveAttribute('data-status', 'stopped', { timeout: 10_000 });
  await expect(status).toContainText(/Stopped after epoch/);
  await expect(page.getByRole('button', { name: 'Test trainer' })).toBeEnabled();
});
