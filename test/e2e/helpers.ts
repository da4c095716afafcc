// Shared steps for the e2e tests: open the app, start a new project, build a small graph.
import { expect, type Locator, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';

export const SHOTS_DIR = 'test-results';

/** Screenshot path inside test-results/ (created when missing). */
export function shotPath(name: string): string {
  mkdirSync(SHOTS_DIR, { recursive: true });
  return `${SHOTS_DIR}/${name}.png`;
}

/** Load the app and wait for the welcome screen. */
export async function openWelcome(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Netloom', level: 1 })).toBeVisible();
}

/** From the welcome screen, start an empty project and wait for the editor. */
export async function newProject(page: Page): Promise<void> {
  await page.getByRole('button', { name: /New project/ }).click();
  await expect(page.locator('.svelte-flow')).toBeVisible();
}

export function paletteItem(page: Page, label: string): Locator {
  return page
    .getByRole('complementary', { name: 'Node palette' })
    .getByRole('button', { name: new RegExp(`^${label}\\b`) });
}

/** Drag palette item `label` onto the canvas at (x, y) pixels from the canvas' top-left. */
export async function dropNode(page: Page, label: string, x: number, y: number): Promise<void> {
  const canvas = page.getByRole('region', { name: 'Graph canvas' });
  await paletteItem(page, label).dragTo(canvas, { targetPosition: { x, y } });
}

/** Connect the output handle of the node at index `from` to the input of node `to`. */
export async function connect(page: Page, from: number, to: number): Promise<void> {
  const nodes = page.locator('.svelte-flow__node');
  const source = nodes.nth(from).locator('.svelte-flow__handle.source');
  const target = nodes.nth(to).locator('.svelte-flow__handle.target');
  const s = await source.boundingBox();
  const t = await target.boundingBox();
  if (!s || !t) throw new Error(`connect(${from}, ${to}): a handle is not visible`);
  await page.mouse.move(s.x + s.width / 2, s.y + s.height / 2);
  await page.mouse.down();
  await page.mouse.move((s.x + t.x) / 2, (s.y + t.y) / 2, { steps: 4 });
  await page.mouse.move(t.x + t.width / 2, t.y + t.height / 2, { steps: 4 });
  await page.mouse.up();
}

/**
 * A small classifier: CSV input → Dense → ReLU → Dense → Softmax → Cross-entropy ← Target.
 * Laid out for the default 1600×1000 viewport (canvas about 1060 px wide).
 */
export async function buildSampleGraph(page: Page): Promise<void> {
  const chain = ['CSV input', 'Dense', 'ReLU', 'Dense', 'Softmax', 'Cross-entropy'];
  for (let i = 0; i < chain.length; i++) await dropNode(page, chain[i], 40 + i * 168 + 70, 160);
  await dropNode(page, 'Target', 40 + 4 * 168 + 70, 300);
  await expect(page.locator('.svelte-flow__node')).toHaveCount(chain.length + 1);
  for (let i = 0; i < chain.length - 1; i++) await connect(page, i, i + 1);
  await connect(page, chain.length, chain.length - 1);
  await expect(page.locator('.svelte-flow__edge')).toHaveCount(chain.length);
}
