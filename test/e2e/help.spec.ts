// The in-app Help: opened from the top bar, searched, a node page with its formula and plot; opened
// for the selected node from the inspector; F1 and Esc; both themes. Screenshots in test-results/.
import { expect, test, type Page } from '@playwright/test';
import { dropNode, newProject, openWelcome, shotPath } from './helpers';

const helpDialog = (page: Page) => page.getByRole('dialog', { name: 'Netloom Help' });

test('Help from the top bar: contents, search "ReLU", its page; F1 and Esc', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openWelcome(page);
  await newProject(page);

  await page.getByRole('banner').getByRole('button', { name: 'Help', exact: true }).click();
  const dialog = helpDialog(page);
  await expect(dialog).toBeVisible();
  const contents = dialog.getByRole('navigation', { name: 'Help contents' });
  for (const title of [
    'Getting started',
    'Data import wizard',
    'Training panel',
    'Keyboard shortcuts',
    'Dense',
  ])
    await expect(contents.getByRole('button', { name: title, exact: true })).toBeVisible();
  await expect(dialog.getByRole('heading', { level: 2, name: 'Getting started' })).toBeVisible();
  // The search box has focus when Help opens.
  const search = dialog.getByRole('searchbox', { name: 'Search help' });
  await expect(search).toBeFocused();
  await page.screenshot({ path: shotPath('help-contents-light') });

  await search.fill('ReLU');
  const first = contents.getByRole('button').first();
  await expect(first).toContainText('ReLU');
  await expect(contents.getByRole('button', { name: /Leaky ReLU/ })).toBeVisible();
  await first.click();
  await expect(dialog.getByRole('heading', { level: 2, name: 'ReLU', exact: true })).toBeVisible();
  await expect(dialog.getByLabel('Formula').locator('.katex')).toBeVisible();
  await expect(dialog.getByRole('heading', { name: 'Parameters' })).toBeVisible();
  await expect(
    dialog.getByRole('article').getByText(/followed by ReLU .* He \(Kaiming\) normal/),
  ).toBeVisible();
  await expect(dialog.locator('canvas')).toBeVisible();
  await page.screenshot({ path: shotPath('help-relu-light') });

  // Keyboard: ↓ from the first result moves to the next one and opens it.
  await first.focus();
  await page.keyboard.press('ArrowDown');
  await expect(contents.getByRole('button').nth(1)).toBeFocused();
  await expect(contents.getByRole('button').nth(1)).toHaveAttribute('aria-current', 'page');

  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // F1 opens Help again (the menu command 'help.userGuide'), on the page last shown.
  await page.keyboard.press('F1');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect(errors).toEqual([]);
});

test('Help for the selected Dense node from the inspector, in the dark theme', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openWelcome(page);
  await newProject(page);
  await dropNode(page, 'Dense', 300, 200);
  await page.locator('.svelte-flow__node').first().click();
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  await expect(inspector.getByRole('heading', { name: 'Dense' })).toBeVisible();
  await inspector.screenshot({ path: shotPath('help-inspector-link-dark') });
  await inspector.getByRole('button', { name: 'Help for this node' }).click();

  const dialog = helpDialog(page);
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading', { level: 2, name: 'Dense', exact: true })).toBeVisible();
  await expect(dialog.getByLabel('Formula').locator('.katex')).toBeVisible();
  const params = dialog.getByRole('table').first();
  await expect(params).toContainText('units');
  await expect(params).toContainText('integer or auto');
  await expect(dialog.getByText('Feed-forwards neural networks')).toBeVisible();
  // The contents mark the open page.
  await expect(
    dialog
      .getByRole('navigation', { name: 'Help contents' })
      .getByRole('button', { name: 'Dense', exact: true }),
  ).toHaveAttribute('aria-current', 'page');
  await page.screenshot({ path: shotPath('help-dense-dark') });

  // Esc closes Help but leaves the node selected (the editor does not see that Esc).
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(inspector.getByRole('heading', { name: 'Dense' })).toBeVisible();
});

test('Help by keyboard only: F1, search and Enter, contents with arrow keys', async ({ page }) => {
  await openWelcome(page);
  await newProject(page);
  await page.keyboard.press('F1');
  const dialog = helpDialog(page);
  await expect(dialog).toBeVisible();
  await page.keyboard.type('cosine');
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('heading', { level: 2, name: 'Cosine annealing' })).toBeVisible();
  await expect(dialog.getByLabel('Formula').locator('.katex')).toBeVisible();
  await expect(dialog.locator('canvas')).toBeVisible();
  await page.screenshot({ path: shotPath('help-cosine-keyboard-light') });

  // Clear the search: the contents come back; End/Home and the arrows move through the pages.
  await dialog.getByRole('searchbox', { name: 'Search help' }).fill('');
  const current = dialog.getByRole('navigation', { name: 'Help contents' }).locator('[aria-current="page"]');
  await current.focus();
  await page.keyboard.press('Home');
  await expect(dialog.getByRole('heading', { level: 2, name: 'Getting started' })).toBeVisible();
  for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowDown');
  await expect(dialog.getByRole('heading', { level: 2, name: 'Keyboard shortcuts' })).toBeVisible();
  await expect(current).toBeFocused();
  await expect(dialog.getByRole('article')).toContainText('Open this Help');
  await page.screenshot({ path: shotPath('help-shortcuts-light') });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});
