import { describe, expect, it } from 'vitest';
import {
  applyRecipe,
  MAX_DROPPED_EXAMPLES,
  prepareDataset,
  type DataRecipe,
} from '../../../engine/data/prepare';
import { readTable } from '../../../engine/data/reader';
import { importError, readCsv, readData } from './helpers';

describe('encoding', () => {
  it('one-hot for categorical features, in category order, with names', () => {
    const p = prepareDataset(readCsv('string_labels.csv'), { split: { train: 1 } });
    expect(p.recipe.featureNames).toEqual(['length', 'color=blue', 'color=green', 'color=red']);
    expect(Array.from(p.features.subarray(0, 8))).toEqual([1, 0, 0, 1, 2, 1, 0, 0]);
    expect(p.targets).toBeInstanceOf(Int32Array);
    expect(Array.from(p.targets)).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('an unseen category at prediction time is an error naming line, row and column — or zeros', () => {
    const p = prepareDataset(readCsv('string_labels.csv'), { split: { train: 1 } });
    const fresh = readTable('length,color\n1.5,red\n2.5,purple\n');
    const e = importError(() => applyRecipe(fresh, p.recipe));
    expect(e.problems[0]).toMatchObject({ code: 'unseen-category', line: 3, row: 2, column: 'color' });
    expect(e.problems[0].message).toContain("'purple'");
    const zeros: DataRecipe = { ...p.recipe, unseenCategory: 'zeros' };
    const a = applyRecipe(fresh, zeros);
    expect(Array.from(a.features)).toEqual([1.5, 0, 0, 1, 2.5, 0, 0, 0]);
    expect(a.problems).toContainEqual(
      expect.objectContaining({ severity: 'warning', code: 'unseen-category' }),
    );
    expect(a.targets).toBeNull();
  });

  it('applyRecipe reproduces the training encoding and needs every feature column', () => {
    const t = readData('wine.csv');
    const p = prepareDataset(t, { featureScaling: 'z-score' });
    const again = applyRecipe(t, JSON.parse(JSON.stringify(p.recipe)) as DataRecipe);
    expect(Array.from(again.features)).toEqual(Array.from(p.features));
    expect(Array.from(again.targets ?? [])).toEqual(Array.from(p.targets));
    const e = importError(() => applyRecipe(readTable('alcohol,ash\n1,2\n'), p.recipe));
    expect(e.message).toContain("no column 'malic_acid'");
  });

  it('applyRecipe maps numeric class labels by value (2.00 is class "2")', () => {
    const p = prepareDataset(readCsv('integer_code_spellings.csv'), { split: { train: 1 } });
    const a = applyRecipe(readTable('x,y\n0.5,2.00\n0.6,1\n0.7,3\n'), p.recipe);
    expect(Array.from(a.targets ?? [])).toEqual([1, 0, -1]);
  });

  it('the recipe is plain JSON', () => {
    const p = prepareDataset(readData('iris.csv'), { featureScaling: 'zca' });
    const j = JSON.parse(JSON.stringify(p.recipe));
    expect(j).toEqual(p.recipe);
  });
});

describe('missing values per column', () => {
  const t = () => readCsv('missing_values.csv');

  it('drop-row (default) drops rows and reports the counts', () => {
    // Ignoring y, the rows with x missing (rows 3 and 4) are dropped; 5 of 7 remain.
    const p = prepareDataset(t(), { split: { train: 1 }, columns: { y: { role: 'ignore' } } });
    expect(p.rows).toBe(5);
    expect(Array.from(p.sourceRows)).toEqual([1, 2, 5, 6, 7]);
    expect(p.report.missing).toEqual({
      x: { count: 2, strategy: 'drop-row' },
      label: { count: 0, strategy: 'drop-row' },
    });
    expect(p.report.rowsDropped).toBe(2);
  });

  it('dropping all but one row is an error that counts the dropped rows', () => {
    // Only row 7 has both x and y: one usable row cannot be trained on.
    const e = importError(() => prepareDataset(t(), { split: { train: 1 } }));
    const p = e.problems.find((q) => q.code === 'too-few-rows');
    expect(p?.severity).toBe('error');
    expect(p?.message).toContain('Only 1 usable row (7 in the file, 6 dropped');
    const dropped = e.problems.find((q) => q.code === 'rows-dropped');
    expect(dropped?.severity).toBe('warning');
    // Rows 1–6 are dropped; the first 5 are named with their lines (row + 1, after the header).
    expect(dropped?.message).toContain(
      '6 of 7 rows (86 %) have missing or invalid values in used columns and are dropped: ' +
        'line 2 (row 1), line 3 (row 2), line 4 (row 3), line 5 (row 4), line 6 (row 5), …',
    );
    // y is missing in rows 1, 2, 5, 6 and x in rows 3, 4 (read off the file above).
    expect(dropped?.message).toContain("Columns responsible: 'y' (4 rows), 'x' (2 rows).");
  });

  it('mean and median imputation use the training rows', () => {
    const p = prepareDataset(t(), {
      missing: 'mean',
      columns: { y: { missing: 'median' } },
      split: { train: 1 },
    });
    expect(p.rows).toBe(7);
    // x present: 1, 2, 5, 6, 7 → mean 21/5; y present: 3, 4, 8 → median 4.
    expect(p.recipe.features[0].imputeValue).toBe(21 / 5);
    expect(p.recipe.features[1].imputeValue).toBe(4);
    expect(p.features[2 * 2]).toBeCloseTo(21 / 5, 6);
    expect(p.features[0 * 2 + 1]).toBe(4);
  });

  it('most-frequent for categorical features', () => {
    const tt = readTable('c,y\nred,1\n,2\nblue,3\nred,4\nNA,5\n');
    const p = prepareDataset(tt, { missing: 'most-frequent', split: { train: 1 }, task: 'regression' });
    expect(p.recipe.features[0].imputeCategory).toBe('red');
    expect(Array.from(p.features)).toEqual([0, 1, 0, 1, 1, 0, 0, 1, 0, 1]);
  });

  it('error strategy reports each missing cell with line, row and column', () => {
    const e = importError(() => prepareDataset(t(), { columns: { x: { missing: 'error' } } }));
    const cells = e.problems.filter((p) => p.code === 'missing-value');
    expect(cells.map((p) => [p.line, p.row, p.column])).toEqual([
      [4, 3, 'x'],
      [5, 4, 'x'],
    ]);
  });

  it('mean on a categorical column and imputing a target are refused', () => {
    expect(
      importError(() =>
        prepareDataset(readCsv('string_labels.csv'), { columns: { color: { missing: 'mean' } } }),
      ).message,
    ).toContain('most-frequent');
    expect(
      importError(() => prepareDataset(t(), { columns: { label: { missing: 'mean' } } })).message,
    ).toContain('cannot be imputed');
  });

  it('a target column with no values is named, instead of "no rows left"', () => {
    const e = importError(() => prepareDataset(readTable('x,y\n1,\n2,NA\n3,?\n')));
    expect(e.message).toBe(
      "Target column 'y' has no usable values (all 3 cells are missing or invalid). Choose another target column, or fill in the targets.",
    );
  });
});

describe('roles and options', () => {
  it('ignore removes a column; unknown column names are errors', () => {
    const p = prepareDataset(readData('iris.csv'), { columns: { sepal_width_cm: { role: 'ignore' } } });
    expect(p.recipe.featureNames).toEqual(['sepal_length_cm', 'petal_length_cm', 'petal_width_cm']);
    expect(p.recipe.ignored).toEqual(['sepal_width_cm']);
    expect(
      importError(() => prepareDataset(readData('iris.csv'), { columns: { nope: { role: 'ignore' } } }))
        .message,
    ).toContain("'nope'");
  });

  it('a single detected column (unsupported separator) is refused with a hint', () => {
    const e = importError(() => prepareDataset(readCsv('space_separated.csv')));
    expect(e.message).toContain("Only one column ('a b c') was found with the comma delimiter");
  });

  it('several classification targets are refused with a clear message', () => {
    const e = importError(() =>
      prepareDataset(readCsv('string_labels.csv'), { targets: ['color', 'species'] }),
    );
    expect(e.message).toContain('regression only');
  });

  it('a text column with a distinct value in every one of ≥ 50 rows is ignored as an identifier', () => {
    const rows = 'id,x,y\n' + Array.from({ length: 60 }, (_, i) => `S${i},${i},${i % 2}`).join('\n') + '\n';
    const p = prepareDataset(readTable(rows));
    expect(p.report.roles.id).toBe('ignore');
    expect(p.report.problems).toContainEqual(
      expect.objectContaining({ code: 'identifier-column', column: 'id' }),
    );
  });

  it("R's write.csv output: quoted header, unnamed row-number column ignored with a warning", () => {
    const t = readCsv('r_write_csv.csv');
    expect(t.columns.map((c) => c.name)).toEqual(['column_1', 'height', 'weight', 'sex']);
    const p = prepareDataset(t, { split: { train: 1 } });
    expect(p.report.roles.column_1).toBe('ignore');
    expect(p.report.problems).toContainEqual(
      expect.objectContaining({ code: 'row-index-column', column: 'column_1' }),
    );
    expect(p.recipe.featureNames).toEqual(['height', 'weight']);
    expect(p.recipe.classes).toEqual(['f', 'm']);
  });

  it('per-column scaling overrides the global choice', () => {
    const p = prepareDataset(readData('iris.csv'), {
      featureScaling: 'z-score',
      columns: { sepal_length_cm: { scaling: 'none' } },
    });
    expect(p.recipe.features[0].scaler?.kind).toBe('none');
    expect(p.recipe.features[1].scaler?.kind).toBe('z-score');
  });
});

describe('applyRecipe: rows left out for missing values', () => {
  const fit = () =>
    prepareDataset(readTable('a,b,y\n1,2,0\n2,3,1\n3,4,0\n4,5,1\n5,6,0\n6,7,1\n'), { split: { train: 1 } });

  it('counts every dropped row and names the first ones by data row, file line and column', () => {
    const p = fit();
    // Lines: 1 header; 2 ok; 3 missing b; 4 missing a (and b: a is named, recipe order); 5 ok; 6 missing a.
    const fresh = readTable('a,b\n1,2\n2,\n,\n4,5\n,9\n');
    const a = applyRecipe(fresh, p.recipe);
    expect(a.rows).toBe(2);
    expect(Array.from(a.sourceRows)).toEqual([1, 4]);
    expect(a.dropped).toEqual({
      count: 3,
      first: [
        { row: 2, line: 3, column: 'b', reason: 'missing' },
        { row: 3, line: 4, column: 'a', reason: 'missing' },
        { row: 5, line: 6, column: 'a', reason: 'missing' },
      ],
    });
  });

  it('lists at most MAX_DROPPED_EXAMPLES rows but counts all of them', () => {
    const p = fit();
    const n = MAX_DROPPED_EXAMPLES + 3;
    const fresh = readTable(`a,b\n1,2\n${'7,\n'.repeat(n)}`);
    const a = applyRecipe(fresh, p.recipe);
    expect(a.dropped.count).toBe(n);
    expect(a.dropped.first.map((d) => d.line)).toEqual(
      Array.from({ length: MAX_DROPPED_EXAMPLES }, (_, k) => k + 3),
    );
    expect(applyRecipe(readTable('a,b\n1,2\n'), p.recipe).dropped).toEqual({ count: 0, first: [] });
  });
});
