// The renderer shell: welcome screen, palette, canvas, inspector, bottom panel, both themes.
import { expect, test, type Page } from '@playwright/test';
import { buildSampleGraph, newProject, openWelcome, paletteItem, shotPath } from './helpers';

async function checkShell(page: Page) {
  // Palette with its seven groups and a search box.
  const palette = page.getByRole('complementary', { name: 'Node palette' });
  await expect(palette.getByRole('searchbox', { name: 'Search nodes' })).toBeVisible();
  for (const group of [
    'Data',
    'Layers',
    'Activations',
    'Initializers',
    'Losses',
    'Optimizers',
    'Schedules',
  ]) {
    await expect(palette.getByRole('button', { name: new RegExp(`^${group}\\b`) })).toBeVisible();
  }
  // Canvas: grid background, zoom controls, empty state (the minimap appears with the first node).
  await expect(page.locator('.svelte-flow__background')).toBeVisible();
  await expect(page.locator('.svelte-flow__controls')).toBeVisible();
  await expect(page.locator('.svelte-flow__minimap')).toHaveCount(0);
  await expect(page.getByText('Your network starts here')).toBeVisible();
  // Inspector empty state and the bottom panel's tabs.
  await expect(
    page.getByRole('complementary', { name: 'Inspector' }).getByText('Select a node…'),
  ).toBeVisible();
  const tabs = page.getByRole('tablist', { name: 'Panel views' });
  for (const tab of ['Data', 'Training', 'Problems'])
    await expect(tabs.getByRole('tab', { name: tab })).toBeVisible();
  await expect(page.getByText('No dataset loaded')).toBeVisible();
}

test.describe('light theme', () => {
  test.use({ colorScheme: 'light' });

  test('welcome screen offers new, open, recent and examples', async ({ page }) => {
    await openWelcome(page);
    await expect(page.getByRole('button', { name: /New project/ })).toBeVisible();
    await expect(page.getByRole('button', { name: /Open…/ })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Recent projects' })).toBeVisible();
    await expect(page.getByRole('heading', { name: /Examples/ })).toBeVisible();
    await expect(page.getByText('Iris species')).toBeVisible();
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r, g, b] = bg.match(/\d+/g)!.map(Number);
    expect(0.2126 * r + 0.7152 * g + 0.0722 * b).toBeGreaterThan(180);
    await page.screenshot({ path: shotPath('welcome-light') });
  });

  test('editor shell renders palette, canvas, inspector and bottom panel', async ({ page }) => {
    await openWelcome(page);
    await newProject(page);
    await checkShell(page);
    await page.screenshot({ path: shotPath('shell-empty-light') });
  });

  test('palette search narrows the list and says when nothing matches', async ({ page }) => {
    await openWelcome(page);
    await newProject(page);
    const search = page.getByRole('searchbox', { name: 'Search nodes' });
    await search.fill('adam');
    await expect(paletteItem(page, 'Adam')).toBeVisible();
    await expect(paletteItem(page, 'Dense')).toHaveCount(0);
    await search.fill('zzzz-no-such-node');
    await expect(page.getByText(/No nodes match/)).toBeVisible();
    await search.press('Escape');
    await expect(paletteItem(page, 'Dense')).toBeVisible();
  });

  test('keyboard: Enter on a palette item adds the node and the inspector shows it', async ({ page }) => {
    await openWelcome(page);
    await newProject(page);
    await paletteItem(page, 'Dense').focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('.svelte-flow__node')).toHaveCount(1);
    const inspector = page.getByRole('complementary', { name: 'Inspector' });
    await expect(inspector.getByRole('heading', { name: 'Dense' })).toBeVisible();
    await expect(inspector.getByText('dense-1', { exact: true }).first()).toBeVisible();
    // Backspace while typing in the search box edits the text, never the graph.
    const search = page.getByRole('searchbox', { name: 'Search nodes' });
    await search.fill('den');
    await search.press('Backspace');
    await expect(search).toHaveValue('de');
    await expect(page.locator('.svelte-flow__node')).toHaveCount(1);
    await search.fill('');
    await inspector.getByRole('button', { name: 'Delete node' }).click();
    await expect(page.locator('.svelte-flow__node')).toHaveCount(0);
    await expect(inspector.getByText('Select a node…')).toBeVisible();
  });

  test('bottom panel tabs switch with the arrow keys', async ({ page }) => {
    await openWelcome(page);
    await newProject(page);
    const data = page.getByRole('tab', { name: 'Data' });
    await data.focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('tab', { name: 'Summary' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('tab', { name: 'Summary' })).toBeFocused();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByRole('tab', { name: 'Training' })).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByRole('tab', { name: 'Problems' })).toHaveAttribute('aria-selected', 'true');
    // An empty graph cannot train: the list says what is missing.
    await expect(page.locator('.problems li.error').first()).toBeVisible();
  });

  test('the bottom panel resizes by dragging its splitter and by keyboard, and keeps its size', async ({
    page,
  }) => {
    await openWelcome(page);
    await newProject(page);
    const splitter = page.getByRole('separator', { name: 'Resize the bottom panel' });
    const panelHeight = async () =>
      await page
        .getByRole('tablist')
        .first()
        .evaluate((t) => t.closest('section, div')!.parentElement!.getBoundingClientRect().height);
    await expect(splitter).toHaveAttribute('aria-valuenow', '34');
    const before = await panelHeight();
    const box = (await splitter.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 3);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y - 200, { steps: 5 });
    await page.mouse.up();
    const dragged = Number(await splitter.getAttribute('aria-valuenow'));
    expect(dragged).toBeGreaterThan(40);
    expect(await panelHeight()).toBeGreaterThan(before + 100);
    await splitter.focus();
    await page.keyboard.press('ArrowDown');
    await expect(splitter).toHaveAttribute('aria-valuenow', String(dragged - 5));
    await page.reload();
    await newProject(page);
    await expect(page.getByRole('separator', { name: 'Resize the bottom panel' })).toHaveAttribute(
      'aria-valuenow',
      String(dragged - 5),
    );
  });

  test('a graph built by drag and drop; screenshot for the docs', async ({ page }) => {
    await openWelcome(page);
    await newProject(page);
    await buildSampleGraph(page);
    await page.locator('.svelte-flow__node').nth(1).click();
    await expect(
      page.getByRole('complementary', { name: 'Inspector' }).getByRole('heading', { name: 'Dense' }),
    ).toBeVisible();
    await expect(page.getByText(/6 nodes · 6 connections/)).toBeVisible();
    await expect(page.locator('.svelte-flow__minimap')).toBeVisible();
    await expect(page.getByText('Your network starts here')).toHaveCount(0);
    await page.screenshot({ path: shotPath('shell-graph-light') });
    // The picture for docs/screenshot.png: graph, inspector and a finished trainer check.
    await page.getByRole('tab', { name: 'Training' }).click();
    await page.getByRole('button', { name: 'Test trainer' }).click();
    await expect(page.locator('[data-status]')).toHaveAttribute('data-status', 'finished', {
      timeout: 20_000,
    });
    await page.screenshot({ path: shotPath('shell-graph-training-light') });
  });
});

