// Reads the Training panel's History table (TrainingPanel.svelte, data-testid="run-table") into
// numbers, by its header names, so a column added later does not shift the values read.
import { expect, type Locator } from '@playwright/test';

export interface HistoryRow {
  run: string;
  status: string;
  backend: string;
  metric: string;
  trainLoss: number;
  validationLoss: number;
  trainMetric: number;
  validationMetric: number;
}

/** The table's cells as shown; numbers parsed (an '—' cell fails the test with the row). */
export async function historyRows(table: Locator): Promise<HistoryRow[]> {
  await expect(table.locator('tbody tr').first()).toBeVisible();
  const header = (await table.locator('thead th').allInnerTexts()).map((h) => h.trim());
  const rows = await table.locator('tbody tr').all();
  const out: HistoryRow[] = [];
  for (const row of rows) {
    const cells = (await row.locator('td').allInnerTexts()).map((c) => c.trim());
    const cell = (name: string): string => {
      const i = header.indexOf(name);
      if (i < 0) throw new Error(`History table has no column "${name}" (columns: ${header.join(', ')})`);
      return cells[i] ?? '';
    };
    const num = (name: string): number => {
      const v = Number(cell(name));
      if (!Number.isFinite(v)) throw new Error(`History column "${name}" is "${cell(name)}", not a number`);
      return v;
    };
    out.push({
      run: cell('run'),
      status: cell('status'),
      backend: cell('backend'),
      metric: cell('metric'),
      trainLoss: num('train loss'),
      validationLoss: num('val. loss'),
      trainMetric: num('train'),
      validationMetric: num('val.'),
    });
  }
  return out;
}
