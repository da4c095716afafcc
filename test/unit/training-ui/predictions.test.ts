import { describe, expect, it } from 'vitest';
import { predictionsOf, predictionViews } from '../../../src-renderer/training/predictions';
import { applyEvent, newRunRecord } from '../../../src-renderer/training/history';
import type { RunEvent } from '../../../engine/session/protocol';

describe('prediction views', () => {
  it('multiclass confusion matrix counted by hand', () => {
    // Rows: true 0 → pred 0, true 0 → pred 2, true 1 → pred 1, true 2 → pred 2, true 2 → pred 1.
    const outputs = [0.8, 0.1, 0.1, 0.2, 0.3, 0.5, 0.1, 0.7, 0.2, 0, 0.1, 0.9, 0.2, 0.5, 0.3];
    const v = predictionViews({
      split: 'validation',
      task: 'multiclass',
      classes: ['a', 'b', 'c'],
      outputs,
      cols: 3,
      targets: [0, 0, 1, 2, 2],
    });
    expect(v.confusion).toEqual({
      labels: ['a', 'b', 'c'],
      matrix: [
        [1, 0, 1],
        [0, 1, 0],
        [0, 1, 1],
      ],
    });
    expect(v.roc).toBeUndefined();
  });

  it('binary ROC AUC equals the share of correctly ordered (positive, negative) pairs', () => {
    const scores = [0.9, 0.8, 0.35, 0.6, 0.2, 0.1];
    const labels = [1, 1, 1, 0, 0, 0];
    // Pairs (pos, neg): 3 × 3 = 9; wrongly ordered: 0.35 < 0.6 only → AUC = 8/9.
    const v = predictionViews({ split: 'test', task: 'binary', outputs: scores, cols: 1, targets: labels });
    expect(v.roc!.auc).toBeCloseTo(8 / 9, 12);
    expect(v.roc!.fpr[0]).toBe(0);
    expect(v.roc!.tpr.at(-1)).toBe(1);
    // Threshold 0.5: predicted 1 for 0.9, 0.8, 0.6.
    expect(v.confusion!.matrix).toEqual([
      [2, 1],
      [1, 2],
    ]);
  });

  it('regression scatter with R² computed by hand', () => {
    const targets = [1, 2, 3, 4];
    const outputs = [1.5, 2, 2.5, 4];
    // SS_res = 0.25 + 0 + 0.25 + 0 = 0.5; SS_tot = 5 → R² = 0.9.
    const v = predictionViews({ split: 'validation', task: 'regression', outputs, cols: 1, targets });
    expect(v.scatter!.r2).toBeCloseTo(0.9, 12);
    expect(v.scatter!.x).toEqual(targets);
  });

  it('malformed sets give an error, not an exception', () => {
    expect(
      predictionViews({ split: 'test', task: 'multiclass', outputs: [1, 2, 3], cols: 2, targets: [0] }).error,
    ).toMatch(/do not fill rows of 2/);
    expect(
      predictionViews({ split: 'test', task: 'binary', outputs: [0.2, 0.7], cols: 1, targets: [1, 1] }).error,
    ).toMatch(/class/i);
  });

  it('a finished event with predictions lands in the run record', () => {
    const r = newRunRecord('l', 'Run', { epochs: 1, batchSize: 1, seed: 1, backend: 'cpu' });
    r.runId = 'x';
    const predictions = {
      split: 'validation',
      task: 'binary',
      outputs: [0.9, 0.1],
      cols: 1,
      targets: [1, 0],
    };
    applyEvent(r, {
      type: 'finished',
      runId: 'x',
      epochs: 1,
      metrics: { train: {}, validation: null },
      predictions,
    } as unknown as RunEvent);
    expect(r.predictions).toEqual(predictions);
    expect(predictionsOf({ predictions: { outputs: 'no' } })).toBeNull();
  });
});
