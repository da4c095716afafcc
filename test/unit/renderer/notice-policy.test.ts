// Dismiss policy of the notice bar: information leaves by itself, errors and notices with an
// action stay until closed.
import { describe, expect, it } from 'vitest';
import { INFO_NOTICE_MS, noticeTimeout } from '../../../src-renderer/lib/notice-policy';

describe('noticeTimeout', () => {
  it('gives plain information about six seconds', () => {
    expect(noticeTimeout({ kind: 'info' })).toBe(INFO_NOTICE_MS);
    expect(INFO_NOTICE_MS).toBeGreaterThanOrEqual(4000);
    expect(INFO_NOTICE_MS).toBeLessThanOrEqual(10000);
  });
  it('keeps errors until closed', () => {
    expect(noticeTimeout({ kind: 'error' })).toBeNull();
  });
  it('keeps any notice that offers an action, info included', () => {
    const action = { label: 'Stop the run and edit', run: () => {} };
    expect(noticeTimeout({ kind: 'info', action })).toBeNull();
    expect(noticeTimeout({ kind: 'error', action })).toBeNull();
  });
  it('has nothing to time when there is no notice', () => {
    expect(noticeTimeout(null)).toBeNull();
  });
});
