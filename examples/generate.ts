/**
 * Regenerates the shipped examples: `npx tsx examples/generate.ts`.
 * Each example is `<name>.netloom.json` + `<name>.csv` in this folder. Real datasets are copied from
 * test/fixtures/data (iris and breast cancer with their class names as labels); XOR, the lecture's
 * linear regression and the RBF sine are generated deterministically from a fixed seed.
 * Deterministic: running it twice gives the same bytes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fingerprintDataset, serializeProject, type Project } from '../engine/project';
import { Rng } from '../engine/random/rng';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '../test/fixtures/data');

type P = Record<string, unknown>;
interface NodeSpec {
  id: string;
  type: string;
  params?: P;
  label?: string;
}

/** A chain graph: Dataset → layers… → loss ← optimizer (← schedule), plus extra wires. */
function chainGraph(
  layers: NodeSpec[],
  loss: NodeSpec,
  opt: NodeSpec,
  extra: { nodes?: NodeSpec[]; edges?: [string, string, string, string][] } = {},
) {
  const nodes: NodeSpec[] = [
    { id: 'data', type: 'Dataset', params: { file: '', settings: null } },
    ...layers,
    loss,
    opt,
    ...(extra.nodes ?? []),
  ];
  const edges: [string, string, string, string][] = [];
  let prev: [string, string] = ['data', 'features'];
  for (const l of layers) {
    edges.push([prev[0], prev[1], l.id, 'in']);
    prev = [l.id, 'out'];
  }
  edges.push([prev[0], prev[1], loss.id, 'prediction']);
  edges.push(['data', 'targets', loss.id, 'target']);
  edges.push([opt.id, 'optimizer', loss.id, 'optimizer']);
  edges.push(...(extra.edges ?? []));
  return {
    nodes: nodes.map((n, i) => ({
      id: n.id,
      type: n.type,
      version: 1,
      position: {
        x: 40 + 220 * i,
        y:
          n.type.startsWith('Optimizer') || n.type.startsWith('Initializer') || n.type.startsWith('Schedule')
            ? 260
            : 80,
      },
      ...(n.label ? { label: n.label } : {}),
      params: (n.params ?? {}) as never,
    })),
    edges: edges.map(([s, sp, t, tp], i) => ({
      id: `e${i + 1}`,
      source: s,
      sourcePort: sp,
      target: t,
      targetPort: tp,
    })),
  };
}

interface Example {
  name: string;
  title: string;
  csv: string;
  settings: P;
  graph: ReturnType<typeof chainGraph>;
  training: Project['training'];
}

async function write(ex: Example): Promise<void> {
  const bytes = new TextEncoder().encode(ex.csv);
  writeFileSync(join(here, `${ex.name}.csv`), bytes);
  const fp = await fingerprintDataset(bytes);
  const graph = ex.graph;
  (graph.nodes[0].params as P).file = `${ex.name}.csv`;
  const project: Project = {
    format: 'netloom-project',
    formatVersion: 1,
    app: { name: 'Netloom', version: '0.1.0' },
    name: ex.title,
    graph: graph as Project['graph'],
    dataset: {
      path: `${ex.name}.csv`,
      sha256: fp.sha256,
      size: fp.size,
      importSettings: ex.settings as never,
      preprocessing: null,
    },
    training: ex.training,
    runs: [],
  };
  writeFileSync(join(here, `${ex.name}.netloom.json`), serializeProject(project));
}

const fixture = (f: string) => readFileSync(join(fixtures, f), 'utf8');

/** Replaces the last column's codes by names. */
function relabel(csv: string, names: string[], header?: string): string {
  const lines = csv.trimEnd().split('\n');
  const out = lines.map((line, i) => {
    const cells = line.split(',');
    if (i === 0) {
      if (header) cells[cells.length - 1] = header;
    } else cells[cells.length - 1] = names[Number(cells[cells.length - 1])];
    return cells.join(',');
  });
  return out.join('\n') + '\n';
}

const fmt = (v: number) => String(Math.round(v * 1e6) / 1e6);

function xorCsv(): string {
  return 'x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n';
}

/** The lecture's linear regression ℝ⁸ → ℝ: y = w·x + b + N(0, 0.1²), 512 rows. */
function linearCsv(): string {
  const rng = new Rng(8);
  const w = [1.5, -2, 0.5, 3, -1, 0.25, 2, -0.75];
  const b = 0.5;
  const lines = [[...w.map((_, j) => `x${j + 1}`), 'y'].join(',')];
  for (let i = 0; i < 512; i++) {
    const x = w.map(() => rng.uniform(-1, 1));
    const y = x.reduce((s, v, j) => s + v * w[j], b) + 0.1 * rng.normal();
    lines.push([...x, y].map(fmt).join(','));
  }
  return lines.join('\n') + '\n';
}

