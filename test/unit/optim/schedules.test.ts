import { describe, it, expect } from 'vitest';
import {
  learningRate,
  sampleSchedule,
  plateauTrace,
  type ScheduleSpec,
} from '../../../engine/schedules/schedules';
import { makeSchedule, scheduleInfos } from '../../../engine/schedules/registry';
import { clipGradNorm, clipGradValue } from '../../../engine/optim/clip';
import { earlyStopping } from '../../../engine/optim/early-stopping';

describe('schedules against closed forms', () => {
  it('constant, linear, step, exponential', () => {
    expect(learningRate({ kind: 'constant', lr: 0.3 }, 17)).toBe(0.3);
    const lin: ScheduleSpec = { kind: 'linear', lr: 0.1, finalLr: 0.01, duration: 90 };
    expect(learningRate(lin, 0)).toBeCloseTo(0.1, 15);
    expect(learningRate(lin, 45)).toBeCloseTo(0.055, 15);
    expect(learningRate(lin, 90)).toBeCloseTo(0.01, 15);
    expect(learningRate(lin, 500)).toBeCloseTo(0.01, 15);
    const step: ScheduleSpec = { kind: 'step', lr: 0.8, gamma: 0.5, every: 10 };
    expect([0, 9, 10, 19, 20, 35].map((t) => learningRate(step, t))).toEqual([0.8, 0.8, 0.4, 0.4, 0.2, 0.1]);
    expect(learningRate({ kind: 'exponential', lr: 2, gamma: 0.9 }, 3)).toBeCloseTo(2 * 0.729, 15);
  });

  it('cosine and SGDR', () => {
    const cos: ScheduleSpec = { kind: 'cosine', lr: 1, minLr: 0.1, duration: 100 };
    expect(learningRate(cos, 0)).toBeCloseTo(1, 15);
    expect(learningRate(cos, 50)).toBeCloseTo(0.55, 15); // cos(π/2) = 0
    expect(learningRate(cos, 25)).toBeCloseTo(0.1 + 0.45 * (1 + Math.SQRT1_2), 14);
    expect(learningRate(cos, 100)).toBeCloseTo(0.1, 15);
    // SGDR T₀ = 10, T_mult = 2: cycles [0,10), [10,30), [30,70).
    const sgdr: ScheduleSpec = { kind: 'sgdr', lr: 1, minLr: 0, t0: 10, tMult: 2 };
    expect(learningRate(sgdr, 0)).toBe(1);
    expect(learningRate(sgdr, 5)).toBeCloseTo(0.5, 15);
    expect(learningRate(sgdr, 10)).toBe(1); // restart
    expect(learningRate(sgdr, 20)).toBeCloseTo(0.5, 15); // halfway through the 20-long cycle
    expect(learningRate(sgdr, 30)).toBe(1);
    expect(learningRate(sgdr, 40)).toBeCloseTo(0.5 * (1 + Math.cos(Math.PI / 4)), 14);
    const flat: ScheduleSpec = { kind: 'sgdr', lr: 1, minLr: 0, t0: 4, tMult: 1 };
    expect(learningRate(flat, 6)).toBeCloseTo(0.5, 15);
  });

  it('1-cycle: starts at max/div, peaks at pctStart·T, ends at max/(div·finalDiv)', () => {
    const oc: ScheduleSpec = {
      kind: 'onecycle',
      maxLr: 1,
      duration: 100,
      pctStart: 0.3,
      divFactor: 25,
      finalDivFactor: 1e4,
    };
    expect(learningRate(oc, 0)).toBeCloseTo(0.04, 15);
    expect(learningRate(oc, 15)).toBeCloseTo((0.04 + 1) / 2, 14);
    expect(learningRate(oc, 30)).toBeCloseTo(1, 15);
    expect(learningRate(oc, 65)).toBeCloseTo((1 + 4e-6) / 2, 14);
    expect(learningRate(oc, 100)).toBeCloseTo(4e-6, 18);
  });

  it('linear warm-up in front of another schedule', () => {
    const w: ScheduleSpec = {
      kind: 'warmup',
      warmup: 5,
      startFactor: 0.2,
      then: { kind: 'step', lr: 1, gamma: 0.5, every: 10 },
    };
    expect(learningRate(w, 0)).toBeCloseTo(0.2, 15);
    expect(learningRate(w, 2)).toBeCloseTo(0.2 + 0.8 * 0.4, 15);
    expect(learningRate(w, 5)).toBe(1);
    expect(learningRate(w, 15)).toBe(0.5);
    expect(makeSchedule('cosine', { lr: 0.1, warmup: 3 })).toMatchObject({ kind: 'warmup', warmup: 3 });
  });

  it('reduce on plateau follows a scripted metric sequence', () => {
    const s = { kind: 'plateau' as const, lr: 1, factor: 0.5, patience: 2, minLr: 0.2, minDelta: 0.01 };
    //               0    1    2     3      4    5    6    7    8    9
    const history = [1.0, 0.8, 0.8, 0.795, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7];
    // epoch 2: no improvement (1), epoch 3: 0.795 is not better than 0.8 − 0.01 (2) → halve at 3.
    // epoch 4 improves; 5, 6 → halve at 6; 7, 8 → 0.25 clipped to minLr 0.2 at 8; 9: nothing left to cut.
    expect(plateauTrace(s, history).reductions).toEqual([3, 6, 8]);
    expect(learningRate(s, 0, history.slice(0, 3))).toBe(1);
    expect(learningRate(s, 0, history.slice(0, 4))).toBe(0.5);
    expect(learningRate(s, 0, history.slice(0, 7))).toBe(0.25);
    expect(learningRate(s, 0, history)).toBe(0.2);
    const curve = sampleSchedule(s, 10, history);
    expect(Array.from(curve)).toEqual([1, 1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.2]);
    // mode max (accuracy) with cooldown
    const acc = [0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6];
    expect(plateauTrace({ ...s, mode: 'max', minLr: 0, minDelta: 0, cooldown: 1 }, acc).reductions).toEqual([
      3, 6,
    ]);
  });

  it('samples curves and validates specs', () => {
    const c = sampleSchedule({ kind: 'exponential', lr: 1, gamma: 0.5 }, 4);
    expect(Array.from(c)).toEqual([1, 0.5, 0.25, 0.125]);
    expect(() => learningRate({ kind: 'step', lr: 1, gamma: 2, every: 1 }, 0)).toThrow(
      /'step': gamma must be in \(0, 1\]/,
    );
    expect(() => makeSchedule('triangle')).toThrow(/unknown schedule 'triangle'/);
    expect(() => makeSchedule('step', { every: 0 })).toThrow(/every/);
    for (const info of scheduleInfos()) {
      const spec = makeSchedule(info.name);
      expect(sampleSchedule(spec, 50).every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    }
  });
});

describe('gradient clipping', () => {
  it('clips the global norm to the threshold across arrays, preserving direction', () => {
    const a = new Float32Array([3, 4]);
    const b = new Float64Array([12]);
    const before = clipGradNorm([a, b], 6.5); // ‖(3,4,12)‖ = 13
    expect(before).toBeCloseTo(13, 12);
    const after = Math.hypot(a[0], a[1], b[0]);
    expect(after).toBeCloseTo(6.5, 5);
    expect(a[0] / b[0]).toBeCloseTo(3 / 12, 6);
    const small = new Float64Array([0.1, 0.2]);
    expect(clipGradNorm(small, 1)).toBeCloseTo(Math.hypot(0.1, 0.2), 15);
    expect(Array.from(small)).toEqual([0.1, 0.2]);
    const huge = new Float64Array([1e200, 1e200]);
    expect(clipGradNorm(huge, 1)).toBeCloseTo(Math.SQRT2 * 1e200, -190);
    expect(Math.hypot(huge[0], huge[1])).toBeCloseTo(1, 12);
    expect(() => clipGradNorm(small, 0)).toThrow(/maxNorm/);
  });

  it('leaves a gradient with NaN or ±∞ unchanged and reports a NaN norm (the optimizer then names the entry)', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const g = new Float64Array([bad, 1]);
      expect(clipGradNorm(g, 1)).toBeNaN();
      expect(Array.from(g)).toEqual([bad, 1]);
    }
  });

  it('clips each element by value', () => {
    const g = new Float64Array([-5, -0.5, 0, 0.7, 9]);
    expect(clipGradValue(g, 1)).toBe(2);
    expect(Array.from(g)).toEqual([-1, -0.5, 0, 0.7, 1]);
  });
});

