// CSV import wizard in the web edition: iris through the file input (preview, detected format,
// column summaries, apply), a malformed CSV (problem with its line, the app keeps working), and a
// live re-parse when the delimiter is overridden.
import { expect, test, type Page } from '@playwright/test';
import { newProject, openWelcome, shotPath } from './helpers';

async function openDataTab(page: Page): Promise<void> {
  await openWelcome(page);
  await newProject(page);
  await page.getByRole('tab', { name: 'Data' }).click();
  await expect(page.getByTestId('import-wizard')).toBeVisible();
}

test('imports iris through the wizard: preview, summary, task, apply', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openDataTab(page);
  await page.getByTestId('wizard-file-input').setInputFiles('test/fixtures/data/iris.csv');

  const preview = page.getByTestId('wizard-preview');
  await expect(preview).toBeVisible();
  await expect(preview.locator('thead th')).toHaveText([
    'line',
    'sepal_length_cm',
    'sepal_width_cm',
    'petal_length_cm',
    'petal_width_cm',
    'species',
  ]);
  // First data row of iris.csv (line 2): 5.1,3.5,1.4,0.2,0.
  await expect(preview.locator('tbody tr').first().locator('td')).toHaveText([
    '2',
    '5.1',
    '3.5',
    '1.4',
    '0.2',
    '0',
  ]);
  await expect(page.getByRole('combobox', { name: 'Delimiter' })).toContainText('Auto (Comma (,))');

  const columns = page.getByTestId('wizard-columns');
  await expect(columns.locator('tbody tr')).toHaveCount(5);
  await expect(columns.locator('tr[data-column="species"] select').first()).toHaveValue('target');
  await expect(page.getByRole('img', { name: 'Histogram of sepal_length_cm' })).toBeVisible();
  await expect(page.getByTestId('wizard-task')).toContainText('multiclass');
  await expect(page.getByTestId('wizard-problems')).toContainText('No problems found');
  await page.screenshot({ path: shotPath('wizard-iris') });
  await preview.screenshot({ path: shotPath('wizard-iris-preview') });
  await columns.screenshot({ path: shotPath('wizard-iris-columns') });

  // Override the task: the report follows (live re-analysis).
  await page.getByRole('combobox', { name: 'Task' }).selectOption('regression');
  await expect(page.getByTestId('wizard-task')).toContainText('regression');
  await page.getByRole('combobox', { name: 'Task' }).selectOption('auto');

  await page.getByRole('button', { name: 'Apply import settings' }).click();
  await expect(page.getByTestId('wizard-applied')).toContainText('iris.csv');

  // Reopen: leave the tab and come back; the wizard still holds the file and choices.
  await page.getByRole('tab', { name: 'Training' }).click();
  await page.getByRole('tab', { name: 'Data' }).click();
  await expect(page.getByTestId('wizard-preview')).toBeVisible();
  await expect(page.getByTestId('wizard-applied')).toContainText('iris.csv');
  expect(errors).toEqual([]);
});

test('overriding the delimiter re-parses live', async ({ page }) => {
  await openDataTab(page);
  await page.getByTestId('wizard-file-input').setInputFiles('test/fixtures/data/iris.csv');
  await page.getByRole('combobox', { name: 'Delimiter' }).selectOption(';');
  await expect(page.getByTestId('wizard-preview').locator('thead th')).toHaveCount(2);
  await expect(page.getByRole('button', { name: 'Apply import settings' })).toBeDisabled();
  await page.getByRole('combobox', { name: 'Delimiter' }).selectOption('auto');
  await expect(page.getByTestId('wizard-preview').locator('thead th')).toHaveCount(6);
});

test('a malformed CSV shows the line of the problem and the app keeps working', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openDataTab(page);
  await page.getByTestId('wizard-file-input').setInputFiles('test/fixtures/csv-ui/malformed.csv');
  const problems = page.getByTestId('wizard-problems');
  const error = problems.locator('li[data-severity="error"]').first();
  await expect(error).toBeVisible();
  // '5,6' sits on line 4 of the file and lacks the third field.
  await expect(error).toContainText('line 4');
  await expect(problems).toContainText(/error/);
  await expect(page.getByRole('button', { name: 'Apply import settings' })).toBeDisabled();
  await page.screenshot({ path: shotPath('wizard-malformed') });
  await problems.screenshot({ path: shotPath('wizard-malformed-problems') });

  // Skipping bad rows makes it usable; the app did not lose the project.
  await page.getByRole('combobox', { name: 'Bad rows' }).selectOption('skip');
  await expect(page.getByRole('button', { name: 'Apply import settings' })).toBeEnabled();
  await expect(page.locator('.svelte-flow')).toBeVisible();
  await page.getByRole('tab', { name: 'Training' }).click();
  await expect(page.getByTestId('training-panel')).toBeVisible();
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByTestId('wizard-file-input').setInputFiles('test/fixtures/data/iris.csv');
  await expect(page.getByTestId('wizard-problems')).toContainText('No problems found');
  expect(errors).toEqual([]);
});

test('a CSV dropped on the window opens in the wizard', async ({ page }) => {
  await openDataTab(page);
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['x;y\n1,5;2\n3,5;4\n'], 'semicolons.csv', { type: 'text/csv' }));
    const zone = document.querySelector('[aria-label="Choose or drop a CSV file"]')!;
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await expect(page.getByTestId('import-wizard')).toContainText('semicolons.csv');
  // Semicolon delimiter and decimal comma are detected: 1,5 is the number 1.5.
  await expect(page.getByRole('combobox', { name: 'Delimiter' })).toContainText('Auto (Semicolon (;))');
  await expect(page.getByTestId('wizard-preview').locator('tbody tr').first().locator('td')).toHaveText([
    '2',
    '1.5',
    '2',
  ]);
});
