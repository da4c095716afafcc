// Experiments on the current graph (issue #8), web edition: open the Iris example, then run
// Cross-validate, the learning-rate finder (and "Use this rate", undoable), the standardization study,
// gradient flow at initialisation and "Repeat with N seeds" with small settings; each shows its table
// or chart. Screenshots go to test-results/.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { openWelcome, shotPath } from './helpers';

async function openIrisExperiments(page: Page): Promise<Locator> {
  await openWelcome(page);
  await page.getByRole('button', { name: /^Open example Iris/ }).click();
  await page.getByRole('tab', { name: 'Training' }).click();
  const panel = page.getByTestId('training-panel');
  await panel.getByRole('tab', { name: 'Experiments' }).click();
  return panel;
}

test('experiments on the Iris graph: CV, LR finder, standardization, gradient flow, seeds', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1400, height: 1200 });
  const panel = await openIrisExperiments(page);

  // Cross-validate: 3 folds × 3 epochs.
  const cv = panel.getByRole('region', { name: 'Cross-validate' });
  await cv.getByRole('spinbutton', { name: 'Folds k' }).fill('3');
  await cv.getByRole('spinbutton', { name: 'Epochs' }).fill('3');
  await cv.getByRole('button', { name: 'Cross-validate' }).click();
  const cvTable = page.getByTestId('cv-table');
  await expect(cvTable.locator('tbody tr')).toHaveCount(3, { timeout: 60_000 });
  await expect(cvTable.locator('tfoot')).toContainText('mean ± sd (3 folds)', { timeout: 60_000 });
  await expect(cvTable.locator('thead')).toContainText('validation.accuracy');
  await cv.screenshot({ path: shotPath('experiments-cross-validate') });

  // Learning-rate finder: 60 steps up to 10; then apply the suggestion and undo it.
  const lr = panel.getByRole('region', { name: 'Learning-rate finder' });
  await lr.getByRole('spinbutton', { name: 'Steps' }).fill('60');
  await lr.getByRole('combobox', { name: 'lr max' }).selectOption('10');
  await lr.getByRole('button', { name: 'Find learning rate' }).click();
  const suggestion = page.getByTestId('lr-suggestion');
  await expect(suggestion).toContainText('largest rate before divergence', { timeout: 60_000 });
  await expect(page.getByTestId('lr-chart').locator('canvas')).toBeVisible();
  await lr.getByRole('button', { name: 'Use this rate' }).first().click();
  await expect(lr.getByRole('status')).toContainText("Learning rate of 'opt' set to");
  await lr.screenshot({ path: shotPath('experiments-lr-finder') });

  // Standardization study: 5 epochs, z-score (as set) vs none.
  const std = panel.getByRole('region', { name: 'Standardization study' });
  await std.getByRole('spinbutton', { name: 'Epochs' }).fill('5');
  await std.getByRole('button', { name: 'Compare scaling' }).click();
  const stdTable = page.getByTestId('std-table');
  await expect(stdTable).toContainText('z-score (as set)', { timeout: 60_000 });
  await expect(stdTable).toContainText('none');
  await std.screenshot({ path: shotPath('experiments-standardization') });

  // Gradient flow at initialisation: 3 seeds, one bar per layer (hidden, out).
  const gf = panel.getByRole('region', { name: 'Gradient flow at initialisation' });
  await gf.getByRole('button', { name: 'Measure gradients' }).click();
  await expect(page.getByTestId('gf-table').locator('tbody tr')).toHaveCount(2, { timeout: 60_000 });
  await expect(page.getByTestId('gf-chart').locator('svg rect[fill="#4452d9"]')).toHaveCount(2);
  await gf.screenshot({ path: shotPath('experiments-gradient-flow') });

  // Repeat with N seeds: 3 runs × 3 epochs, criterion validation.accuracy ≥ 0.5.
  const gs = panel.getByRole('region', { name: 'Repeat with N seeds on the current graph' });
  await gs.getByRole('spinbutton', { name: 'Runs N' }).fill('3');
  await gs.getByRole('spinbutton', { name: 'Epochs' }).fill('3');
  await gs.getByRole('spinbutton', { name: 'Criterion threshold' }).fill('0.5');
  await gs.getByRole('button', { name: 'Run seeds' }).click();
  await expect(page.getByTestId('gs-table').locator('tbody tr')).toHaveCount(3, { timeout: 60_000 });
  await expect(page.getByTestId('gs-failures')).toContainText('/3 runs fail');
  await expect(page.getByTestId('gs-chart').locator('svg rect[fill="#4452d9"]').first()).toBeVisible();
  await gs.screenshot({ path: shotPath('experiments-seeds') });
  expect(errors).toEqual([]);
});

test('an experiment can be cancelled from its progress bar', async ({ page }) => {
  test.setTimeout(90_000);
  const panel = await openIrisExperiments(page);
  const cv = panel.getByRole('region', { name: 'Cross-validate' });
  await cv.getByRole('spinbutton', { name: 'Epochs' }).fill('400');
  await cv.getByRole('button', { name: 'Cross-validate' }).click();
  const progress = page.getByTestId('cross-validate-progress');
  await expect(progress).toBeVisible();
  await progress.getByRole('button', { name: 'Cancel' }).click();
  await expect(progress).toHaveCount(0);
  await expect(cv.getByRole('button', { name: 'Cross-validate' })).toBeEnabled();
});
