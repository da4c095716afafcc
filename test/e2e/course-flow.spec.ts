// The training workflow of issue #8 as a student of the course meets it, in one sitting: open the
// Iris example, import iris.csv through the wizard's file chooser, train 100 epochs, see the loss
// fall and validation accuracy reach 0.9, read the confusion matrix, pause, resume and stop a
// second run, save the project and export ONNX; then the lecture's XOR study with 20 seeds per
// initialisation: U(−10, 10) fails more often than LeCun. Screenshots of each stage go to
// test-results/course-*.png.
import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { openWelcome, shotPath } from './helpers';

/** Finite per-epoch values of one series of the current run, read from the History CSV export. */
async function historyColumn(page: Page, panel: Locator, column: string): Promise<number[]> {
  await panel.getByRole('tab', { name: 'History' }).click();
  const download = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Export history CSV' }).click();
  const text = readFileSync(await (await download).path(), 'utf8')
    .trim()
    .split('\n');
  const header = text[0].split(',');
  const j = header.indexOf(column);
  expect(j, `column ${column} in ${header.join(',')}`).toBeGreaterThanOrEqual(0);
  return text
    .slice(1)
    .map((line) => Number(line.split(',')[j]))
    .filter((v) => Number.isFinite(v));
}

test('Iris from the wizard to ONNX, then the XOR initialisation study', async ({ page }) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openWelcome(page);
  await page.getByRole('button', { name: /^Open example Iris/ }).click();
  await expect(page.locator('.svelte-flow__node').first()).toBeVisible();

  // The wizard, with the file given through the browser's file chooser.
  await page.getByRole('tab', { name: 'Data' }).click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Choose file…' }).click();
  await (await chooser).setFiles('test/fixtures/data/iris.csv');
  await expect(page.getByTestId('wizard-preview')).toBeVisible();
  await expect(page.getByTestId('wizard-task')).toContainText('multiclass');
  await page.screenshot({ path: shotPath('course-1-wizard') });
  await page.getByRole('button', { name: 'Apply import settings' }).click();
  await expect(page.getByTestId('wizard-applied')).toContainText('iris.csv');

  // 100 epochs on the CPU.
  await page.getByRole('tab', { name: 'Training' }).click();
  const panel = page.getByTestId('training-panel');
  const status = panel.locator('[data-run-status]');
  await panel.getByRole('combobox', { name: 'Backend' }).selectOption('cpu');
  await panel.getByRole('spinbutton', { name: 'Epochs' }).fill('100');
  await panel.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(status).toHaveAttribute('data-run-status', 'finished', { timeout: 120_000 });
  await expect(status).toContainText('Finished 100 epochs');
  await page.screenshot({ path: shotPath('course-3-trained') });

  // The loss fell and validation accuracy reached 0.9 (read as the user would export it).
  const loss = await historyColumn(page, panel, 'train.loss');
  expect(loss.length).toBe(100);
  expect(loss.at(-1)!).toBeLessThan(0.5 * loss[0]);
  const table = page.getByTestId('run-table');
  const valAcc = Number(await table.locator('tbody tr').first().locator('td').nth(13).innerText());
  expect(valAcc).toBeGreaterThanOrEqual(0.9);
  // The status line says it too.
  const shown = (await panel.getByTestId('val-metric').innerText()).match(/val\. accuracy ([0-9.]+)/);
  expect(Number(shown?.[1])).toBeCloseTo(valAcc, 3);
  await page.screenshot({ path: shotPath('course-4-history') });

  // The confusion matrix of the validation split.
  await panel.getByRole('tab', { name: 'Charts' }).click();
  await expect(panel.getByTestId('predictions')).toContainText('Confusion matrix');
  await panel.getByTestId('predictions').screenshot({ path: shotPath('course-5-confusion') });

  // A second, long run is paused, resumed and stopped; the first keeps its results.
  await panel.getByRole('spinbutton', { name: 'Epochs' }).fill('20000');
  await panel.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(status).toHaveAttribute('data-run-status', 'running');
  await panel.getByRole('button', { name: 'Pause' }).click();
  await expect(status).toHaveAttribute('data-run-status', 'paused');
  await page.screenshot({ path: shotPath('course-2-paused') });
  await panel.getByRole('button', { name: 'Resume' }).click();
  await expect(status).toHaveAttribute('data-run-status', 'running');
  await panel.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(status).toHaveAttribute('data-run-status', 'stopped');
  await panel.getByRole('tab', { name: 'History' }).click();
  await expect(table.locator('tbody tr')).toHaveCount(2);

  // Save: the project carries both runs.
  const saved = page.waitForEvent('download');
  await page.keyboard.press('Control+s');
  const project = JSON.parse(readFileSync(await (await saved).path(), 'utf8')) as {
    format: string;
    runs?: unknown[];
  };
  expect(project.format).toBe('netloom-project');
  expect(project.runs?.length).toBe(2);

  // Export ONNX from the finished run.
  await panel.getByRole('tab', { name: 'History' }).click();
  await table.locator('tbody tr').first().getByRole('button', { name: 'show' }).click();
  await page.getByRole('button', { name: 'Export…', exact: true }).click();
  const dialog = page.getByTestId('export-dialog');
  await dialog.getByRole('radio', { name: /ONNX/ }).check();
  await page.screenshot({ path: shotPath('course-6-export') });
  const onnx = page.waitForEvent('download');
  await dialog.getByTestId('export-run').click();
  const bytes = readFileSync(await (await onnx).path());
  expect(bytes.length).toBeGreaterThan(200);

  // The lecture's XOR study, 20 seeds per initialisation.
  page.on('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Back to the welcome screen' }).click();
  await page.getByRole('button', { name: /^Open example XOR/ }).click();
  await page.getByRole('tab', { name: 'Training' }).click();
  // The Training tab now shows the XOR project's own history (none yet), not Iris's runs.
  await panel.getByRole('tab', { name: 'History' }).click();
  await expect(table).toContainText('No runs yet.');
  await expect(status).toContainText('No run yet.');
  await expect(panel.getByRole('spinbutton', { name: 'Epochs' })).toHaveValue('1000');
  await panel.getByRole('tab', { name: 'Experiments' }).click();
  await panel.getByRole('spinbutton', { name: 'Seeds' }).first().fill('20');
  await panel.getByRole('button', { name: 'Run XOR study' }).click();
  await expect(page.getByTestId('seed-progress')).toHaveText('40/40 runs', { timeout: 60_000 });
  const rows = page.getByTestId('seed-summary').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  const failures = async (i: number): Promise<number> =>
    Number((await rows.nth(i).innerText()).match(/(\d+)\s*\/\s*20/)![1]);
  const uniform = (await rows.nth(0).innerText()).includes('10') ? 0 : 1;
  expect(await failures(uniform)).toBeGreaterThan(await failures(1 - uniform));
  await page.screenshot({ path: shotPath('course-7-xor-study') });
  expect(errors).toEqual([]);
});
