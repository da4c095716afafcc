// An opened project's saved runs become dashboard records: curves per epoch, final metrics and
// the comparison row come back from the file (values written by hand below, not by the app).
import { describe, expect, it } from 'vitest';
import type { Run } from '../../../engine/project/types';
import { comparisonRow, recordFromSavedRun } from '../../../src-renderer/training/history';

function savedRun(status: Run['status']): Run {
  return {
    id: 'r-7',
    pinned: false,
    status,
    startedAt: '2026-11-29T21:00:00.000Z',
    finishedAt: '2026-11-29T21:00:03.000Z',
    settings: { epochs: 4, batchSize: 8, seed: 3, backend: 'cpu', earlyStopping: null },
    graph: { nodes: [], edges: [] } as unknown as Run['graph'],
    history: [
      {
        epoch: 1,
        train: { loss: 1.2, accuracy: 0.4 },
        validation: { loss: 1.3, accuracy: 0.35 },
        learningRate: 0.01,
        gradientNorm: { global: 2, perTensor: { 'd.weight': 1.5 } },
        wallTimeMs: 10,
      },
      {
        epoch: 2,
        train: { loss: 0.6, accuracy: 0.8 },
        validation: null,
        learningRate: 0.005,
        gradientNorm: null,
        wallTimeMs: 20,
      },
    ],
    final: { train: { loss: 0.6, accuracy: 0.8 }, validation: { loss: 0.7, accuracy: 0.75 }, test: null },
    checkpoint: null,
  };
}

describe('recordFromSavedRun', () => {
  it('rebuilds per-epoch series with gaps where an epoch reported nothing', () => {
    const r = recordFromSavedRun(savedRun('stopped'), 's1', 'Run 1');
    expect(r.epochs).toEqual([1, 2]);
    expect(r.series['train.loss']).toEqual([1.2, 0.6]);
    expect(r.series['validation.accuracy'][0]).toBe(0.35);
    expect(Number.isNaN(r.series['validation.accuracy'][1])).toBe(true);
    expect(r.series.lr).toEqual([0.01, 0.005]);
    expect(r.gradNorms['d.weight'][0]).toBe(1.5);
    expect(Number.isNaN(r.gradNorms['d.weight'][1])).toBe(true);
    expect(r.status).toBe('stopped');
    expect(r.fraction).toBe(0.5); // 2 of 4 planned epochs
    expect(r.runId).toBe('r-7');
  });

  it('maps saved statuses and keeps final metrics for the comparison table', () => {
    expect(recordFromSavedRun(savedRun('completed'), 'a', 'A').status).toBe('finished');
    expect(recordFromSavedRun(savedRun('early-stopped'), 'a', 'A').status).toBe('finished');
    expect(recordFromSavedRun(savedRun('running'), 'a', 'A').status).toBe('stopped');
    const rec = recordFromSavedRun(savedRun('completed'), 'a', 'A');
    expect(rec.final?.validation?.accuracy).toBe(0.75);
    expect(rec.fraction).toBe(1);
    // The table shows the last finite per-epoch value, as for a live run: epoch 1's 0.35.
    const row = comparisonRow(rec);
    expect(row.validationMetric).toBe(0.35);
    expect(row.seed).toBe(3);
    expect(row.batchSize).toBe(8);
  });
});