/**
 * The lecture's optimizer example ("Let us take a simple example"): y = 3x + 2 + U(−0.1, 0.1),
 * N = 30, with x ~ U(−5, 5) (over U(−1, 1) plain SGD has not converged after 1000 steps).
 */
function sgdLineCsv(): string {
  const rng = new Rng(30);
  const lines = ['x,y'];
  for (let i = 0; i < 30; i++) {
    const x = rng.uniform(-5, 5);
    lines.push(`${fmt(x)},${fmt(3 * x + 2 + rng.uniform(-0.1, 0.1))}`);
  }
  return lines.join('\n') + '\n';
}

/** y = sin(x) + N(0, 0.05²), x ~ U(−π, π), 300 rows. */
function sineCsv(): string {
  const rng = new Rng(2026);
  const lines = ['x,y'];
  for (let i = 0; i < 300; i++) {
    const x = rng.uniform(-Math.PI, Math.PI);
    lines.push(`${fmt(x)},${fmt(Math.sin(x) + 0.05 * rng.normal())}`);
  }
  return lines.join('\n') + '\n';
}

const split = (train: number, validation: number, test = 0) => ({ train, validation, test });
const training = (epochs: number, batchSize: number, seed = 42): Project['training'] => ({
  epochs,
  batchSize,
  seed,
  backend: 'auto',
  earlyStopping: null,
});
const mlp = (units: number, act = 'relu'): NodeSpec[] => [
  { id: 'hidden', type: 'Dense', params: { units }, label: 'Hidden' },
  { id: 'act', type: `Activation.${act}` },
  { id: 'out', type: 'Dense', params: { units: 'auto' }, label: 'Output' },
];

