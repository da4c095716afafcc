import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../engine/session/protocol';
import type { RunProgress } from '../../../src-renderer/lib/run-progress';
import { RunTracker } from '../../../src-renderer/lib/run-tracker';

const started = (runId: string): RunEvent => ({
  type: 'started',
  runId,
  backend: 'cpu',
  epochs: 1,
  batchesPerEpoch: 2,
});
const batch = (runId: string, b: number): RunEvent => ({
  type: 'batch',
  runId,
  epoch: 1,
  batch: b,
  batchesPerEpoch: 2,
  loss: 0.5,
});
const finished = (runId: string): RunEvent => ({
  type: 'finished',
  runId,
  epochs: 1,
  metrics: { train: { loss: 0.4 }, validation: null },
});

function tracker() {
  const seen: RunProgress[] = [];
  const t = new RunTracker((p) => seen.push(p));
  return { t, seen };
}

describe('RunTracker', () => {
  it('replays events that arrived before the run id was known', () => {
    const { t } = tracker();
    t.begin();
    // The trainer is fast: events arrive before startRun resolves.
    t.handle(started('r1'));
    t.handle(batch('r1', 1));
    expect(t.progress.status).toBe('starting');
    t.accept('r1');
    expect(t.progress.status).toBe('running');
    expect(t.progress.batch).toBe(1);
    expect(t.progress.fraction).toBe(0.5);
    t.handle(batch('r1', 2));
    t.handle(finished('r1'));
    expect(t.progress.status).toBe('finished');
    expect(t.progress.fraction).toBe(1);
  });

  it('drops buffered events of other runs', () => {
    const { t } = tracker();
    t.begin();
    t.handle(started('old'));
    t.handle(batch('old', 2));
    t.accept('r2');
    expect(t.progress.status).toBe('starting');
    expect(t.progress.runId).toBe('r2');
    expect(t.progress.batch).toBe(0);
  });

  it('ignores events while idle and notifies only on changes', () => {
    const { t, seen } = tracker();
    t.handle(started('r1'));
    expect(seen).toHaveLength(0);
    t.begin();
    t.accept('r1');
    const n = seen.length;
    t.handle(batch('other', 1));
    expect(seen).toHaveLength(n);
  });

  it('fail() reports a host-side error and a new begin() starts over', () => {
    const { t } = tracker();
    t.begin();
    t.fail('Could not start the trainer: worker blocked');
    expect(t.progress.status).toBe('failed');
    expect(t.progress.message).toMatch(/worker blocked/);
    t.begin();
    expect(t.progress.status).toBe('starting');
    expect(t.progress.message).toBeNull();
  });
});
