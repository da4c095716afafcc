/**
 * Inspector input → param value (framework-free): parses what the user typed for a registry param
 * and validates it with engine/graph's `paramError`, so the inspector never writes an invalid value.
 * Invariants: a blank field means null for nullable params and is an error otherwise; numbers accept
 * a decimal comma ("0,5") as students in many locales type it.
 */
import { paramError, type ParamSpec } from '../../engine/graph';

export type ParsedParam = { ok: true; value: unknown } | { ok: false; error: string };

/** Parses text typed into the field of `spec`. */
export function parseParamInput(spec: ParamSpec, text: string): ParsedParam {
  const t = text.trim();
  let value: unknown;
  if (t === '') {
    if (!spec.nullable) return { ok: false, error: `${spec.label} must be set` };
    value = null;
  } else if (spec.kind === 'number' || spec.kind === 'integer') {
    if (spec.allowAuto && t.toLowerCase() === 'auto') value = 'auto';
    else {
      const n = Number(t.replace(',', '.'));
      if (!/^[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?$/.test(t) || !Number.isFinite(n))
        return { ok: false, error: `${spec.label} must be a number${spec.allowAuto ? " or 'auto'" : ''}` };
      value = n;
    }
  } else if (spec.kind === 'json') {
    try {
      value = JSON.parse(t);
    } catch {
      return { ok: false, error: `${spec.label} must be JSON, e.g. [1, 2]` };
    }
  } else value = t;
  const why = paramError(spec, value);
  return why === null ? { ok: true, value } : { ok: false, error: `${spec.label} ${why}` };
}

/** The text a field shows for a param value. */
export function formatParamValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** Range hint for a numeric param, e.g. '≥ 1', '[0, 1)', or '' when unbounded. */
export function rangeHint(spec: ParamSpec): string {
  const lo = spec.min;
  const hi = spec.max;
  if (lo !== undefined && hi !== undefined)
    return `${spec.minExclusive ? '(' : '['}${lo}, ${hi}${spec.maxExclusive ? ')' : ']'}`;
  if (lo !== undefined) return `${spec.minExclusive ? '>' : '≥'} ${lo}`;
  if (hi !== undefined) return `${spec.maxExclusive ? '<' : '≤'} ${hi}`;
  return '';
}
