/**
 * Examples gallery entries for the welcome screen (placeholder data).
 *
 * The datasets are the classic ones shipped with scikit-learn; the numbers are their real
 * sizes. Opening an example arrives with the project format (a later issue), so entries are
 * shown as "coming soon" for now.
 */

export type Task = 'binary' | 'multiclass' | 'regression';

export interface ExampleEntry {
  readonly id: string;
  readonly title: string;
  readonly dataset: string;
  readonly task: Task;
  readonly rows: number;
  readonly features: number;
  readonly blurb: string;
}

export const EXAMPLES: readonly ExampleEntry[] = [
  {
    id: 'iris',
    title: 'Iris species',
    dataset: 'iris.csv',
    task: 'multiclass',
    rows: 150,
    features: 4,
    blurb: 'Three flower species from petal and sepal sizes — the first network to build.',
  },
  {
    id: 'breast-cancer',
    title: 'Breast cancer',
    dataset: 'breast_cancer.csv',
    task: 'binary',
    rows: 569,
    features: 30,
    blurb: 'Malignant or benign from cell-nucleus measurements; sigmoid + BCE.',
  },
  {
    id: 'diabetes',
    title: 'Diabetes progression',
    dataset: 'diabetes.csv',
    task: 'regression',
    rows: 442,
    features: 10,
    blurb: 'Disease progression after one year; identity output + MSE.',
  },
  {
    id: 'wine',
    title: 'Wine cultivars',
    dataset: 'wine.csv',
    task: 'multiclass',
    rows: 178,
    features: 13,
    blurb: 'Chemical analysis of three cultivars; shows why scaling matters.',
  },
  {
    id: 'digits',
    title: 'Handwritten digits',
    dataset: 'digits.csv',
    task: 'multiclass',
    rows: 1797,
    features: 64,
    blurb: '8×8 images of digits 0–9; softmax + cross-entropy.',
  },
];

export const TASK_LABELS: Record<Task, string> = {
  binary: 'Binary classification',
  multiclass: 'Multi-class classification',
  regression: 'Regression',
};
