import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prepareDataset, readTable } from '../../../engine/data';
import { datasetInfoOf, modelSummary, validateGraph } from '../../../engine/graph';
import { G, classifier } from './build';

const load = (name: string, targets?: string[]) => {
  const bytes = readFileSync(new URL(`../../fixtures/data/${name}.csv`, import.meta.url));
  return prepareDataset(readTable(new Uint8Array(bytes)), targets ? { targets } : {});
};

describe('graph on real imported data', () => {
  it('iris: 4 features, 3 classes → auto output 3; summary (4·8+8) + (8·3+3) = 67', () => {
    const info = datasetInfoOf(load('iris'));
    expect(info).toMatchObject({ featureWidth: 4, task: 'multiclass', targetWidth: 1, numClasses: 3 });
    expect(info.trainRows).toBeGreaterThan(0);
    const g = classifier({ hidden: 8, out: 'auto' });
    const r = validateGraph(g, { dataset: info, batchSize: 16 });
    expect(r.problems).toEqual([]);
    expect(r.shapes.autoUnits.get('out')).toBe(3);
    expect(modelSummary(g, { dataset: info }).total).toBe(67);
  });

  it('linnerud: 3 regression targets → auto output 3, and a BCE on it is refused', () => {
    // linnerud: exercises (chins, situps, jumps) → physiology (weight, waist, pulse)
    const info = datasetInfoOf(load('linnerud', ['weight', 'waist', 'pulse']));
    expect(info).toMatchObject({ featureWidth: 3, task: 'regression', targetWidth: 3 });
    const g = new G()
      .node('data', 'Dataset')
      .node('out', 'Dense', { units: 'auto' })
      .node('loss', 'Loss.mse')
      .node('opt', 'Optimizer.sgd')
      .chain('data', 'out')
      .edge('out.out', 'loss.prediction')
      .edge('data.targets', 'loss.target')
      .edge('opt.optimizer', 'loss.optimizer');
    const r = validateGraph(g, { dataset: info });
    expect(r.problems).toEqual([]);
    expect(r.shapes.autoUnits.get('out')).toBe(3);
    g.nodes = g.nodes.map((n) => (n.id === 'loss' ? { ...n, type: 'Loss.bce' } : n));
    expect(validateGraph(g, { dataset: info }).problems.map((p) => p.code)).toContain(
      'classification-loss-on-regression',
    );
  });
});
