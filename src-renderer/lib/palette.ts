/**
 * Palette catalogue and search (framework-free).
 *
 * Role: the list of node kinds shown in the left-hand palette, grouped as in the lecture
 * (data, layers, activations, initializers, losses, optimizers, schedules), and the search
 * that narrows it. Invariants: groups always come out in PALETTE_GROUPS order; item order
 * inside a group is the catalogue order; search never mutates the catalogue.
 *
 * NOTE: this is a static placeholder catalogue. A later issue generates it from the engine's
 * node registry; the shape of PaletteItem is what the renderer needs from that registry.
 */

export type PaletteGroupId =
  'data' | 'layers' | 'activations' | 'initializers' | 'losses' | 'optimizers' | 'schedules';

export interface PaletteGroup {
  readonly id: PaletteGroupId;
  readonly label: string;
}

export interface PaletteItem {
  /** Stable node type name as it will appear in saved projects, e.g. 'Dense'. */
  readonly type: string;
  /** Human label shown in the palette. */
  readonly label: string;
  readonly group: PaletteGroupId;
  /** One-line description; also searched. */
  readonly description: string;
  /** Extra search words (synonyms, abbreviations). */
  readonly keywords?: readonly string[];
}

export interface PaletteSection {
  readonly group: PaletteGroup;
  readonly items: readonly PaletteItem[];
}

export const PALETTE_GROUPS: readonly PaletteGroup[] = [
  { id: 'data', label: 'Data' },
  { id: 'layers', label: 'Layers' },
  { id: 'activations', label: 'Activations' },
  { id: 'initializers', label: 'Initializers' },
  { id: 'losses', label: 'Losses' },
  { id: 'optimizers', label: 'Optimizers' },
  { id: 'schedules', label: 'Schedules' },
];

const item = (
  group: PaletteGroupId,
  type: string,
  label: string,
  description: string,
  keywords: readonly string[] = [],
): PaletteItem => ({ group, type, label, description, keywords });

