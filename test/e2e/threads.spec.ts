// GEMM helper threads in the browser: the page is cross-origin isolated (COOP/COEP from the server),
// so the Web Worker trainer starts nested helper workers on a shared WebAssembly memory
// (engine/backend/wasm/threads.web.ts). A run with "CPU threads: 2" reports two threads and trains
// to exactly the same losses as a run with one (the helpers compute disjoint column panels).
import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { openWelcome, shotPath } from './helpers';

/** The full History CSV of the current run (every epoch's metrics as exported). */
async function historyCsv(page: Page, panel: Locator): Promise<string> {
  await panel.getByRole('tab', { name: 'History' }).click();
  const download = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Export history CSV' }).click();
  const text = readFileSync(await (await download).path(), 'utf8');
  await panel.getByRole('tab', { name: 'Charts' }).click();
  return text;
}

/** The last run's rows of the history CSV (one per epoch), without the run label. */
function lastRunRows(csv: string): { header: string[]; rows: string[][] } {
  const lines = csv
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  const label = lines.at(-1)![0];
  return { header: lines[0].slice(1), rows: lines.filter((r) => r[0] === label).map((r) => r.slice(1)) };
}

test('two CPU threads in the Web Worker trainer give the same run as one', async ({ page }) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openWelcome(page);
  expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
  await page.getByRole('button', { name: /^Open example Handwritten digits/ }).click();
  await expect(page.locator('.svelte-flow__node').first()).toBeVisible();

  // A hidden layer wide enough that its products (128 × 64 × 512 multiply-adds) are split.
  await page.locator('.svelte-flow__node[data-id="hidden"]').click();
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  const units = inspector.getByLabel(/^Units/);
  await units.fill('512');
  await units.press('Enter');
  await expect(inspector.getByRole('alert')).toHaveCount(0);

  await page.getByRole('tab', { name: 'Training' }).click();
  const panel = page.getByTestId('training-panel');
  const status = panel.locator('[data-run-status]');
  await panel.getByRole('combobox', { name: 'Backend' }).selectOption('cpu');
  await panel.getByRole('spinbutton', { name: 'Epochs' }).fill('3');
  await panel.getByRole('spinbutton', { name: 'Batch size' }).fill('128');

  const run = async (threads: string): Promise<string> => {
    await panel.getByTestId('threads').selectOption(threads);
    await panel.getByRole('button', { name: 'Start', exact: true }).click();
    await expect(status).toHaveAttribute('data-run-status', 'finished', { timeout: 120_000 });
    return panel.getByTestId('run-threads').innerText();
  };
  // The helpers start when the trainer boots; a run before they are ready uses one thread.
  let shown = '';
  for (let attempt = 0; attempt < 10 && shown !== '2 CPU threads'; attempt++) shown = await run('2');
  expect(shown).toBe('2 CPU threads');
  const two = await historyCsv(page, panel);
  await page.screenshot({ path: shotPath('threads-two') });
  expect(await run('1')).toBe('1 CPU thread');
  const one = await historyCsv(page, panel);
  const a = lastRunRows(two);
  const b = lastRunRows(one);
  expect(a.header).toEqual(b.header);
  expect(a.header).toContain('train.loss');
  expect(a.rows.length).toBe(3);
  // Every metric of every epoch to the last bit (String(x) round-trips a double).
  expect(a.rows).toEqual(b.rows);
  expect(errors).toEqual([]);
});
