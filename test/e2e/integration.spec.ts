// The wizard, the editor's document and the training panel together (web edition, dark scheme):
// the Data tab has one entry point (the wizard), Apply stores the wizard's settings in the project,
// the Dataset inspector opens the wizard, a real run's weights and fitted preprocessing are saved,
// and reopening the project brings the wizard's settings back.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { openWelcome, shotPath } from './helpers';

test.use({ colorScheme: 'dark' });

test('wizard settings and trained runs travel with the project', async ({ page }) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openWelcome(page);
  await page.getByRole('button', { name: /New project/ }).click();
  await expect(page.locator('.svelte-flow__node')).toHaveCount(6);

  // One entry point for data.
  await page.getByRole('tab', { name: 'Data' }).click();
  const data = page.getByRole('tabpanel');
  await expect(data.getByTestId('no-dataset')).toContainText('No dataset loaded');
  await expect(data.getByRole('button', { name: /Choose CSV/ })).toHaveCount(0);
  await expect(data.getByRole('button', { name: 'Choose file…' })).toHaveCount(1);

  // A non-default choice (bad rows: skip), then Apply.
  await page.getByTestId('wizard-file-input').setInputFiles('test/fixtures/data/iris.csv');
  await data.getByLabel('Bad rows').selectOption('skip');
  await page.getByRole('button', { name: 'Apply import settings' }).click();
  await expect(data.getByTestId('dataset-facts')).toContainText('iris.csv');
  await expect(page.locator('.svelte-flow__edge-label', { hasText: '[batch, 4]' })).toHaveCount(1);
  await expect(page).toHaveTitle(/^• /);
  await page.screenshot({ path: shotPath('integration-data-tab-dark') });

  // The Dataset node's inspector opens the wizard from another tab.
  await page.getByRole('tab', { name: 'Training' }).click();
  await page.locator('.svelte-flow__node').first().click();
  await page
    .getByRole('complementary', { name: 'Inspector' })
    .getByRole('button', { name: 'Open data wizard…' })
    .click();
  await expect(page.getByRole('tab', { name: 'Data' })).toHaveAttribute('aria-selected', 'true');

  // A real (not demo) run on the CPU.
  await page.getByRole('tab', { name: 'Training' }).click();
  const panel = page.getByTestId('training-panel');
  await panel.getByRole('combobox', { name: 'Backend' }).selectOption('cpu');
  await panel.getByRole('spinbutton', { name: 'Epochs' }).fill('3');
  await panel.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(panel.locator('[data-run-status]')).toHaveAttribute('data-run-status', 'finished', {
    timeout: 60_000,
  });
  await page.screenshot({ path: shotPath('integration-training-dark') });

  // Save keeps the run's weights, the fitted preprocessing and the wizard's settings.
  const download = page.waitForEvent('download');
  await page.keyboard.press('Control+s');
  const file = await (await download).path();
  const saved = JSON.parse(readFileSync(file, 'utf8'));
  expect(saved.runs).toHaveLength(1);
  expect(saved.runs[0].checkpoint.weights.length).toBeGreaterThan(0);
  expect(saved.dataset.preprocessing).not.toBeNull();
  expect(saved.dataset.importSettings.read.badRows).toBe('skip');
  await expect(page).not.toHaveTitle(/^• /);

  // Reopen: the wizard comes back with the saved settings once the CSV is chosen again.
  await page.reload();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: /Open…/ }).click();
  await (await chooser).setFiles(file);
  await expect(page.locator('.svelte-flow__node')).toHaveCount(6);
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByTestId('wizard-file-input').setInputFiles('test/fixtures/data/iris.csv');
  await expect(page.getByRole('tabpanel').getByLabel('Bad rows')).toHaveValue('skip');
  expect(errors).toEqual([]);
});
