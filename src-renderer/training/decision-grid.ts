/**
 * Decision-boundary map of a classifier (framework-free; runs in ./predict-worker): two chosen input
 * features span a grid over their ranges in ORIGINAL units, every other feature is held at its
 * training-split mean (numeric, original units) or most frequent training category (categorical);
 * the grid rows are written as a CSV table and pass through the project's saved preprocessing with
 * engine/data applyRecipe — exactly the path a prediction takes — then through the trained model.
 *
 * Invariants: the training/validation split is the run's (the recipe's split seed); grid cells are
 * row-major with y outer (cell (i, j) = index j·n + i, x_i = the centre of column i); points are the
 * validation rows (the training rows when there is no validation split), at most MAX_POINTS.
 */
import type { ExportModel } from '../../engine/export';
import { applyRecipe, inverseFeatures, writeCsv, type DataRecipe } from '../../engine/data';
import { readTable } from '../../engine/data/reader';
import { prepareForTraining, type ImportSettings } from '../../engine/session/dataset';
import { boundedRows } from '../../engine/session/predictions';
import { classProbabilities, modelOutputs, PredictError } from './predict-core';

/** Points drawn over the map (evenly strided through the split when there are more). */
export const MAX_POINTS = 1500;

/** What the map needs from the training data, in original units. */
export interface TrainingView {
  /** Numeric features (the ones a map axis can show), in recipe order. */
  numeric: string[];
  /** Training-split mean of each numeric feature. */
  means: Record<string, number>;
  /** Most frequent training category of each categorical feature. */
  modes: Record<string, string>;
  /** Range of each numeric feature over all used rows. */
  ranges: Record<string, { min: number; max: number }>;
  /** The overlaid points: their split, values per numeric feature, true class index. */
  points: { split: 'validation' | 'train'; values: Record<string, number[]>; classes: number[] };
}

/**
 * The training view of a CSV prepared with the project's import settings and the recipe's split seed.
 * @throws DataImportError (engine/data) when the file no longer reads as at training time.
 */
export function trainingView(recipe: DataRecipe, bytes: Uint8Array, settings: ImportSettings): TrainingView {
  const data = prepareForTraining(bytes, settings, recipe.seed);
  const r = data.recipe;
  const W = data.featureWidth;
  const orig = inverseFeatures(r, data.features);
  const split = data.validationRows.length > 0 ? 'validation' : 'train';
  const shown = boundedRows(split === 'validation' ? data.validationRows : data.trainRows, MAX_POINTS);
  const view: TrainingView = {
    numeric: [],
    means: {},
    modes: {},
    ranges: {},
    points: { split, values: {}, classes: shown.map((i) => (data.targets as Int32Array)[i]) },
  };
  for (const f of r.features) {
    const off = f.offset as number;
    if (f.type === 'numeric') {
      view.numeric.push(f.name);
      let s = 0;
      for (const i of data.trainRows) s += orig[i * W + off];
      view.means[f.name] = s / data.trainRows.length;
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < data.rows; i++) {
        min = Math.min(min, orig[i * W + off]);
        max = Math.max(max, orig[i * W + off]);
      }
      view.ranges[f.name] = { min, max };
      view.points.values[f.name] = shown.map((i) => orig[i * W + off]);
    } else {
      const cats = f.categories ?? [];
      const counts = new Array<number>(cats.length).fill(0);
      for (const i of data.trainRows)
        for (let k = 0; k < cats.length; k++) counts[k] += orig[i * W + off + k];
      view.modes[f.name] = cats[counts.indexOf(Math.max(...counts))] ?? '';
    }
  }
  return view;
}

/** One grid axis: a numeric feature and the range it spans (original units). */
export interface GridAxis {
  name: string;
  min: number;
  max: number;
}

/** Centres of n equal cells over [min, max]. */
export function cellCentres(a: GridAxis, n: number): number[] {
  const w = (a.max - a.min) / n;
  return Array.from({ length: n }, (_, i) => a.min + (i + 0.5) * w);
}

