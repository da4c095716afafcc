import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../engine/session/protocol';
import {
  applyRunEvent,
  batchFraction,
  describeProgress,
  IDLE_PROGRESS,
  startingProgress,
  type RunProgress,
} from '../../../src-renderer/lib/run-progress';

const RUN = 'run-1';

/** A full dummy stream: started, E epochs × B batches with epoch events, finished. */
function stream(epochs: number, batches: number, runId = RUN): RunEvent[] {
  const out: RunEvent[] = [{ type: 'started', runId, backend: 'cpu', epochs, batchesPerEpoch: batches }];
  for (let e = 1; e <= epochs; e++) {
    for (let b = 1; b <= batches; b++) {
      out.push({
        type: 'batch',
        runId,
        epoch: e,
        batch: b,
        batchesPerEpoch: batches,
        loss: 1 / (e * batches + b),
      });
    }
    out.push({
      type: 'epoch',
      runId,
      epoch: e,
      epochs,
      train: { loss: 1 / e },
      validation: null,
      learningRate: 0.1,
      wallMs: 5,
    });
  }
  out.push({ type: 'finished', runId, epochs, metrics: { train: { loss: 1 / epochs }, validation: null } });
  return out;
}

const fold = (events: RunEvent[], start: RunProgress = startingProgress(), runId = RUN) =>
  events.reduce((p, e) => applyRunEvent(p, runId, e), start);

describe('batchFraction', () => {
  it('counts batches done over all batches', () => {
    expect(batchFraction(1, 1, 4, 2)).toBe(1 / 8);
    expect(batchFraction(2, 4, 4, 2)).toBe(1);
    expect(batchFraction(1, 0, 4, 2)).toBe(0);
  });
  it('is 0 for an empty run and clamps overshoot', () => {
    expect(batchFraction(1, 1, 0, 3)).toBe(0);
    expect(batchFraction(5, 4, 4, 2)).toBe(1);
  });
});

describe('applyRunEvent', () => {
  it('folds a whole run to finished at 100% with one loss per epoch', () => {
    const p = fold(stream(3, 4));
    expect(p.status).toBe('finished');
    expect(p.fraction).toBe(1);
    expect(p.epochs).toBe(3);
    expect(p.epochLosses).toEqual([1, 1 / 2, 1 / 3]);
    expect(p.lastLoss).toBe(1 / (3 * 4 + 4));
    expect(p.backend).toBe('cpu');
    expect(p.runId).toBe(RUN);
  });

  it('fraction never decreases while events arrive', () => {
    let p = startingProgress();
    let last = 0;
    for (const e of stream(4, 5)) {
      p = applyRunEvent(p, RUN, e);
      expect(p.fraction).toBeGreaterThanOrEqual(last);
      last = p.fraction;
    }
  });

  it('is halfway after the last batch of epoch 2 of 4', () => {
    const events = stream(4, 5).filter((e) => !(e.type === 'batch' && e.epoch > 2) && e.type !== 'finished');
    const cut = events.findIndex((e) => e.type === 'epoch' && e.epoch === 2);
    expect(fold(events.slice(0, cut)).fraction).toBe(0.5);
  });

  it('ignores other runs and events without a run id', () => {
    const p = fold([
      ...stream(2, 2, 'other'),
      { type: 'protocol-error', message: 'x' },
      { type: 'hello', protocol: 1, ok: true, trainerVersion: '0', runtime: 'web-worker', backends: [] },
    ]);
    expect(p).toEqual(startingProgress());
  });

  it('tracks pause and resume', () => {
    const s = stream(2, 2);
    let p = fold(s.slice(0, 2));
    p = applyRunEvent(p, RUN, { type: 'paused', runId: RUN });
    expect(p.status).toBe('paused');
    expect(describeProgress(p)).toMatch(/^Paused · Epoch 1\/2 · batch 1\/2$/);
    p = applyRunEvent(p, RUN, { type: 'resumed', runId: RUN });
    expect(p.status).toBe('running');
  });

  it('keeps the terminal state: nothing after stopped changes it', () => {
    const s = stream(3, 2);
    let p = fold(s.slice(0, 4));
    p = applyRunEvent(p, RUN, { type: 'stopped', runId: RUN, epoch: 1 });
    const frozen = p;
    p = fold(s.slice(4), p);
    expect(p).toBe(frozen);
    expect(p.status).toBe('stopped');
    expect(describeProgress(p)).toBe('Stopped after epoch 1.');
  });

  it('reports failures and crashes with their reason', () => {
    const failed = applyRunEvent(startingProgress(), RUN, {
      type: 'failed',
      runId: RUN,
      code: 'bad-data',
      message: 'row 3: not a number',
    });
    expect(failed.status).toBe('failed');
    expect(describeProgress(failed)).toBe('row 3: not a number (bad-data)');
    const crashed = applyRunEvent(startingProgress(), RUN, {
      type: 'crashed',
      runId: RUN,
      exit: 'SIGKILL',
      message: 'killed',
    });
    expect(describeProgress(crashed)).toBe('Trainer crashed (SIGKILL): killed');
  });
});

describe('describeProgress', () => {
  it('covers the idle and starting states', () => {
    expect(describeProgress(IDLE_PROGRESS)).toBe('No run yet.');
    expect(describeProgress(startingProgress())).toBe('Starting trainer…');
  });
  it('pluralises the finished message', () => {
    expect(describeProgress(fold(stream(1, 1)))).toBe('Finished 1 epoch.');
    expect(describeProgress(fold(stream(2, 1)))).toBe('Finished 2 epochs.');
  });
});
