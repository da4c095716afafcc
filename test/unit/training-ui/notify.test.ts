// Run-end notifications: only when the window is unfocused and permission is granted, only for a
// run that ended, with the run's label and outcome in the text.
import { describe, expect, it } from 'vitest';
import { notifyRunEnd, runEndNotice, type NotifyEnv } from '../../../src-renderer/training/notify';

const finished = {
  label: 'Run 2',
  status: 'finished' as const,
  message: null,
  final: { train: { accuracy: 0.9 }, validation: { accuracy: 0.9333 } },
};

function env(focused: boolean, permission: string | null): NotifyEnv & { shown: string[][] } {
  const shown: string[][] = [];
  return { shown, hasFocus: () => focused, permission: () => permission, show: (t, b) => shown.push([t, b]) };
}

describe('run-end notification', () => {
  it('notifies only when unfocused and granted', () => {
    for (const [focused, perm, want] of [
      [false, 'granted', 1],
      [true, 'granted', 0],
      [false, 'denied', 0],
      [false, 'default', 0],
      [false, null, 0],
    ] as const) {
      const e = env(focused, perm);
      expect(notifyRunEnd(finished, e)).toBe(want === 1);
      expect(e.shown).toHaveLength(want);
    }
  });

  it('says how the run ended', () => {
    expect(runEndNotice(finished, false, 'granted')).toEqual({
      title: 'Netloom: Run 2',
      body: 'Finished: accuracy 0.933.',
    });
    const reg = { ...finished, final: { train: { r2: 0.5 }, validation: null } };
    expect(runEndNotice(reg, false, 'granted')!.body).toBe('Finished: R² 0.500.');
    expect(runEndNotice({ ...finished, status: 'stopped' }, false, 'granted')!.body).toBe('Stopped.');
    const failed = { ...finished, status: 'failed' as const, message: 'NaN loss (numeric)' };
    expect(runEndNotice(failed, false, 'granted')!.body).toBe('NaN loss (numeric)');
    expect(runEndNotice({ ...finished, status: 'running' }, false, 'granted')).toBeNull();
  });

  it('never throws when the platform refuses', () => {
    const e = env(false, 'granted');
    e.show = () => {
      throw new TypeError('Illegal constructor');
    };
    expect(notifyRunEnd(finished, e)).toBe(false);
  });
});