/** A feature's range padded by 5 % on each side (a constant feature: ± 1). */
export function paddedRange(r: { min: number; max: number }): { min: number; max: number } {
  const span = r.max - r.min;
  const pad = span > 0 ? span * 0.05 : 1;
  return { min: r.min - pad, max: r.max + pad };
}

/**
 * The grid as a CSV table in original units (header: the recipe's feature names): n × n rows, y outer;
 * the two axis features take the cell centres, every other feature its training mean or mode.
 * @throws PredictError when an axis is not a numeric feature of the recipe or both axes are the same.
 */
export function gridCsv(recipe: DataRecipe, view: TrainingView, x: GridAxis, y: GridAxis, n: number): string {
  for (const a of [x, y])
    if (!view.numeric.includes(a.name))
      throw new PredictError(
        `'${a.name}' is not a numeric input feature of the model; choose one of ${view.numeric.join(', ')}.`,
      );
  if (x.name === y.name) throw new PredictError('Choose two different features for the map axes.');
  const xs = cellCentres(x, n).map(String);
  const ys = cellCentres(y, n).map(String);
  const fixed = recipe.features.map((f) =>
    f.type === 'numeric' ? String(view.means[f.name]) : (view.modes[f.name] ?? ''),
  );
  const ix = recipe.features.findIndex((f) => f.name === x.name);
  const iy = recipe.features.findIndex((f) => f.name === y.name);
  const rows: string[][] = [recipe.features.map((f) => f.name)];
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      const row = [...fixed];
      row[ix] = xs[i];
      row[iy] = ys[j];
      rows.push(row);
    }
  return writeCsv(rows);
}

export interface DecisionMap {
  n: number;
  x: GridAxis;
  y: GridAxis;
  classes: string[];
  /** Predicted class index per cell (index j·n + i). */
  predicted: Int32Array;
  /** Probability of the predicted class per cell. */
  confidence: Float32Array;
  /** Values the other features were held at (original units / category), for the caption. */
  heldAt: Record<string, string>;
  points: { split: 'validation' | 'train'; x: number[]; y: number[]; classes: number[] };
}

/**
 * The decision map of a classifier over two features (default grid 100 × 100).
 * @throws PredictError for a regression model, fewer than two numeric features, or bad axes.
 */
export function decisionMap(
  model: ExportModel,
  view: TrainingView,
  xName: string,
  yName: string,
  n = 100,
): DecisionMap {
  const recipe = model.recipe;
  if (recipe.task === 'regression')
    throw new PredictError(
      'The decision map is for classification; this model predicts numbers (regression).',
    );
  if (view.numeric.length < 2)
    throw new PredictError('The decision map needs two numeric input features; this data has fewer.');
  const x = { name: xName, ...paddedRange(view.ranges[xName] ?? { min: 0, max: 1 }) };
  const y = { name: yName, ...paddedRange(view.ranges[yName] ?? { min: 0, max: 1 }) };
  const csv = gridCsv(recipe, view, x, y, n);
  const table = readTable(csv, {
    delimiter: ',',
    decimal: '.',
    header: true,
    encoding: 'utf-8',
    missingTokens: recipe.missingTokens,
  });
  const applied = applyRecipe(table, recipe);
  if (applied.rows !== n * n)
    throw new PredictError(
      `The preprocessing dropped ${n * n - applied.rows} of the map's grid points; check the missing-value settings.`,
    );
  const K = recipe.classes.length;
  const { predicted, probs } = classProbabilities(
    modelOutputs(model, applied.features, applied.rows),
    model.compiled.outputWidth,
    K,
  );
  const confidence = Float32Array.from(predicted, (k, c) => probs[c * K + k]);
  const heldAt: Record<string, string> = {};
  for (const f of recipe.features)
    if (f.name !== xName && f.name !== yName)
      heldAt[f.name] =
        f.type === 'numeric' ? String(Number(view.means[f.name].toPrecision(4))) : view.modes[f.name];
  return {
    n,
    x,
    y,
    classes: [...recipe.classes],
    predicted,
    confidence,
    heldAt,
    points: {
      split: view.points.split,
      x: view.points.values[xName] ?? [],
      y: view.points.values[yName] ?? [],
      classes: view.points.classes,
    },
  };
}
