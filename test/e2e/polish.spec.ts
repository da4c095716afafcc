// Defects from the new-user review (issues #7/#8), checked in the web edition: the wizard and the
// training tables stay inside the centre column (never under the Inspector) at laptop sizes, the
// weight heat map reaches the last epoch, palette search adds the exact match, readable inputs and
// clearly disabled buttons in the dark theme, info notices leave by themselves, a refused wire's
// reason clears on the next drag, a recovered example gets its CSV back, and the palette is one
// tab stop.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { dropNode, newProject, openWelcome, seedRecovery, shotPath } from './helpers';

type Box = { x: number; y: number; width: number; height: number };
const intersects = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function openIris(page: Page): Promise<void> {
  await openWelcome(page);
  await page.getByRole('button', { name: /^Open example Iris/ }).click();
  await expect(page.locator('.svelte-flow__node').first()).toBeVisible();
}

/** None of `parts` may reach into the inspector's box (they may scroll inside themselves). */
async function expectClearOfInspector(page: Page, parts: Record<string, Locator>): Promise<void> {
  const inspector = await page.getByRole('complementary', { name: 'Inspector' }).boundingBox();
  expect(inspector).not.toBeNull();
  for (const [name, part] of Object.entries(parts)) {
    const box = await part.boundingBox();
    expect(box, name).not.toBeNull();
    expect(intersects(box!, inspector!), `${name} overlaps the inspector`).toBe(false);
  }
}

/** WCAG contrast ratio of an element's text colour against its own background colour. */
async function textContrast(el: Locator): Promise<number> {
  return el.evaluate((node) => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const st = getComputedStyle(node);
    const a = lum(rgb(st.color));
    const b = lum(rgb(st.backgroundColor));
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  });
}

for (const [w, h] of [
  [1400, 900],
  [1280, 720],
] as const) {
  test(`at ${w}×${h} the data wizard stays clear of the inspector`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    await openIris(page);
    await page.getByRole('tab', { name: 'Data' }).click();
    await expect(page.getByTestId('wizard-columns')).toBeVisible();
    await page.screenshot({ path: shotPath(`polish-wizard-${w}`) });
    await expectClearOfInspector(page, {
      wizard: page.getByTestId('import-wizard'),
      'columns box': page.getByTestId('wizard-columns').locator('xpath=..'),
      canvas: page.getByRole('region', { name: 'Graph canvas' }),
    });
  });
}

test('after a 100-epoch run: the heat map reaches epoch 100 and the tables stay clear of the inspector', async ({
  page,
}) => {
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 1400, height: 900 });
  await openIris(page);
  await page.getByRole('tab', { name: 'Training' }).click();
  const panel = page.getByTestId('training-panel');
  await panel.getByRole('combobox', { name: 'Backend' }).selectOption('cpu');
  await panel.getByRole('spinbutton', { name: 'Epochs' }).fill('100');
  await panel.getByRole('button', { name: 'Start', exact: true }).click();
  const status = panel.locator('[data-run-status]');
  await expect(status).toHaveAttribute('data-run-status', 'finished', { timeout: 120_000 });
  await expect(status).toContainText('Finished 100 epochs');
  // More than MAX_HISTOGRAM_SNAPSHOTS epochs: the snapshots were thinned, the last one is kept.
  await expect(page.getByTestId('heatmap-last-epoch')).toHaveText('100');

  const predict = page.getByTestId('predict-panel');
  const chooser = page.waitForEvent('filechooser');
  await predict.getByRole('button', { name: 'Choose CSV…' }).click();
  await (await chooser).setFiles('test/fixtures/data/iris.csv');
  await expect(predict.getByTestId('predict-summary')).toContainText('150 rows predicted', {
    timeout: 30_000,
  });
  // The predict table lives in the Charts view (switching views drops it), so both sizes there first.
  const sizes = [
    [1400, 900],
    [1280, 720],
  ] as const;
  for (const [w, h] of sizes) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: shotPath(`polish-training-charts-${w}`) });
    await expectClearOfInspector(page, {
      'training panel': panel,
      'predict panel': predict,
      'predict table box': predict.getByTestId('predict-table').locator('xpath=..'),
    });
  }
  await panel.getByRole('tab', { name: 'History' }).click();
  await expect(page.getByTestId('run-table')).toBeVisible();
  for (const [w, h] of sizes) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: shotPath(`polish-training-history-${w}`) });
    await expectClearOfInspector(page, {
      'training panel': panel,
      'run table box': page.getByTestId('run-table').locator('xpath=..'),
    });
  }
});

