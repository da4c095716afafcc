import { describe, expect, it } from 'vitest';
import { readTable } from '../../../engine/data/reader';
import { prepareForTraining } from '../../../engine/session/dataset';
import {
  crossValidate,
  foldData,
  planFolds,
  projectImportSettings,
  withPrepare,
} from '../../../engine/experiments';
import { exampleCsv, loadExample } from './helpers';

const iris = loadExample('iris');
const irisCsv = exampleCsv('iris');

describe('cross-validation folds', () => {
  it('deal every used row into exactly one fold, stratified, sizes within one', () => {
    const settings = projectImportSettings(iris);
    const plan = planFolds(irisCsv, settings, 5, 1);
    expect(plan.foldOfRow.length).toBe(150);
    const sizes = [0, 0, 0, 0, 0];
    // Class of each row read straight from the file's last column.
    const table = readTable(irisCsv);
    const species = table.columns.at(-1)!;
    const perClass = new Map<string, number[]>();
    plan.foldOfRow.forEach((f, i) => {
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(5);
      sizes[f]++;
      const c = species.labels[species.codes![i]];
      const a = perClass.get(c) ?? [0, 0, 0, 0, 0];
      a[f]++;
      perClass.set(c, a);
    });
    expect(sizes).toEqual([30, 30, 30, 30, 30]);
    // 50 rows per class over 5 folds: exactly 10 of each class in each fold.
    for (const a of perClass.values()) expect(a).toEqual([10, 10, 10, 10, 10]);
    expect(planFolds(irisCsv, settings, 5, 1).foldOfRow).toEqual(plan.foldOfRow);
    expect(planFolds(irisCsv, settings, 5, 2).foldOfRow).not.toEqual(plan.foldOfRow);
  });

  it('each fold file validates on its fold only, and across folds every row validates once', () => {
    const settings = projectImportSettings(iris);
    const plan = planFolds(irisCsv, settings, 4, 3);
    const validatedTimes = new Int32Array(150);
    const original = readTable(irisCsv);
    for (let f = 0; f < 4; f++) {
      const fd = foldData(irisCsv, settings, plan, f);
      const d = prepareForTraining(fd.bytes, fd.settings);
      expect(d.testRows.length).toBe(0);
      for (const r of d.validationRows) {
        const row = d.sourceRows[r] - 1;
        expect(plan.foldOfRow[row]).toBe(f);
        validatedTimes[row]++;
      }
      for (const r of d.trainRows) expect(plan.foldOfRow[d.sourceRows[r] - 1]).not.toBe(f);
      // The written file holds the same cells as the original (plus the split column).
      const t = readTable(fd.bytes, fd.settings.read);
      expect(t.columns.length).toBe(original.columns.length + 1);
      original.columns.forEach((c, j) => {
        expect(t.columns[j].name).toBe(c.name);
        for (let i = 0; i < 150; i += 7) {
          if (c.codes) expect(t.columns[j].labels[t.columns[j].codes![i]]).toBe(c.labels[c.codes[i]]);
          else expect(t.columns[j].values[i]).toBe(c.values[i]);
        }
      });
    }
    expect([...validatedTimes].every((v) => v === 1)).toBe(true);
  });

  it("keeps the project's test rows as test rows in every fold", () => {
    const p = withPrepare(iris, { split: { train: 0.6, validation: 0.2, test: 0.2 } });
    const settings = projectImportSettings(p);
    const plan = planFolds(irisCsv, settings, 3, 1);
    const original = prepareForTraining(irisCsv, settings);
    const testRows = new Set([...original.testRows].map((r) => original.sourceRows[r] - 1));
    expect(testRows.size).toBe(30);
    plan.foldOfRow.forEach((f, i) => expect(f === -1).toBe(testRows.has(i)));
    const fd = foldData(irisCsv, settings, plan, 0);
    const d = prepareForTraining(fd.bytes, fd.settings);
    expect(new Set([...d.testRows].map((r) => d.sourceRows[r] - 1))).toEqual(testRows);
    expect(d.trainRows.length + d.validationRows.length).toBe(120);
  });

  it('rejects fewer rows than folds with a clear message', () => {
    expect(() => planFolds(irisCsv, projectImportSettings(iris), 1, 1)).toThrow(
      /folds must be an integer ≥ 2/,
    );
  });
});

describe('crossValidate', () => {
  it('trains once per fold; mean and sd match an independent computation; deterministic', async () => {
    const run = () => crossValidate({ project: iris, data: irisCsv, k: 3, epochs: 2, foldSeed: 5 });
    const a = await run();
    expect(a.folds.map((f) => f.fold)).toEqual([0, 1, 2]);
    expect(a.folds.map((f) => f.validationRows)).toEqual([50, 50, 50]);
    expect(a.folds.every((f) => f.problem === null && f.trainRows === 100)).toBe(true);
    expect(a.metrics).toContain('validation.accuracy');
    expect(a.metrics).toContain('train.loss');
    for (const m of a.metrics) {
      const v = a.folds.map((f) => f.metrics[m]);
      const mean = (v[0] + v[1] + v[2]) / 3;
      const sd = Math.sqrt(((v[0] - mean) ** 2 + (v[1] - mean) ** 2 + (v[2] - mean) ** 2) / 2);
      expect(a.summary[m].mean).toBeCloseTo(mean, 12);
      expect(a.summary[m].sd).toBeCloseTo(sd, 12);
    }
    // Folds differ in their data, so their losses differ.
    expect(new Set(a.folds.map((f) => f.metrics['validation.loss'])).size).toBe(3);
    const b = await run();
    expect(b.folds.map((f) => f.metrics)).toEqual(a.folds.map((f) => f.metrics));
  });
});

describe('fold files keep the dialect and the values', () => {
  it('a semicolon CSV with decimal commas and a missing cell reads back to the same features', () => {
    const lines = ['x;z;y'];
    for (let i = 0; i < 24; i++)
      lines.push(
        `${(i / 4).toFixed(2).replace('.', ',')};${i === 5 ? 'NA' : String(i % 3)};${(i * 1.5).toFixed(1).replace('.', ',')}`,
      );
    const bytes = new TextEncoder().encode(lines.join('\n') + '\n');
    const settings = { prepare: { targets: ['y'], missing: 'mean' as const } };
    const original = prepareForTraining(bytes, settings);
    expect(original.recipe.task).toBe('regression');
    const plan = planFolds(bytes, settings, 4, 9);
    // Regression: unstratified, sizes within one.
    expect([0, 1, 2, 3].map((f) => plan.foldOfRow.filter((v) => v === f).length).sort()).toEqual([
      6, 6, 6, 6,
    ]);
    const fd = foldData(bytes, settings, plan, 2);
    expect(fd.settings.read).toMatchObject({ delimiter: ';', decimal: ',' });
    const d = prepareForTraining(fd.bytes, fd.settings);
    expect(d.rows).toBe(24);
    // Unscaled features: x as written; z imputed with the training-fold mean (so only row 6 may differ).
    for (let u = 0; u < 24; u++) {
      const row = d.sourceRows[u] - 1;
      expect(d.features[u * 2]).toBeCloseTo(row / 4, 5);
      if (row !== 5) expect(d.features[u * 2 + 1]).toBe(row % 3);
      expect((d.targets as Float32Array)[u]).toBeCloseTo(row * 1.5, 4);
    }
  });
});
