/**
 * Loss registry for the editor palette: name → label, LaTeX formula, one-line explanation, parameters,
 * which prediction it expects (probabilities, logits or values) and which task it suits.
 */

export type LossName =
  'mse' | 'mae' | 'huber' | 'bce' | 'bce_logits' | 'cross_entropy' | 'cross_entropy_logits';

export interface LossInfo {
  name: LossName;
  label: string;
  formula: string;
  explain: string;
  /** What the prediction input must be. */
  input: 'values' | 'probabilities' | 'logits';
  task: 'regression' | 'binary' | 'multiclass';
  /** `min` is inclusive unless `minExclusive` (Huber's δ must be > 0). */
  params: {
    name: string;
    label: string;
    default: number | null;
    min?: number;
    minExclusive?: boolean;
    description: string;
  }[];
}

const CW = {
  name: 'classWeights',
  label: 'Class weights',
  default: null,
  description: 'optional weight per class (JSON list); null = all 1',
};

export const LOSSES: readonly LossInfo[] = [
  {
    name: 'mse',
    label: 'MSE',
    formula: '\\frac{1}{n}\\sum_i (\\hat y_i - y_i)^2',
    explain: 'Mean squared error (ℓ2): the regression loss of the lecture.',
    input: 'values',
    task: 'regression',
    params: [],
  },
  {
    name: 'mae',
    label: 'MAE',
    formula: '\\frac{1}{n}\\sum_i |\\hat y_i - y_i|',
    explain: 'Mean absolute error (ℓ1): less sensitive to outliers than MSE.',
    input: 'values',
    task: 'regression',
    params: [],
  },
  {
    name: 'huber',
    label: 'Huber',
    formula:
      '\\frac{1}{n}\\sum_i \\begin{cases} \\tfrac12 r_i^2 & |r_i| \\le \\delta \\\\ \\delta(|r_i| - \\tfrac12\\delta) & \\text{else} \\end{cases}',
    explain: 'Quadratic near zero, linear for large errors (robust regression).',
    input: 'values',
    task: 'regression',
    params: [
      {
        name: 'delta',
        label: 'δ',
        default: 1,
        min: 0,
        minExclusive: true,
        description: 'error size where the loss turns linear (> 0)',
      },
    ],
  },
  {
    name: 'bce',
    label: 'BCE',
    formula: '-\\frac{1}{n}\\sum_i y_i \\ln p_i + (1 - y_i)\\ln(1 - p_i)',
    explain: 'Binary cross-entropy on probabilities (after a sigmoid); p is clamped to [1e-7, 1 − 1e-7].',
    input: 'probabilities',
    task: 'binary',
    params: [CW],
  },
  {
    name: 'bce_logits',
    label: 'BCE (from logits)',
    formula: '\\frac{1}{n}\\sum_i \\max(z_i, 0) - z_i y_i + \\ln(1 + e^{-|z_i|})',
    explain: 'Binary cross-entropy on raw scores, with the sigmoid built in (numerically stable).',
    input: 'logits',
    task: 'binary',
    params: [CW],
  },
  {
    name: 'cross_entropy',
    label: 'Cross-entropy',
    formula: '-\\frac{1}{n}\\sum_i \\ln p_{i, y_i}',
    explain:
      'Categorical cross-entropy on probabilities (after a softmax; a softmax feeding it directly is fused into the stable log-softmax form).',
    input: 'probabilities',
    task: 'multiclass',
    params: [CW],
  },
  {
    name: 'cross_entropy_logits',
    label: 'Cross-entropy (from logits)',
    formula: '-\\frac{1}{n}\\sum_i \\Big(z_{i,y_i} - \\ln \\sum_c e^{z_{i,c}}\\Big)',
    explain: 'Softmax and cross-entropy in one stable step, on raw scores.',
    input: 'logits',
    task: 'multiclass',
    params: [CW],
  },
];

/** Penalties that can be added to any loss (set on the loss node). */
export const PENALTIES = [
  {
    name: 'l1',
    label: 'L1 penalty',
    formula: '\\lambda \\sum |w|',
    default: 0,
    description: 'pushes weights to exactly 0 (sparse)',
  },
  {
    name: 'l2',
    label: 'L2 penalty',
    formula: '\\lambda \\sum w^2',
    default: 0,
    description: 'shrinks weights (weight decay with rate 2λ)',
  },
] as const;

/** Registry lookup. @throws RangeError naming the valid choices. */
export function lossInfo(name: string): LossInfo {
  const l = LOSSES.find((x) => x.name === name);
  if (!l)
    throw new RangeError(`unknown loss '${name}'; choose one of ${LOSSES.map((x) => x.name).join(', ')}`);
  return l;
}