test('palette search: Enter adds the exact label, not an earlier partial match', async ({ page }) => {
  await openWelcome(page);
  await newProject(page);
  const search = page.getByRole('searchbox', { name: 'Search nodes' });
  await search.fill('Cross-entropy (from logits)');
  await search.press('Enter');
  await expect(page.locator('.svelte-flow__node')).toHaveCount(1);
  await expect(
    page
      .getByRole('complementary', { name: 'Inspector' })
      .getByRole('heading', { name: 'Cross-entropy (from logits)' }),
  ).toBeVisible();
});

test.describe('dark theme', () => {
  test.use({ colorScheme: 'dark' });
  test('split inputs are readable and a disabled Apply looks disabled', async ({ page }) => {
    await openWelcome(page);
    await newProject(page);
    await page.getByRole('tab', { name: 'Data' }).click();
    const apply = page.getByRole('button', { name: 'Apply import settings' });
    await expect(apply).toBeDisabled();
    await apply.locator('xpath=../..').screenshot({ path: shotPath('polish-apply-disabled-dark') });
    // Disabled: no accent fill (an enabled primary button is filled with the accent colour).
    const fill = await apply.evaluate((b) => getComputedStyle(b).backgroundColor);
    expect(fill).toMatch(/rgba\(0, 0, 0, 0\)|transparent/);
    await page.getByTestId('wizard-file-input').setInputFiles('test/fixtures/data/iris.csv');
    await expect(apply).toBeEnabled();
    expect(await apply.evaluate((b) => getComputedStyle(b).backgroundColor)).not.toBe(fill);
    for (const name of ['Train', 'Validation', 'Test', 'Seed']) {
      const input = page.getByRole('spinbutton', { name, exact: true });
      expect(await textContrast(input), name).toBeGreaterThanOrEqual(4.5);
    }
    const split = page.getByRole('region', { name: 'Task and split' });
    await split.scrollIntoViewIfNeeded();
    await split.screenshot({ path: shotPath('polish-split-dark') });
  });
});

test('light theme: split inputs are readable', async ({ page }) => {
  await openWelcome(page);
  await newProject(page);
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByTestId('wizard-file-input').setInputFiles('test/fixtures/data/iris.csv');
  for (const name of ['Train', 'Validation', 'Test', 'Seed']) {
    const input = page.getByRole('spinbutton', { name, exact: true });
    expect(await textContrast(input), name).toBeGreaterThanOrEqual(4.5);
  }
  const split = page.getByRole('region', { name: 'Task and split' });
  await split.scrollIntoViewIfNeeded();
  await split.screenshot({ path: shotPath('polish-split-light') });
});

test('an information notice leaves by itself', async ({ page }) => {
  await openIris(page);
  const info = page.getByRole('status').filter({ hasText: 'Opened the example' });
  await expect(info).toBeVisible();
  await expect(info).toHaveCount(0, { timeout: 15_000 });
});

test('a notice under the pointer waits; closing it does not stop the next one from leaving', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await openIris(page);
  const info = page.getByRole('status').filter({ hasText: 'Opened the example' });
  await info.hover();
  await page.waitForTimeout(7000); // longer than the 6 s an information notice stays
  await expect(info).toBeVisible();
  await info.getByRole('button', { name: 'Dismiss message' }).click();
  await expect(info).toHaveCount(0);
  // The closed notice got no pointerleave (it was removed under the pointer); the next notice, away
  // from the pointer, still leaves by itself.
  await page.mouse.move(5, 400);
  page.on('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'New', exact: true }).focus();
  await page.keyboard.press('Enter');
  const next = page.getByRole('status').filter({ hasText: 'New project from the template' });
  await expect(next).toBeVisible();
  await expect(next).toHaveCount(0, { timeout: 15_000 });
});

