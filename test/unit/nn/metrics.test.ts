import { describe, expect, it } from 'vitest';
import {
  accuracy,
  argmaxRows,
  confusionMatrix,
  mae,
  precisionRecallF1,
  r2,
  rmse,
  rocAuc,
  rocCurve,
} from '../../../engine/metrics';
import { Rng } from '../../../engine/random/rng';

// Worked by hand: target/pred for 3 classes.
const target = [0, 0, 1, 1, 2, 2, 2];
const pred = [0, 1, 1, 1, 2, 0, 2];

describe('classification metrics', () => {
  it('accuracy', () => {
    expect(accuracy(pred, target)).toBeCloseTo(5 / 7, 15);
  });

  it('confusion matrix: rows = true, columns = predicted', () => {
    expect([...confusionMatrix(pred, target, 3)]).toEqual([1, 1, 0, 0, 2, 0, 1, 0, 2]);
  });

  it('precision / recall / F1, per class and macro', () => {
    const r = precisionRecallF1(pred, target, 3);
    expect([...r.precision].map((v) => +v.toFixed(12))).toEqual([0.5, +(2 / 3).toFixed(12), 1]);
    expect([...r.recall].map((v) => +v.toFixed(12))).toEqual([0.5, 1, +(2 / 3).toFixed(12)]);
    expect(r.f1[0]).toBeCloseTo(0.5, 12);
    expect(r.f1[1]).toBeCloseTo(0.8, 12);
    expect(r.f1[2]).toBeCloseTo(0.8, 12);
    expect(r.macroPrecision).toBeCloseTo((0.5 + 2 / 3 + 1) / 3, 12);
    expect(r.macroRecall).toBeCloseTo((0.5 + 1 + 2 / 3) / 3, 12);
    expect(r.macroF1).toBeCloseTo(0.7, 12);
    expect([...r.support]).toEqual([2, 2, 3]);
  });

  it('macro average skips classes absent from both targets and predictions; zero division gives 0', () => {
    const r = precisionRecallF1([0, 0, 1], [0, 1, 1], 4);
    // class 0: P = 1/2, R = 1; class 1: P = 1, R = 1/2; classes 2, 3 absent.
    expect(r.macroPrecision).toBeCloseTo(0.75, 12);
    expect(r.macroRecall).toBeCloseTo(0.75, 12);
    const z = precisionRecallF1([0, 0], [0, 1], 2); // class 1 never predicted
    expect(z.precision[1]).toBe(0);
    expect(z.f1[1]).toBe(0);
  });

  it('argmaxRows: multi-column argmax (first on ties) and single-column threshold', () => {
    expect([...argmaxRows([0.1, 0.7, 0.2, 3, 3, 1], 3)]).toEqual([1, 0]);
    expect([...argmaxRows([0.2, 0.5, 0.9], 1)]).toEqual([0, 1, 1]);
  });

  it('errors name the row and the valid range', () => {
    expect(() => accuracy([1, 2], [1])).toThrow(/2 rows but targets have 1/);
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow(/prediction at row 1 is 3/);
    expect(() => confusionMatrix([0, 1], [0, 0.5], 3)).toThrow(/target at row 1/);
  });
});

describe('ROC and AUC', () => {
  it('curve and AUC on a hand-worked example', () => {
    const c = rocCurve([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
    expect([...c.fpr]).toEqual([0, 0, 0.5, 0.5, 1]);
    expect([...c.tpr]).toEqual([0, 0.5, 0.5, 1, 1]);
    expect([...c.thresholds]).toEqual([Infinity, 0.8, 0.4, 0.35, 0.1]);
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 15);
  });

  it('perfect, reversed and all-tied scores', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5], [0, 1, 1])).toBeCloseTo(0.5, 15);
  });

  it('AUC equals the Mann–Whitney pair count, ties counting ½ (independent method)', () => {
    const rng = new Rng(11);
    const n = 300;
    const s = Array.from({ length: n }, () => Math.round(rng.normal() * 4) / 4); // many ties
    const y = Array.from({ length: n }, (_, i) => (rng.next() < 1 / (1 + Math.exp(-s[i])) ? 1 : 0));
    let num = 0;
    let pairs = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        if (y[i] === 1 && y[j] === 0) {
          pairs++;
          num += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0;
        }
    expect(rocAuc(s, y)).toBeCloseTo(num / pairs, 12);
  });

  it('rejects a single class and non-binary labels', () => {
    expect(() => rocAuc([0.1, 0.2], [1, 1])).toThrow(/both classes/);
    expect(() => rocAuc([0.1, 0.2], [0, 2])).toThrow(/row 1/);
  });
});

describe('regression metrics', () => {
  const y = [3, -0.5, 2, 7];
  const p = [2.5, 0, 2, 8];
  it('MAE and RMSE by hand', () => {
    expect(mae(p, y)).toBeCloseTo((0.5 + 0.5 + 0 + 1) / 4, 15);
    expect(rmse(p, y)).toBeCloseTo(Math.sqrt((0.25 + 0.25 + 0 + 1) / 4), 15);
  });
  it('R² by hand: 1 − SS_res/SS_tot', () => {
    const mean = (3 - 0.5 + 2 + 7) / 4;
    const ssTot = y.reduce((s, v) => s + (v - mean) ** 2, 0);
    expect(r2(p, y)).toBeCloseTo(1 - 1.5 / ssTot, 14);
    expect(r2(y, y)).toBe(1);
    expect(r2([mean, mean, mean, mean], y)).toBeCloseTo(0, 14);
  });
  it('multi-output R² averages the per-output scores', () => {
    // column 0 exact (R² 1), column 1 the example above.
    const P = [1, 2.5, 2, 0, 3, 2, 4, 8];
    const Y = [1, 3, 2, -0.5, 3, 2, 4, 7];
    expect(r2(P, Y, 2)).toBeCloseTo((1 + r2(p, y)) / 2, 14);
  });
  it('length mismatch is reported', () => {
    expect(() => mae([1], [1, 2])).toThrow(/1 values but targets have 2/);
  });
});
