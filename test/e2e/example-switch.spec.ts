// Opening one example after another: Start trains the open example on its own CSV, never on the
// CSV of the project opened before (a reviewer saw Iris train on the RBF example's x, y columns).
import { expect, test } from '@playwright/test';
import { openWelcome } from './helpers';

test('an example opened after another trains on its own CSV without re-applying the import', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await openWelcome(page);
  await page.getByRole('button', { name: /^Open example RBF/ }).click();
  await page.getByRole('button', { name: 'Back to the welcome screen' }).click();
  const discard = page.getByRole('button', { name: /Discard|Leave|Don.t save/ });
  if (await discard.count()) await discard.first().click();
  await page.getByRole('button', { name: /^Open example Iris/ }).click();
  await page.getByRole('tab', { name: 'Training' }).click();
  const panel = page.getByTestId('training-panel');
  await panel.getByRole('combobox', { name: 'Backend' }).selectOption('cpu');
  await panel.getByRole('spinbutton', { name: 'Epochs' }).fill('2');
  await panel.getByRole('button', { name: 'Start', exact: true }).click();
  const status = panel.locator('[data-run-status]');
  await expect(status).toHaveAttribute('data-run-status', 'finished', { timeout: 60_000 });
  await expect(status).not.toContainText('not in the file');
});
