// Training charts and model tools in the web edition: train the Iris example for a few epochs on the
// CPU, switch the histogram heat map to gradients, see the decision map over two chosen features
// (light and dark theme), predict on another CSV (test/fixtures/data/iris.csv) and download the CSV.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { openWelcome, shotPath } from './helpers';

/** Number of painted (non-transparent) pixels of a canvas. */
async function painted(page: Page, testid: string): Promise<number> {
  return page
    .getByTestId(testid)
    .locator('canvas')
    .first()
    .evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    });
}

test('gradient histograms, decision map and predictions of a trained Iris model', async ({ page }) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Tall window: the bottom panel takes a third of it, and the figures are screenshotted whole.
  await page.setViewportSize({ width: 1400, height: 2100 });
  await openWelcome(page);
  await page.getByRole('button', { name: /^Open example Iris/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Opened the example' })).toBeVisible();
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByRole('button', { name: 'Apply import settings' }).click();
  await expect(page.getByTestId('wizard-applied')).toContainText('iris.csv');

  await page.getByRole('tab', { name: 'Training' }).click();
  const panel = page.getByTestId('training-panel');
  // Before any run: the map says what it needs.
  await expect(page.getByTestId('decision-message')).toContainText(/trained|train/);
  await panel.getByRole('combobox', { name: 'Backend' }).selectOption('cpu');
  await panel.getByRole('spinbutton', { name: 'Epochs' }).fill('6');
  await panel.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(panel.locator('[data-run-status]')).toHaveAttribute('data-run-status', 'finished', {
    timeout: 60_000,
  });

  // Histograms: weights, then gradients of the same tensor.
  const hist = page.getByTestId('weight-histograms');
  await expect(hist).toHaveAttribute('data-kind', 'weights');
  await hist.getByRole('button', { name: 'Gradients' }).click();
  await expect(hist).toHaveAttribute('data-kind', 'gradients');
  await expect(hist).toContainText('Gradient histograms over epochs');
  await expect(hist.getByTestId('no-gradients')).toHaveCount(0);
  await expect(hist).toContainText('gradient value');
  expect(await painted(page, 'weight-histograms')).toBeGreaterThan(500);
  await hist.getByRole('combobox', { name: 'Parameter tensor' }).selectOption('out.weight');
  await hist.screenshot({ path: shotPath('charts-gradient-histograms') });

  // Decision map: defaults to the first two features, then two chosen ones.
  const map = page.getByTestId('decision-map');
  const canvas = map.getByTestId('decision-canvas');
  await expect(canvas).toHaveAttribute('data-x', 'sepal_length_cm', { timeout: 30_000 });
  await expect(canvas).toHaveAttribute('data-y', 'sepal_width_cm');
  await map.getByRole('combobox', { name: 'Map x feature' }).selectOption('petal_length_cm');
  await expect(canvas).toHaveAttribute('data-x', 'petal_length_cm', { timeout: 30_000 });
  await map.getByRole('combobox', { name: 'Map y feature' }).selectOption('petal_width_cm');
  await expect(canvas).toHaveAttribute('data-y', 'petal_width_cm', { timeout: 30_000 });
  await expect(map).toContainText('held at their training mean: sepal_length_cm = ');
  expect(await painted(page, 'decision-map')).toBeGreaterThan(10_000);
  // Three classes: three distinct region colours inside the plot.
  const hues = await canvas.evaluate((c: HTMLCanvasElement) => {
    const ctx = c.getContext('2d')!;
    const s = c.width / 600;
    const seen = new Set<string>();
    for (let y = 30; y < 320; y += 12)
      for (let x = 70; x < 420; x += 12) {
        const d = ctx.getImageData(Math.round(x * s), Math.round(y * s), 1, 1).data;
        seen.add(`${d[0] >> 5},${d[1] >> 5},${d[2] >> 5}`);
      }
    return seen.size;
  });
  expect(hues).toBeGreaterThan(3);
  await map.screenshot({ path: shotPath('charts-decision-map-light') });
  const svgDownload = page.waitForEvent('download');
  await map.getByRole('button', { name: 'SVG' }).click();
  const svg = readFileSync(await (await svgDownload).path(), 'utf8');
  expect(svg).toMatch(/^<svg /);
  expect(svg).toContain('>petal_length_cm</text>');
  expect(svg).toContain('>versicolor</text>');
  const pngDownload = page.waitForEvent('download');
  await map.getByRole('button', { name: 'PNG' }).click();
  expect((await pngDownload).suggestedFilename()).toBe('decision-map-petal-length-cm-petal-width-cm.png');

  // Predict on another CSV (same columns; its species are 0/1/2, not the model's labels).
  const predict = page.getByTestId('predict-panel');
  const chooser = page.waitForEvent('filechooser');
  await predict.getByRole('button', { name: 'Choose CSV…' }).click();
  await (await chooser).setFiles('test/fixtures/data/iris.csv');
  await expect(predict.getByTestId('predict-summary')).toContainText('150 rows predicted', {
    timeout: 30_000,
  });
  const table = predict.getByTestId('predict-table');
  await expect(table.locator('thead')).toContainText('p_virginica');
  await expect(table.locator('tbody tr')).toHaveCount(150);
  await expect(table.locator('tbody tr').first()).toContainText('setosa');
  await predict.screenshot({ path: shotPath('charts-predict') });
  const csvDownload = page.waitForEvent('download');
  await predict.getByTestId('predict-save').click();
  const d = await csvDownload;
  expect(d.suggestedFilename()).toBe('iris-predictions.csv');
  const lines = readFileSync(await d.path(), 'utf8')
    .trim()
    .split('\n');
  expect(lines[0]).toBe(
    'row,sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,species,predicted,probability,p_setosa,p_versicolor,p_virginica',
  );
  expect(lines).toHaveLength(151);
  expect(lines[1]).toMatch(/^1,5\.1,3\.5,1\.4,0\.2,0,setosa,/);

  // Dark theme: the same figures stay readable.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(300);
  await map.screenshot({ path: shotPath('charts-decision-map-dark') });
  await hist.screenshot({ path: shotPath('charts-gradient-histograms-dark') });
  await predict.screenshot({ path: shotPath('charts-predict-dark') });
  await page.screenshot({ path: shotPath('charts-panel-dark'), fullPage: true });
  expect(errors).toEqual([]);
});
