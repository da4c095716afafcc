// Shared steps for the e2e tests: open the app, start a project, build a small graph.
import { expect, type Locator, type Page } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';

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
  await page.getByRole('button', { name: /Empty project/ }).click();
  await expect(page.locator('.svelte-flow')).toBeVisible();
}

/** The palette button of a node label (first word match, e.g. 'Dense', 'ReLU', 'Adam'). */
export function paletteItem(page: Page, label: string): Locator {
  return page
    .getByRole('complementary', { name: 'Node palette' })
    .getByRole('button', { name: new RegExp(`^${label}\\b`) });
}

/** The palette button of a registry type, e.g. 'Loss.cross_entropy_logits'. */
export function paletteType(page: Page, type: string): Locator {
  return page.getByRole('complementary', { name: 'Node palette' }).locator(`button[data-type="${type}"]`);
}

/** Drag the palette item of registry type `type` onto the canvas at (x, y) pixels from its top-left. */
export async function dropNode(page: Page, type: string, x: number, y: number): Promise<void> {
  const canvas = page.getByRole('region', { name: 'Graph canvas' });
  await paletteType(page, type).dragTo(canvas, { targetPosition: { x, y } });
}

/** Drags a wire from output `fromPort` of node #from to input `toPort` of node #to (DOM order). */
export async function connect(
  page: Page,
  from: number,
  fromPort: string,
  to: number,
  toPort: string,
): Promise<void> {
  const nodes = page.locator('.svelte-flow__node');
  const source = nodes.nth(from).locator(`.svelte-flow__handle.source[data-handleid="${fromPort}"]`);
  const target = nodes.nth(to).locator(`.svelte-flow__handle.target[data-handleid="${toPort}"]`);
  const s = await source.boundingBox();
  const t = await target.boundingBox();
  if (!s || !t) throw new Error(`connect(${from}.${fromPort} → ${to}.${toPort}): a handle is not visible`);
  await page.mouse.move(s.x + s.width / 2, s.y + s.height / 2);
  await page.mouse.down();
  await page.mouse.move((s.x + t.x) / 2, (s.y + t.y) / 2, { steps: 4 });
  await page.mouse.move(t.x + t.width / 2, t.y + t.height / 2, { steps: 4 });
  await page.mouse.up();
}

/** The trainable chain of the template, as a new user builds it by hand. */
export const CHAIN = [
  'Dataset',
  'Dense',
  'Activation.relu',
  'Dense',
  'Loss.cross_entropy_logits',
  'Optimizer.adam',
] as const;

/**
 * Dataset → Dense → ReLU → Dense → Cross-entropy (from logits) ← Adam, dragged from the palette and
 * wired port by port. Laid out for the default 1600×1000 viewport.
 */
export async function buildSampleGraph(page: Page): Promise<void> {
  for (let i = 0; i < 5; i++) await dropNode(page, CHAIN[i], 90 + i * 200, 120 + (i % 2) * 40);
  await dropNode(page, CHAIN[5], 690, 330);
  await expect(page.locator('.svelte-flow__node')).toHaveCount(6);
  await connect(page, 0, 'features', 1, 'in');
  await connect(page, 1, 'out', 2, 'in');
  await connect(page, 2, 'out', 3, 'in');
  await connect(page, 3, 'out', 4, 'prediction');
  await connect(page, 0, 'targets', 4, 'target');
  await connect(page, 5, 'optimizer', 4, 'optimizer');
  await expect(page.locator('.svelte-flow__edge')).toHaveCount(6);
}

/**
 * Leaves a crash-recovery snapshot of the project file `projectFile` under the name `name`, as a
 * session that died with unsaved work would, before the page's first load (only once per tab).
 */
export async function seedRecovery(page: Page, name: string, projectFile: string): Promise<void> {
  const snapshot = JSON.stringify({
    name,
    fileName: null,
    savedAt: new Date().toISOString(),
    text: readFileSync(projectFile, 'utf8'),
  });
  await page.addInitScript((s) => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem('netloom.recovery.v1', s);
      sessionStorage.setItem('seeded', '1');
    }
  }, snapshot);
}
