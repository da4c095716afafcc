// The Export dialog as a user meets it: before training it refuses (no trained run); after a short
// real run of the Iris example, the confusion matrix from the run's predictions is shown, and
// Export… → JSON weights and → ONNX download files that their readers accept (onnxruntime-node
// runs the ONNX model on a raw Iris row). The page runs under the app's CSP (no eval).
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { openWelcome, shotPath } from './helpers';

test('export the trained Iris model from the Export dialog', async ({ page }) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openWelcome(page);
  await page.getByRole('button', { name: /^Open example Iris/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Opened the example' })).toBeVisible();

  // Untrained: a clear refusal, no Export.
  await page.getByRole('button', { name: 'Export…', exact: true }).click();
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog.getByTestId('export-refusal')).toContainText('no trained run');
  await expect(dialog.getByTestId('export-run')).toBeDisabled();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);

  // A real 3-epoch run on the CPU.
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByRole('button', { name: 'Apply import settings' }).click();
  await expect(page.getByTestId('wizard-applied')).toContainText('iris.csv');
  await page.getByRole('tab', { name: 'Training' }).click();
  const panel = page.getByTestId('training-panel');
  await panel.getByRole('combobox', { name: 'Backend' }).selectOption('cpu');
  await panel.getByRole('spinbutton', { name: 'Epochs' }).fill('3');
  await panel.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(panel.locator('[data-run-status]')).toHaveAttribute('data-run-status', 'finished', {
    timeout: 60_000,
  });
  // The status line follows the run: its last train loss and the backend it ran on.
  await expect(panel.locator('[data-run-status]')).toContainText(/train loss \d/);
  await expect(panel.locator('[data-run-status]')).toContainText('backend cpu');
  // The run's predictions (sent with `finished`) draw the confusion matrix.
  await expect(panel.getByTestId('predictions')).toContainText('Confusion matrix');

  await page.getByRole('button', { name: 'Export…', exact: true }).click();
  await expect(dialog).toContainText('PyTorch script');
  await dialog.getByRole('radio', { name: /JSON weights/ }).check();
  await page.screenshot({ path: shotPath('export-dialog') });
  const download = page.waitForEvent('download');
  await dialog.getByTestId('export-run').click();
  const d = await download;
  expect(d.suggestedFilename()).toMatch(/\.weights\.json$/);
  const doc = JSON.parse(readFileSync(await d.path(), 'utf8')) as { format: string; classes: string[] };
  expect(doc.format).toBe('netloom-weights');
  expect(doc.classes).toHaveLength(3);
  await expect(dialog).toHaveCount(0);

  await page.getByRole('button', { name: 'Export…', exact: true }).click();
  await dialog.getByRole('radio', { name: /ONNX/ }).check();
  const onnxDownload = page.waitForEvent('download');
  await dialog.getByTestId('export-run').click();
  const o = await onnxDownload;
  expect(o.suggestedFilename()).toMatch(/\.onnx$/);
  const session = await InferenceSession.create(readFileSync(await o.path()));
  const input = session.inputNames[0];
  const out = await session.run({
    [input]: new Tensor('float32', Float32Array.from([5.1, 3.5, 1.4, 0.2]), [1, 4]),
  });
  const probs = Object.values(out).find((t) => t.type === 'float32' && t.dims.at(-1) === 3)!;
  const p = Array.from(probs.data as Float32Array);
  expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  expect(errors).toEqual([]);
});