const examples: Example[] = [
  {
    name: 'xor',
    title: 'XOR (lecture: does the starting point matter?)',
    csv: xorCsv(),
    settings: {
      prepare: { targets: ['y'], task: 'binary', featureScaling: 'none', split: split(1, 0), seed: 42 },
    },
    graph: chainGraph(
      [
        { id: 'hidden', type: 'Dense', params: { units: 4 }, label: 'Hidden' },
        { id: 'sig1', type: 'Activation.sigmoid' },
        { id: 'out', type: 'Dense', params: { units: 'auto' }, label: 'Output' },
        { id: 'sig2', type: 'Activation.sigmoid' },
      ],
      { id: 'loss', type: 'Loss.bce' },
      { id: 'opt', type: 'Optimizer.momentum', params: { lr: 0.1, beta: 0.99 } },
      {
        nodes: [{ id: 'init', type: 'Initializer.lecun_normal', label: 'N(0, 1/fan_in)' }],
        edges: [
          ['init', 'init', 'hidden', 'weightInit'],
          ['init', 'init', 'out', 'weightInit'],
        ],
      },
    ),
    training: training(1000, 4),
  },
  {
    name: 'linear-regression',
    title: 'Linear regression ℝ⁸ → ℝ (lecture: computational graph)',
    csv: linearCsv(),
    settings: { prepare: { targets: ['y'], featureScaling: 'none', split: split(0.8, 0.2), seed: 42 } },
    graph: chainGraph(
      [{ id: 'linear', type: 'Dense', params: { units: 'auto' }, label: 'w·x + b' }],
      { id: 'loss', type: 'Loss.mse' },
      { id: 'opt', type: 'Optimizer.sgd', params: { lr: 0.1 } },
    ),
    training: training(40, 64),
  },
  {
    // θᵀ[1, x] from θ₀ = [10, 5] (bias 10, weight 5) by per-sample SGD, α = 0.005, 1000 steps
    // (30 rows × 34 epochs = 1020): the lecture reaches about [2, 3]. Swap the optimizer node for
    // momentum (β = 0.6) or Nesterov (β = 0.8) to rerun its comparison.
    name: 'sgd-line',
    title: 'SGD on y = 3x + 2 (lecture: gradient descent algorithms)',
    csv: sgdLineCsv(),
    settings: { prepare: { targets: ['y'], featureScaling: 'none', split: split(1, 0), seed: 42 } },
    graph: chainGraph(
      [{ id: 'linear', type: 'Dense', params: { units: 'auto' }, label: 'θᵀ[1, x]' }],
      { id: 'loss', type: 'Loss.mse' },
      { id: 'opt', type: 'Optimizer.sgd', params: { lr: 0.005 } },
      {
        nodes: [
          { id: 'w0', type: 'Initializer.constant', params: { value: 5 }, label: 'θ₁ = 5' },
          { id: 'b0', type: 'Initializer.constant', params: { value: 10 }, label: 'θ₀ = 10' },
        ],
        edges: [
          ['w0', 'init', 'linear', 'weightInit'],
          ['b0', 'init', 'linear', 'biasInit'],
        ],
      },
    ),
    training: training(34, 1),
  },
  {
    name: 'iris',
    title: 'Iris species (multiclass)',
    csv: relabel(fixture('iris.csv'), ['setosa', 'versicolor', 'virginica']),
    settings: {
      prepare: { targets: ['species'], featureScaling: 'z-score', split: split(0.8, 0.2), seed: 42 },
    },
    graph: chainGraph(
      mlp(16),
      { id: 'loss', type: 'Loss.cross_entropy_logits' },
      { id: 'opt', type: 'Optimizer.adam', params: { lr: 0.01 } },
    ),
    training: training(60, 16),
  },
  {
    name: 'breast-cancer',
    title: 'Breast cancer diagnosis (binary, class-weighted)',
    csv: relabel(fixture('breast_cancer.csv'), ['malignant', 'benign']),
    settings: {
      prepare: { targets: ['diagnosis'], featureScaling: 'z-score', split: split(0.8, 0.2), seed: 42 },
    },
    // Classes sorted: benign (0), malignant (1). Weights n/(K·n_c): 569/(2·357), 569/(2·212).
    graph: chainGraph(
      mlp(16),
      { id: 'loss', type: 'Loss.bce_logits', params: { classWeights: [0.797, 1.342] } },
      { id: 'opt', type: 'Optimizer.adam', params: { lr: 0.005 } },
    ),
    training: training(40, 32),
  },
  {
    name: 'wine',
    title: 'Wine cultivars (multiclass)',
    csv: fixture('wine.csv'),
    settings: {
      prepare: { targets: ['cultivar'], featureScaling: 'z-score', split: split(0.8, 0.2), seed: 42 },
    },
    // tanh generalises better than ReLU on this small table (178 rows).
    graph: chainGraph(
      mlp(16, 'tanh'),
      { id: 'loss', type: 'Loss.cross_entropy_logits' },
      { id: 'opt', type: 'Optimizer.adam', params: { lr: 0.01 } },
    ),
    training: training(60, 16),
  },
  {
    name: 'diabetes',
    title: 'Diabetes progression (regression, near-linear)',
    csv: fixture('diabetes.csv'),
    settings: {
      prepare: {
        targets: ['progression'],
        featureScaling: 'z-score',
        targetScaling: 'z-score',
        split: split(0.8, 0.2),
        seed: 42,
      },
    },
    graph: chainGraph(
      [{ id: 'linear', type: 'Dense', params: { units: 'auto' }, label: 'Linear' }],
      { id: 'loss', type: 'Loss.mse' },
      { id: 'opt', type: 'Optimizer.adam', params: { lr: 0.01 } },
    ),
    training: training(60, 32),
  },
  {
    name: 'digits',
    title: 'Handwritten digits 8×8 (multiclass)',
    csv: fixture('digits.csv'),
    settings: {
      prepare: { targets: ['digit'], featureScaling: 'z-score', split: split(0.8, 0.2), seed: 42 },
    },
    graph: chainGraph(
      mlp(32, 'tanh'),
      { id: 'loss', type: 'Loss.cross_entropy_logits' },
      { id: 'opt', type: 'Optimizer.adam', params: { lr: 0.01 } },
    ),
    training: training(12, 64),
  },
  {
    name: 'rbf-sine',
    title: 'RBF network on y = sin(x) + noise',
    csv: sineCsv(),
    settings: { prepare: { targets: ['y'], featureScaling: 'none', split: split(0.8, 0.2), seed: 42 } },
    graph: chainGraph(
      [
        {
          id: 'rbf',
          type: 'RBF',
          params: { centres: 12, placement: 'kmeans++', widths: 'nearest' },
          label: 'RBF',
        },
        { id: 'out', type: 'Dense', params: { units: 'auto' }, label: 'Output' },
      ],
      { id: 'loss', type: 'Loss.mse' },
      { id: 'opt', type: 'Optimizer.adam', params: { lr: 0.02 } },
    ),
    training: training(300, 32),
  },
];

for (const ex of examples) await write(ex);
console.log(`wrote ${examples.length} examples to ${here}`);