describe('early stopping', () => {
  it('stops after patience epochs without improvement and restores the best epoch', () => {
    const h = [1, 0.6, 0.5, 0.52, 0.49995, 0.51];
    expect(earlyStopping(h.slice(0, 3), { patience: 3 })).toMatchObject({
      stop: false,
      bestEpoch: 2,
      improvedNow: true,
    });
    const d = earlyStopping(h, { patience: 3, minDelta: 1e-3 });
    expect(d).toMatchObject({
      stop: true,
      bestEpoch: 2,
      bestValue: 0.5,
      restoreEpoch: 2,
      epochsWithoutImprovement: 3,
    });
    // Without minDelta, epoch 4 counts as an improvement.
    expect(earlyStopping(h, { patience: 3 })).toMatchObject({ stop: false, bestEpoch: 4 });
    expect(earlyStopping(h, { patience: 3, minDelta: 1e-3, restoreBest: false }).restoreEpoch).toBeNull();
    expect(earlyStopping([0.5, 0.7, 0.6, 0.65], { patience: 2, mode: 'max' })).toMatchObject({
      stop: true,
      bestEpoch: 1,
    });
  });

  it('stops at once on a non-finite metric and rejects bad options', () => {
    expect(earlyStopping([1, NaN], { patience: 10 })).toMatchObject({
      stop: true,
      bestEpoch: 0,
      restoreEpoch: 0,
    });
    expect(earlyStopping([], { patience: 1 })).toMatchObject({ stop: false, bestEpoch: -1 });
    expect(() => earlyStopping([1], { patience: 0 })).toThrow(/patience/);
  });
});
