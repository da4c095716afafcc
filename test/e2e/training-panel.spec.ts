// Training panel in the web edition: import iris, start a run (the trainer streams the dummy or
// the real events), see the progress bar and the charts update, the history table, and the
// XOR seed study in its worker.
import { expect, test } from '@playwright/test';
import { newProject, openWelcome, shotPath } from './helpers';

test('a run streams into the progress bar, the charts and the history', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openWelcome(page);
  await newProject(page);
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByTestId('wizard-file-input').setInputFiles('test/fixtures/data/iris.csv');
  await page.getByRole('button', { name: 'Apply import settings' }).click();

  await page.getByRole('tab', { name: 'Training' }).click();
  const panel = page.getByTestId('training-panel');
  await expect(panel).toBeVisible();
  // Backends come from the trainer handshake; CPU is always offered.
  await expect(panel.getByRole('combobox', { name: 'Backend' })).toContainText('CPU');
  await panel.getByRole('spinbutton', { name: 'Epochs' }).fill('8');
  await panel.getByRole('checkbox', { name: 'demo stream' }).check();
  await panel.getByRole('button', { name: 'Start', exact: true }).click();

  const status = panel.locator('[data-run-status]');
  await expect(status).toHaveAttribute('data-run-status', /running|finished/);
  await page.screenshot({ path: shotPath('training-running') });
  await expect(status).toHaveAttribute('data-run-status', 'finished', { timeout: 25_000 });
  await expect(panel.getByRole('progressbar', { name: 'Training progress' })).toHaveAttribute(
    'aria-valuenow',
    '100',
  );
  await expect(status).toContainText(/Finished \d+ epochs/);
  // The loss chart drew something: its canvas is not blank.
  const painted = await page
    .getByTestId('chart-loss')
    .locator('canvas')
    .evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    });
  expect(painted).toBeGreaterThan(500);
  await page.screenshot({ path: shotPath('training-finished') });
  await page.getByTestId('chart-loss').screenshot({ path: shotPath('training-chart-loss') });
  await page.getByTestId('chart-lr').screenshot({ path: shotPath('training-chart-lr') });

  await panel.getByRole('tab', { name: 'History' }).click();
  await expect(page.getByTestId('run-table').locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('run-table')).toContainText('finished');
  const download = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Export history CSV' }).click();
  expect((await download).suggestedFilename()).toBe('training-history.csv');
  await page.screenshot({ path: shotPath('training-history') });
  expect(errors).toEqual([]);
});

test('the XOR seed study runs in a worker and reports failures per initialisation', async ({ page }) => {
  await openWelcome(page);
  await newProject(page);
  await page.getByRole('tab', { name: 'Training' }).click();
  const panel = page.getByTestId('training-panel');
  await panel.getByRole('tab', { name: 'Experiments' }).click();
  await panel.getByRole('spinbutton', { name: 'Seeds' }).fill('5');
  await panel.getByRole('button', { name: 'Run XOR study' }).click();
  await expect(page.getByTestId('seed-progress')).toHaveText('10/10 runs', { timeout: 20_000 });
  const summary = page.getByTestId('seed-summary');
  await expect(summary.locator('tbody tr')).toHaveCount(2);
  await expect(summary).toContainText('/5');
  await panel.getByRole('button', { name: 'Run SGD / momentum / Nesterov' }).click();
  await expect(page.getByTestId('optimizer-contour')).toBeVisible({ timeout: 20_000 });
  await summary.screenshot({ path: shotPath('training-seed-summary') });
  await page.getByTestId('optimizer-contour').screenshot({ path: shotPath('training-optimizer-contour') });
});

test('pause, step, resume and stop a run; the clock and ETA are shown', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openWelcome(page);
  await newProject(page);
  await page.getByRole('tab', { name: 'Training' }).click();
  const panel = page.getByTestId('training-panel');
  await panel.getByRole('spinbutton', { name: 'Epochs' }).fill('3000');
  await panel.getByRole('checkbox', { name: 'demo stream' }).check();
  await panel.getByRole('button', { name: 'Start', exact: true }).click();
  const status = panel.locator('[data-run-status]');
  await expect(status).toHaveAttribute('data-run-status', 'running');
  await expect(panel.getByTestId('run-time')).toContainText(/ETA \d+:\d\d/);

  await panel.getByRole('button', { name: 'Pause' }).click();
  await expect(status).toHaveAttribute('data-run-status', 'paused');
  await expect(panel.getByRole('button', { name: 'Step' })).toBeEnabled();
  await panel.getByRole('button', { name: 'Step' }).click();
  await expect(status).toHaveAttribute('data-run-status', 'paused');
  await panel.getByRole('button', { name: 'Resume' }).click();
  await expect(status).toHaveAttribute('data-run-status', 'running');
  await panel.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(status).toHaveAttribute('data-run-status', 'stopped');
  await expect(panel.getByRole('button', { name: 'Start', exact: true })).toBeEnabled();
  expect(errors).toEqual([]);
});

test('a real run of the template network on iris reports accuracy per epoch', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openWelcome(page);
  await page
    .getByRole('button', { name: /New project/ })
    .first()
    .click();
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByTestId('wizard-file-input').setInputFiles('test/fixtures/data/iris.csv');
  await page.getByRole('button', { name: 'Apply import settings' }).click();
  await page.getByRole('tab', { name: 'Training' }).click();
  const panel = page.getByTestId('training-panel');
  await panel.getByRole('spinbutton', { name: 'Epochs' }).fill('15');
  await panel.getByRole('combobox', { name: 'Backend' }).selectOption('cpu');
  await panel.getByRole('button', { name: 'Start', exact: true }).click();
  const status = panel.locator('[data-run-status]');
  await expect(status).toHaveAttribute('data-run-status', /finished|failed/, { timeout: 25_000 });
  await page.screenshot({ path: shotPath('training-real-run') });
  await expect(status, await status.innerText()).toHaveAttribute('data-run-status', 'finished');
  await expect(status).toContainText('Finished 15 epochs');
  await expect(page.getByTestId('chart-metric')).toBeVisible();
  await page.getByTestId('chart-metric').screenshot({ path: shotPath('training-real-metric') });
  await page.getByTestId('chart-grad').screenshot({ path: shotPath('training-real-grad') });
  // Real epoch events carry per-layer histograms: the heatmap offers the parameter tensors.
  const heat = page.getByTestId('weight-histograms');
  await expect(heat.getByRole('combobox', { name: 'Parameter tensor' })).toBeVisible();
  await heat.screenshot({ path: shotPath('training-real-histograms') });
  expect(errors).toEqual([]);
});