/** Placeholder catalogue; names follow the course lecture and PyTorch/Keras usage. */
export const PLACEHOLDER_PALETTE: readonly PaletteItem[] = [
  item('data', 'CsvInput', 'CSV input', 'Feature columns of a CSV file', ['dataset', 'table', 'features']),
  item('data', 'Target', 'Target', 'Label or value column to predict', ['label', 'y']),
  item('data', 'MinMaxScaler', 'Min-max scaling', 'Rescale each feature to [0, 1]', ['normalize']),
  item('data', 'StandardScaler', 'Z-score scaling', 'Zero mean, unit variance per feature', ['standardize']),
  item('data', 'OneHot', 'One-hot encoding', 'Categories to indicator columns', ['categorical']),
  item('layers', 'Dense', 'Dense', 'Fully connected layer: y = xW + b', ['linear', 'fully connected', 'fc']),
  item('layers', 'RBF', 'RBF layer', 'Radial basis function units', ['radial', 'gaussian']),
  item('layers', 'Dropout', 'Dropout', 'Randomly zero units while training', ['regularization']),
  item('activations', 'Identity', 'Identity', 'ρ(x) = x', ['linear']),
  item('activations', 'BinaryStep', 'Binary step', '0 if x < 0, else 1', ['heaviside']),
  item('activations', 'Sigmoid', 'Sigmoid', '1 / (1 + e^−x)', ['logistic']),
  item('activations', 'Tanh', 'Tanh', 'Hyperbolic tangent', ['hyperbolic']),
  item('activations', 'ReLU', 'ReLU', 'max(0, x)', ['rectified']),
  item('activations', 'LeakyReLU', 'Leaky ReLU', '0.01x for x ≤ 0, else x', ['rectified']),
  item('activations', 'PReLU', 'PReLU', 'αx for x ≤ 0, learned α', ['parametric', 'rectified']),
  item('activations', 'ELU', 'ELU', 'α(e^x − 1) for x ≤ 0', ['exponential']),
  item('activations', 'SELU', 'SELU', 'Scaled ELU', ['exponential', 'self-normalizing']),
  item('activations', 'GELU', 'GELU', 'x·Φ(x)', ['gaussian error']),
  item('activations', 'SiLU', 'SiLU', 'x / (1 + e^−x)', ['swish']),
  item('activations', 'Softplus', 'Softplus', 'ln(1 + e^x)', []),
  item('activations', 'Softmax', 'Softmax', 'Class probabilities (output)', ['output', 'multiclass']),
  item('initializers', 'LeCun', 'LeCun', 'Variance 1/fan_in', ['init']),
  item('initializers', 'Glorot', 'Glorot (Xavier)', 'Variance 2/(fan_in + fan_out)', ['xavier', 'init']),
  item('initializers', 'He', 'He (Kaiming)', 'Variance 2/fan_in, for ReLU', ['kaiming', 'init']),
  item('losses', 'MSE', 'MSE (ℓ2)', 'Mean squared error, regression', ['l2', 'squared']),
  item('losses', 'BCE', 'Binary cross-entropy', 'Two classes, sigmoid output', ['logistic', 'binary']),
  item('losses', 'CrossEntropy', 'Cross-entropy', 'Many classes, softmax output', ['ce', 'categorical']),
  item('optimizers', 'SGD', 'SGD', 'Mini-batch gradient descent', ['gradient descent']),
  item('optimizers', 'Momentum', 'SGD + momentum', 'Velocity accumulates gradients', []),
  item('optimizers', 'Nesterov', 'Nesterov', 'Momentum with look-ahead gradient', ['nag']),
  item('optimizers', 'Adagrad', 'Adagrad', 'Per-parameter rates from summed g²', ['adaptive']),
  item('optimizers', 'RMSProp', 'RMSProp', 'Moving average of g²', ['adaptive']),
  item('optimizers', 'Adam', 'Adam', 'Adaptive moments with bias correction', ['adaptive']),
  item('schedules', 'Constant', 'Constant', 'Fixed learning rate', []),
  item('schedules', 'LinearDecay', 'Linear decay', 'From α₀ down to α_f', []),
  item('schedules', 'StepDecay', 'Step decay', 'Halve on a fixed schedule', ['halve']),
  item('schedules', 'ReduceOnPlateau', 'Reduce on plateau', 'Halve when validation stalls', ['plateau']),
  item('schedules', 'OneCycle', '1-cycle', 'Warm up, then anneal', ['one cycle']),
  item('schedules', 'WarmRestarts', 'Warm restarts', 'SGDR cosine with restarts', ['sgdr', 'cosine']),
];

/** Lower-case, strip accents and collapse whitespace so 'Glorot  (Xavier)' ≈ 'glorot (xavier)'. */
export function normalizeSearchText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** True when every whitespace-separated term of `query` occurs in the item's label, type,
 * group, description or keywords. An empty query matches everything. */
export function matchesQuery(entry: PaletteItem, query: string): boolean {
  const terms = normalizeSearchText(query).split(' ').filter(Boolean);
  if (terms.length === 0) return true;
  const group = PALETTE_GROUPS.find((g) => g.id === entry.group)?.label ?? entry.group;
  const haystack = normalizeSearchText(
    [entry.label, entry.type, group, entry.description, ...(entry.keywords ?? [])].join(' '),
  );
  return terms.every((t) => haystack.includes(t));
}

/**
 * Group `items` into sections in PALETTE_GROUPS order, keeping only those matching `query`.
 * Sections left empty by the search are dropped unless `keepEmpty` is set.
 */
export function filterPalette(
  items: readonly PaletteItem[],
  query: string,
  keepEmpty = false,
): PaletteSection[] {
  const sections: PaletteSection[] = [];
  for (const group of PALETTE_GROUPS) {
    const matched = items.filter((it) => it.group === group.id && matchesQuery(it, query));
    if (matched.length > 0 || keepEmpty) sections.push({ group, items: matched });
  }
  return sections;
}

/** Look up a palette item by node type; undefined when unknown. */
export function findPaletteItem(items: readonly PaletteItem[], type: string): PaletteItem | undefined {
  return items.find((it) => it.type === type);
}
