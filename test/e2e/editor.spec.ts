// The editor as a new user meets it: build a network by drag and drop, see shapes once a CSV is
// chosen, get a refused wire explained, delete and undo, save, reload, open, and open every example.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { buildSampleGraph, connect, newProject, openWelcome, seedRecovery, shotPath } from './helpers';

const IRIS = 'test/fixtures/data/iris.csv';

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}

async function chooseCsv(page: Page, path: string): Promise<void> {
  // The Data tab's one entry point is the import wizard: choose, then Apply.
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByRole('tabpanel').getByRole('button', { name: 'Choose file…' }).click();
  await (await chooser).setFiles(path);
  await page.getByRole('button', { name: 'Apply import settings' }).click();
}

test('build, shape-check, refuse, undo, save, reload and reopen a network', async ({ page }) => {
  test.setTimeout(90_000); // many gestures; a loaded 2-core machine needs more than the default
  const errors = collectErrors(page);
  await openWelcome(page);
  await newProject(page);
  await buildSampleGraph(page);
  const nodes = page.locator('.svelte-flow__node');

  // The output layer: units 'auto' through the inspector (validated; a bad value is refused first).
  await nodes.nth(3).click();
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  const units = inspector.getByLabel(/^Units/);
  await units.fill('2.5');
  await units.press('Enter');
  await expect(inspector.getByRole('alert')).toContainText('whole number');
  await units.fill('auto');
  await units.press('Enter');
  await expect(inspector.getByRole('alert')).toHaveCount(0);

  // Without data the widths are unknown; with iris.csv every tensor edge gets its shape.
  await chooseCsv(page, IRIS);
  await expect(page.locator('.svelte-flow__edge-label', { hasText: '[batch, 4]' })).toHaveCount(1);
  await expect(page.locator('.svelte-flow__edge-label', { hasText: '[batch, 16]' })).toHaveCount(2);
  await expect(page.locator('.svelte-flow__edge-label', { hasText: '[batch, 3]' })).toHaveCount(1);
  await page.getByRole('tab', { name: 'Problems' }).click();
  await expect(page.getByText('No problems')).toBeVisible();
  await page.getByRole('button', { name: 'Summary' }).click();
  // Dense 4→16 (80) + Dense 16→3 (51) = 131 parameters.
  await expect(page.getByTestId('total-params')).toHaveText('131');
  await page.screenshot({ path: shotPath('editor-shapes-light') });

  // An optimizer wired into a layer input is refused, with the reason next to the pointer.
  await connect(page, 5, 'optimizer', 1, 'in');
  await expect(page.locator('.refusal')).toContainText('Connection refused');
  await expect(page.locator('.svelte-flow__edge')).toHaveCount(6);
  await page.screenshot({ path: shotPath('editor-refused') });

  // Delete the ReLU (its two edges go with it) and undo.
  await nodes.nth(2).click();
  await page.keyboard.press('Delete');
  await expect(nodes).toHaveCount(5);
  await expect(page.locator('.svelte-flow__edge')).toHaveCount(4);
  await page.keyboard.press('Control+z');
  await expect(nodes).toHaveCount(6);
  await expect(page.locator('.svelte-flow__edge')).toHaveCount(6);
  await expect(page).toHaveTitle(/^• /);

  // Save (a download in the browser) and check what was written.
  const download = page.waitForEvent('download');
  await page.keyboard.press('Control+s');
  const file = await (await download).path();
  const saved = JSON.parse(readFileSync(file, 'utf8'));
  expect(saved.format).toBe('netloom-project');
  expect(saved.graph.nodes.map((n: { type: string }) => n.type)).toEqual([
    'Dataset',
    'Dense',
    'Activation.relu',
    'Dense',
    'Loss.cross_entropy_logits',
    'Optimizer.adam',
  ]);
  expect(saved.dataset.path).toBe('iris.csv');
  await expect(page).not.toHaveTitle(/^• /);

  // Reload, open the saved file, find the same graph.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Netloom', level: 1 })).toBeVisible();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: /Open…/ }).click();
  await (await chooser).setFiles(file);
  await expect(nodes).toHaveCount(6);
  await expect(page.locator('.svelte-flow__edge')).toHaveCount(6);
  for (const [i, type] of saved.graph.nodes.map((n: { type: string }) => n.type).entries())
    await expect(nodes.nth(i).locator('[data-node-type]')).toHaveAttribute('data-node-type', type);
  expect(errors).toEqual([]);
});

const ex = (label: string | null) => (label?.includes('Iris') ? 'iris' : label);

test('each example opens from the welcome screen without errors', async ({ page }) => {
  test.setTimeout(90_000);
  const errors = collectErrors(page);
  await openWelcome(page);
  const cards = page.getByRole('button', { name: /^Open example/ });
  const count = await cards.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i++) {
    await openWelcome(page);
    const card = page.getByRole('button', { name: /^Open example/ }).nth(i);
    const name = await card.getAttribute('aria-label');
    await card.click();
    await expect(page.locator('.svelte-flow__node').first()).toBeVisible();
    // The bundled CSV loads and validation finds no errors.
    await expect(page.getByRole('status').filter({ hasText: 'Opened the example' }), name!).toBeVisible();
    await page.getByRole('tab', { name: 'Problems' }).click();
    await expect(page.locator('.problems li.error'), name!).toHaveCount(0);
    if (ex(name) === 'iris') {
      // The docs picture: an example with the ReLU selected (formula and plot in the inspector).
      await page.locator('.svelte-flow__node', { hasText: 'Activation.relu' }).click();
      await expect(page.getByRole('complementary', { name: 'Inspector' }).locator('.katex')).toBeVisible();
      await page.getByRole('tab', { name: 'Summary' }).click();
      await page.screenshot({ path: shotPath('editor-example') });
    }
  }
  expect(errors).toEqual([]);
});

test('unsaved work left by a crashed session is offered on the welcome screen and recovered', async ({
  page,
}) => {
  await seedRecovery(page, 'Lost work', 'examples/xor.netloom.json');
  await openWelcome(page);
  await expect(page.getByRole('alert').filter({ hasText: 'Lost work' })).toBeVisible();
  await page.getByRole('button', { name: 'Recover' }).click();
  const nodes = JSON.parse(readFileSync('examples/xor.netloom.json', 'utf8')).graph.nodes.length;
  await expect(page.locator('.svelte-flow__node')).toHaveCount(nodes);
  // Recovered work is unsaved until saved.
  await expect(page).toHaveTitle(/^• Lost work/);
});

test('the first save of an example copy also copies its CSV', async ({ page }) => {
  await openWelcome(page);
  await page.getByRole('button', { name: /^Open example Iris/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Opened the example' })).toBeVisible();
  const names: string[] = [];
  page.on('download', (d) => names.push(d.suggestedFilename()));
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect.poll(() => names).toEqual(['Iris species (multiclass).netloom.json', 'iris.csv']);
  await expect(page.getByRole('status')).toContainText('a copy of its data iris.csv');
});