test('a refused wire’s reason goes away when the next wire drag starts', async ({ page }) => {
  await openWelcome(page);
  await newProject(page);
  await dropNode(page, 'Dense', 120, 120);
  await dropNode(page, 'Optimizer.adam', 120, 340);
  const nodes = page.locator('.svelte-flow__node');
  await expect(nodes).toHaveCount(2);
  const handle = (i: number, kind: 'source' | 'target', id: string) =>
    nodes.nth(i).locator(`.svelte-flow__handle.${kind}[data-handleid="${id}"]`);
  const centre = async (l: Locator) => {
    const b = (await l.boundingBox())!;
    return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  };
  // Adam's optimizer output into Dense's data input: refused, with the reason at the pointer.
  const s = await centre(handle(1, 'source', 'optimizer'));
  const t = await centre(handle(0, 'target', 'in'));
  await page.mouse.move(s.x, s.y);
  await page.mouse.down();
  await page.mouse.move((s.x + t.x) / 2, (s.y + t.y) / 2, { steps: 4 });
  await page.mouse.move(t.x, t.y, { steps: 4 });
  await page.mouse.up();
  const refusal = page.getByRole('alert').filter({ hasText: 'Connection refused' });
  await expect(refusal).toBeVisible();
  // A new drag from Dense's output: the old reason is gone before the button is released.
  const o = await centre(handle(0, 'source', 'out'));
  await page.mouse.move(o.x, o.y);
  await page.mouse.down();
  await page.mouse.move(o.x + 40, o.y + 30, { steps: 5 });
  await expect(refusal).toHaveCount(0);
  await page.mouse.up();
});

test('recovering an example copy reloads its bundled CSV', async ({ page }) => {
  await seedRecovery(page, 'Iris work', 'examples/iris.netloom.json');
  await openWelcome(page);
  await page.getByRole('button', { name: 'Recover' }).click();
  await page.getByRole('tab', { name: 'Data' }).click();
  await expect(page.getByTestId('dataset-facts')).toContainText('In use: iris.csv');
  await expect(page.getByText('No dataset loaded')).toHaveCount(0);
});

test('the palette list is one tab stop with arrow keys inside', async ({ page }) => {
  await openWelcome(page);
  await newProject(page);
  const search = page.getByRole('searchbox', { name: 'Search nodes' });
  await search.focus();
  await page.keyboard.press('Tab');
  const first = page.locator(':focus');
  await expect(first).toHaveAttribute('data-stop', /.+/);
  const firstStop = await first.getAttribute('data-stop');
  await page.keyboard.press('ArrowDown');
  const second = await page.locator(':focus').getAttribute('data-stop');
  expect(second).not.toBe(firstStop);
  await page.keyboard.press('ArrowUp');
  await expect(page.locator(':focus')).toHaveAttribute('data-stop', firstStop!);
  // One more Tab leaves the palette altogether.
  await page.keyboard.press('Tab');
  const inPalette = await page
    .locator(':focus')
    .evaluate((el) => !!el.closest('[aria-label="Node palette"]'));
  expect(inPalette).toBe(false);
  // ↓ from the search box enters the list too; Enter on an item adds it.
  await search.focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.locator(':focus')).toHaveAttribute('data-stop', /.+/);
});

test('the minimap folds away and stays folded after a reload', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openIris(page);
  const minimap = page.locator('.svelte-flow__minimap');
  await expect(minimap).toBeVisible();
  await page.getByRole('button', { name: 'Hide the minimap' }).click();
  await expect(minimap).toHaveCount(0);
  await page.reload();
  await page.getByRole('button', { name: /^Open example Iris/ }).click();
  await expect(page.locator('.svelte-flow__node').first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Show the minimap' })).toBeVisible();
  await expect(minimap).toHaveCount(0);
  await page.getByRole('button', { name: 'Show the minimap' }).click();
  await expect(minimap).toBeVisible();
});
