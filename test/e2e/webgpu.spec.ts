// The WebGPU backend in the browser (issue #10): Chromium's own WebGPU, through its software
// adapter SwiftShader (`--enable-unsafe-webgpu` works with the config's `--disable-gpu`), in the web
// edition's trainer Web Worker. A user opens the Iris example, trains it on WebGPU and then on the
// CPU with the same settings, and reads the same accuracy in the History table.
import { expect, test, type Locator, type Page } from '@playwright/test';
import config from '../../playwright.config';
import { openWelcome, shotPath } from './helpers';
import { adapterInWorker, type AdapterProbe } from './webgpu/adapter';
import { historyRows, type HistoryRow } from './webgpu/history';

const baseArgs = config.use?.launchOptions?.args ?? [];
test.use({ launchOptions: { ...config.use?.launchOptions, args: [...baseArgs, '--enable-unsafe-webgpu'] } });

// 12 epochs of 8 batches: the run docs/webgpu.md measured (same accuracy, weights within 1e−3).
const EPOCHS = 12;
// Iris validation split: 20 % of 150 rows = 30 samples; one sample is 1/30 of accuracy.
const ONE_SAMPLE = 1 / 30;

/** Opens the Iris example, applies its import settings and shows the Training panel. */
async function openIrisTraining(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: /^Open example Iris/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Opened the example' })).toBeVisible();
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByRole('button', { name: 'Apply import settings' }).click();
  await expect(page.getByTestId('wizard-applied')).toContainText('iris.csv');
  await page.getByRole('tab', { name: 'Training' }).click();
  const panel = page.getByTestId('training-panel');
  await expect(panel).toContainText('Data: iris.csv.');
  return panel;
}

/** Trains with `backend` ('webgpu' | 'cpu') and waits until the run finished. */
async function train(panel: Locator, backend: 'webgpu' | 'cpu'): Promise<void> {
  await panel.getByRole('combobox', { name: 'Backend' }).selectOption(backend);
  await panel.getByRole('button', { name: 'Start', exact: true }).click();
  const status = panel.locator('[data-run-status]');
  await expect(status).toHaveAttribute('data-run-status', /finished|failed|crashed|stopped/, {
    timeout: 45_000,
  });
  const text = await status.innerText();
  await expect(status, text).toHaveAttribute('data-run-status', 'finished');
  await expect(status).toContainText(`Finished ${EPOCHS} epochs`);
}

test.describe('WebGPU in Chromium (SwiftShader)', () => {
  test.setTimeout(120_000);

  test('Iris trains on WebGPU to the same accuracy as on the CPU', async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await openWelcome(page);

    // The only reason to skip: this Chromium exposes no WebGPU adapter to a Web Worker.
    const probe: AdapterProbe = await adapterInWorker(page);
    test.skip(
      probe.adapter === null,
      `WebGPU unavailable in this Chromium (${config.use?.launchOptions?.executablePath}) with ` +
        `--enable-unsafe-webgpu: ${probe.reason}`,
    );
    test.info().annotations.push({ type: 'webgpu-adapter', description: JSON.stringify(probe.adapter) });

    const panel = await openIrisTraining(page);
    const backend = panel.getByRole('combobox', { name: 'Backend' });
    // The trainer's handshake offers WebGPU (enabled) from the worker's navigator.gpu.
    await expect(backend.locator('option[value="webgpu"]')).toBeEnabled();
    await expect(backend.locator('option[value="webgpu"]')).toContainText('WebGPU');
    await panel.getByRole('spinbutton', { name: 'Epochs' }).fill(String(EPOCHS));

    await train(panel, 'webgpu');
    await page.screenshot({ path: shotPath('webgpu-iris-finished') });
    await expect(page.getByTestId('chart-metric')).toBeVisible();
    await page.getByTestId('chart-metric').screenshot({ path: shotPath('webgpu-iris-accuracy') });

    await train(panel, 'cpu');
    await panel.getByRole('tab', { name: 'History' }).click();
    const rows: HistoryRow[] = await historyRows(page.getByTestId('run-table'));
    await page.screenshot({ path: shotPath('webgpu-iris-history') });
    test.info().annotations.push({ type: 'history', description: JSON.stringify(rows) });
    expect(rows.map((r) => [r.status, r.backend, r.metric])).toEqual([
      ['finished', 'webgpu', 'accuracy'],
      ['finished', 'cpu', 'accuracy'],
    ]);
    const [gpu, cpu] = rows;
    // Training worked at all (chance is 1/3), so equality below is not two failures agreeing.
    expect(cpu.validationMetric).toBeGreaterThan(0.8);
    // float32 on the device vs float64 on the CPU: at most one validation sample may flip.
    expect(Math.abs(gpu.validationMetric - cpu.validationMetric)).toBeLessThanOrEqual(ONE_SAMPLE + 1e-9);
    expect(Math.abs(gpu.trainMetric - cpu.trainMetric)).toBeLessThanOrEqual(1 / 120 + 1e-9);
    // Losses as shown (4 significant digits) agree to 0.2 % (two units in the last digit shown).
    expect(Math.abs(gpu.validationLoss - cpu.validationLoss)).toBeLessThanOrEqual(0.002 * cpu.validationLoss);
    expect(Math.abs(gpu.trainLoss - cpu.trainLoss)).toBeLessThanOrEqual(0.002 * cpu.trainLoss);
    expect(errors).toEqual([]);
  });
});
