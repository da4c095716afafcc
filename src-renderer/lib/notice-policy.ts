/**
 * When a notice goes away by itself (framework-free).
 *
 * Role: the dismiss policy of the notice bar. Plain information ("Loaded iris.csv…", "Opened the
 * example…") leaves after INFO_NOTICE_MS; an error stays until the user closes it, and so does any
 * notice that offers an action (its button must not vanish under the pointer). Invariant: the
 * result is either null (stays) or a positive number of milliseconds.
 */

/** How long an information notice stays up, in milliseconds. */
export const INFO_NOTICE_MS = 6000;

export interface NoticeLike {
  readonly kind: 'info' | 'error';
  readonly action?: unknown;
}

/** Milliseconds until `notice` dismisses itself, or null when it stays until closed. */
export function noticeTimeout(notice: NoticeLike | null): number | null {
  if (!notice || notice.kind !== 'info' || notice.action) return null;
  return INFO_NOTICE_MS;
}
