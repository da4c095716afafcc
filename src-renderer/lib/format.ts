/**
 * Small display formatters shared by the shell (framework-free, pure).
 */

/**
 * Age of a timestamp for lists such as "Recent projects": 'just now', '5 min ago', '3 h ago',
 * 'yesterday', '4 days ago', else the calendar date (YYYY-MM-DD, UTC).
 * @param openedAt ISO 8601 time (as the host reports it) or milliseconds since the epoch.
 * @param now milliseconds since the epoch.
 * Returns '' for an unparseable time rather than throwing (display only).
 */
export function formatAge(openedAt: string | number, now: number): string {
  const t = typeof openedAt === 'number' ? openedAt : Date.parse(openedAt);
  if (!Number.isFinite(t)) return '';
  const seconds = Math.max(0, Math.round((now - t) / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days < 30) return days === 1 ? 'yesterday' : `${days} days ago`;
  return new Date(t).toISOString().slice(0, 10);
}

/** A loss or metric for display: 4 significant digits, exponent form when tiny or huge. */
export function formatMetric(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (value === 0) return '0';
  const a = Math.abs(value);
  if (a < 1e-3 || a >= 1e5) return value.toExponential(2);
  return value.toPrecision(4);
}

/** A fraction in [0, 1] as a whole percentage, clamped: 0.456 → '46%'. */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '0%';
  return `${Math.round(Math.min(1, Math.max(0, fraction)) * 100)}%`;
}