test.describe('dark theme', () => {
  test.use({ colorScheme: 'dark' });

  test('follows the OS preference', async ({ page }) => {
    await openWelcome(page);
    const welcomeBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    // Dark theme: the app background's luminance is low (computed independently of our tokens).
    const [r, g, b] = welcomeBg.match(/\d+/g)!.map(Number);
    expect(0.2126 * r + 0.7152 * g + 0.0722 * b).toBeLessThan(60);
    await page.screenshot({ path: shotPath('welcome-dark') });
    await newProject(page);
    await checkShell(page);
    await expect(page.locator('.svelte-flow')).toHaveClass(/dark/);
    await buildSampleGraph(page);
    await page.locator('.svelte-flow__node').nth(2).click();
    await page.screenshot({ path: shotPath('shell-graph-dark') });
  });
});

test('a CSV file dropped on the window is acknowledged, not lost', async ({ page }) => {
  await openWelcome(page);
  await newProject(page);
  const dataTransfer = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['x,y\n1,2\n3,4\n'], 'tiny.csv', { type: 'text/csv' }));
    return dt;
  });
  await page.dispatchEvent('body', 'drop', { dataTransfer });
  await expect(page.getByRole('status').filter({ hasText: 'tiny.csv' })).toContainText(
    'Loaded tiny.csv: 2 rows',
  );
  await expect(page.getByRole('tab', { name: 'Data' })).toHaveAttribute('aria-selected', 'true');
  await page.screenshot({ path: shotPath('notice-light') });
  await page.getByRole('button', { name: 'Dismiss message' }).click();
  await expect(page.getByText('Loaded tiny.csv')).toHaveCount(0);
});
