/**
 * Native notification when a run ends while the window is unfocused (framework-free decision;
 * the side effect goes through a small environment so it can be tested).
 *
 * Invariants: at most one notification per run (the caller passes each terminal transition once);
 * never notifies while the window has focus or without granted permission; never throws.
 */
import type { RunRecord } from './history';

export interface NotifyEnv {
  hasFocus(): boolean;
  /** Notification.permission ('granted' | 'denied' | 'default'), or null when unsupported. */
  permission(): string | null;
  show(title: string, body: string): void;
}

const ENDED = new Set(['finished', 'stopped', 'failed', 'crashed']);

/** Title and body for a run that ended, or null when no notification is due. */
export function runEndNotice(
  run: Pick<RunRecord, 'label' | 'status' | 'message' | 'final'>,
  focused: boolean,
  permission: string | null,
): { title: string; body: string } | null {
  if (focused || permission !== 'granted' || !ENDED.has(run.status)) return null;
  const acc = run.final?.validation?.accuracy ?? run.final?.train.accuracy;
  const r2 = run.final?.validation?.r2 ?? run.final?.train.r2;
  const metric =
    acc !== undefined ? `accuracy ${acc.toFixed(3)}` : r2 !== undefined ? `R² ${r2.toFixed(3)}` : null;
  const body =
    run.status === 'finished'
      ? `Finished${metric ? `: ${metric}` : ''}.`
      : run.status === 'stopped'
        ? 'Stopped.'
        : (run.message ?? 'The run failed.');
  return { title: `Netloom: ${run.label}`, body };
}

/** Shows the notice for `run` when one is due (errors from the platform are swallowed). */
export function notifyRunEnd(run: Parameters<typeof runEndNotice>[0], env: NotifyEnv): boolean {
  try {
    const n = runEndNotice(run, env.hasFocus(), env.permission());
    if (!n) return false;
    env.show(n.title, n.body);
    return true;
  } catch {
    return false;
  }
}

/** The browser/Electron environment (Notification API; absent → permission null). */
export const browserNotifyEnv: NotifyEnv = {
  hasFocus: () => typeof document === 'undefined' || document.hasFocus(),
  permission: () => (typeof Notification === 'undefined' ? null : Notification.permission),
  show: (title, body) => void new Notification(title, { body }),
};

/** Asks once for notification permission (from a user action: Start); the answer is kept by the platform. */
export function askNotifyPermission(): void {
  try {
    if (typeof Notification !== 'undefined' && Notification.permission === 'default')
      void Notification.requestPermission().catch(() => undefined);
  } catch {
    // Unsupported: no notifications.
  }
}
