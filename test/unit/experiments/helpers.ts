/** Fixtures of the experiments tests: example projects and small synthetic CSVs built in the test. */
import { readFileSync } from 'node:fs';
import { graphProjectHooks } from '../../../engine/graph';
import { loadProject, type Project } from '../../../engine/project';
import { Rng } from '../../../engine/random/rng';

export const loadExample = (name: string): Project =>
  loadProject(readFileSync(`examples/${name}.netloom.json`, 'utf8'), { hooks: graphProjectHooks });
export const exampleCsv = (name: string) => new Uint8Array(readFileSync(`examples/${name}.csv`));

/** One-feature regression y = 3x + 2 + U(−0.1, 0.1), x ~ U(lo, hi) (the lecture's standardization problem). */
export function lineCsv(
  n: number,
  lo: number,
  hi: number,
  seed = 7,
): { bytes: Uint8Array; x: number[]; y: number[] } {
  const rng = new Rng(seed);
  const x: number[] = [];
  const y: number[] = [];
  const lines = ['x,y'];
  for (let i = 0; i < n; i++) {
    const xi = Number(rng.uniform(lo, hi).toFixed(4));
    const yi = Number((3 * xi + 2 + rng.uniform(-0.1, 0.1)).toFixed(4));
    x.push(xi);
    y.push(yi);
    lines.push(`${xi},${yi}`);
  }
  return { bytes: new TextEncoder().encode(lines.join('\n') + '\n'), x, y };
}

/** The linear-regression example graph (Dense(1) → MSE, SGD) on a one-feature CSV with the given settings. */
export function lineProject(opts: {
  lr?: number;
  batchSize: number;
  featureScaling?: string;
  validation?: number;
}): Project {
  const p = loadExample('linear-regression');
  p.graph.nodes = p.graph.nodes.map((n) =>
    n.id === 'opt' ? { ...n, params: { ...n.params, lr: opts.lr ?? 0.01 } } : n,
  );
  p.dataset = {
    ...p.dataset!,
    importSettings: {
      prepare: {
        featureScaling: opts.featureScaling ?? 'none',
        seed: 42,
        split: { train: 1 - (opts.validation ?? 0), validation: opts.validation ?? 0, test: 0 },
        targets: ['y'],
      },
    },
  };
  p.training = { ...p.training, batchSize: opts.batchSize, epochs: 5, seed: 3 };
  return p;
}
