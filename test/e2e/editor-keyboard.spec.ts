// Editor features beyond drag and drop: wiring by keyboard (Ctrl+K "Connect to…"), the network
// locked while a training run is active, Open Recent in the top bar (web edition), and the import
// wizard's Apply as one undo step. Screenshots of the new surfaces in both themes (for the a11y check).
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { dropNode, newProject, openWelcome, shotPath } from './helpers';

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}

async function openIrisExample(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Open example Iris/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Opened the example' })).toBeVisible();
}

test('Ctrl+K connects the selected node by keyboard, explains refusals, and is one undo step', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openWelcome(page);
  await newProject(page);
  await dropNode(page, 'Dense', 200, 150);
  await dropNode(page, 'Activation.relu', 520, 150);
  const nodes = page.locator('.svelte-flow__node');
  const edges = page.locator('.svelte-flow__edge');
  await expect(nodes).toHaveCount(2);
  await nodes.filter({ has: page.locator('[data-node-type="Dense"]') }).click();

  await page.keyboard.press('Control+k');
  const dialog = page.getByRole('dialog', { name: /Connect .* to…/ });
  await expect(dialog).toBeVisible();
  const filter = dialog.getByRole('combobox', { name: 'Filter connections' });
  await expect(filter).toBeFocused();
  await filter.fill('relu input');
  await expect(dialog.getByRole('option').first()).toContainText(/Output → ReLU .* · Input/);
  await expect(dialog.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
  await page.screenshot({ path: shotPath('editor-connect-light') });
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(edges).toHaveCount(1);

  // The same wire again is refused, with the reason shown in the list.
  await nodes.filter({ has: page.locator('[data-node-type="Dense"]') }).click();
  await page.keyboard.press('Control+k');
  await dialog.getByRole('combobox').fill('relu input');
  const refused = dialog.getByRole('option').filter({ hasText: /Output → ReLU/ });
  await expect(refused).toHaveAttribute('aria-disabled', 'true');
  await expect(refused).toContainText('already connected');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: shotPath('editor-connect-dark') });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // One undo step removes the wire.
  await page.keyboard.press('Control+z');
  await expect(edges).toHaveCount(0);
  await page.keyboard.press('Control+Shift+z');
  await expect(edges).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('while a training run is active the network is read-only; "Stop the run and edit" unlocks it', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openWelcome(page);
  await openIrisExample(page);
  const nodes = page.locator('.svelte-flow__node');
  const count = await nodes.count();

  await page.getByRole('tab', { name: 'Training' }).click();
  const panel = page.getByTestId('training-panel');
  await panel.getByRole('spinbutton', { name: 'Epochs' }).fill('3000');
  await panel.getByRole('checkbox', { name: 'demo stream' }).check();
  await panel.getByRole('button', { name: 'Start', exact: true }).click();
  const status = panel.locator('[data-run-status]');
  await expect(status).toHaveAttribute('data-run-status', 'running');

  // Parameters are shown read-only; deleting a node is refused with the reason.
  await nodes
    .filter({ has: page.locator('[data-node-type="Dense"]') })
    .first()
    .click();
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  await expect(inspector.getByText('Read-only while a training run is active.')).toBeVisible();
  await expect(inspector.getByLabel(/^Units/)).toHaveAttribute('readonly', '');
  await expect(inspector.getByRole('button', { name: 'Delete node' })).toBeDisabled();
  await page.screenshot({ path: shotPath('editor-run-locked') });
  await page.keyboard.press('Delete');
  const notice = page.getByRole('alert').filter({ hasText: 'training run is in progress' });
  await expect(notice).toBeVisible();
  await expect(nodes).toHaveCount(count);

  await notice.getByRole('button', { name: 'Stop the run and edit' }).click();
  await expect(status).toHaveAttribute('data-run-status', 'stopped');
  await expect(inspector.getByText('Read-only while a training run is active.')).toBeHidden();
  await nodes
    .filter({ has: page.locator('[data-node-type="Dense"]') })
    .first()
    .click();
  await page.keyboard.press('Delete');
  await expect(nodes).toHaveCount(count - 1);
  expect(errors).toEqual([]);
});

test('Open Recent in the top bar reopens a project in the web edition', async ({ page }) => {
  const errors = collectErrors(page);
  const file = 'examples/xor.netloom.json';
  const xorNodes = JSON.parse(readFileSync(file, 'utf8')).graph.nodes.length;
  await openWelcome(page);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: /Open…/ }).click();
  await (await chooser).setFiles(file);
  await expect(page.locator('.svelte-flow__node')).toHaveCount(xorNodes);

  // Another project, then back to the first one through the menu.
  await page.getByRole('button', { name: 'Back to the welcome screen' }).click();
  await openIrisExample(page);
  const recent = page.getByRole('button', { name: /^Recent/ });
  await recent.click();
  const menu = page.getByRole('menu', { name: 'Recent projects' });
  const item = menu.getByRole('menuitem', { name: /xor\.netloom\.json/ });
  await expect(item).toBeFocused();
  await page.screenshot({ path: shotPath('editor-recent-light') });
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(recent).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(item).toBeFocused();
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: shotPath('editor-recent-dark') });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.keyboard.press('Enter');
  await expect(page.locator('.svelte-flow__node')).toHaveCount(xorNodes);
  await expect(page.getByRole('heading', { level: 1 })).not.toContainText('Iris');
  expect(errors).toEqual([]);
});

test("the wizard's Apply is one undo step that restores the previous import settings", async ({ page }) => {
  const errors = collectErrors(page);
  await openWelcome(page);
  await openIrisExample(page);
  // Iris: 4 features into the network, 3 classes out of it.
  const label = (w: number) => page.locator('.svelte-flow__edge-label', { hasText: `[batch, ${w}]` });
  await expect(label(4)).toHaveCount(1);
  const threes = await label(3).count();

  await page.getByRole('tab', { name: 'Data' }).click();
  const role = page.getByTestId('wizard-columns').locator('tr[data-column="sepal_length_cm"] select').first();
  await expect(role).toHaveValue('feature');
  await role.selectOption('ignore');
  await page.getByRole('button', { name: 'Apply import settings' }).click();
  // One feature column ignored: the Dataset's features edge is 3 wide now.
  await expect(label(4)).toHaveCount(0);
  await expect(label(3)).toHaveCount(threes + 1);
  await expect(page.getByRole('button', { name: 'Undo' })).toHaveAttribute(
    'title',
    /Undo Apply import settings/,
  );

  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(label(4)).toHaveCount(1);
  await expect(label(3)).toHaveCount(threes);
  await expect(role).toHaveValue('feature');
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(label(4)).toHaveCount(0);
  await expect(role).toHaveValue('ignore');
  expect(errors).toEqual([]);
});
