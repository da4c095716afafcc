/**
 * Checks a node's params against its type's ParamSpecs (kind, range, options). Missing params are not
 * problems (the default applies); unknown extra params are ignored so that newer files still open.
 *
 * Invariant: pure; returns problems, never throws.
 */
import type { GraphNode, NodeTypeDef, ParamSpec, Problem } from './types';
import { nodeName } from './names';

function describeRange(spec: ParamSpec): string {
  const lo = spec.min === undefined ? '' : `${spec.minExclusive ? '>' : '≥'} ${spec.min}`;
  const hi = spec.max === undefined ? '' : `${spec.maxExclusive ? '<' : '≤'} ${spec.max}`;
  return [lo, hi].filter(Boolean).join(' and ');
}

/** Why `value` is not valid for `spec`, or null when it is. */
export function paramError(spec: ParamSpec, value: unknown): string | null {
  if (value === null) return spec.nullable ? null : 'must be set';
  switch (spec.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be on or off (true/false)';
    case 'string':
      return typeof value === 'string' ? null : 'must be text';
    case 'json':
      return null;
    case 'enum':
      if (typeof value === 'string' && spec.options?.some((o) => o.value === value)) return null;
      return `must be one of ${spec.options?.map((o) => o.value).join(', ')}`;
    case 'integer':
    case 'number': {
      if (spec.allowAuto && value === 'auto') return null;
      if (typeof value !== 'number' || !Number.isFinite(value))
        return spec.allowAuto ? "must be a finite number or 'auto'" : 'must be a finite number';
      if (spec.kind === 'integer' && !Number.isInteger(value)) return 'must be a whole number';
      const below = spec.min !== undefined && (spec.minExclusive ? value <= spec.min : value < spec.min);
      const above = spec.max !== undefined && (spec.maxExclusive ? value >= spec.max : value > spec.max);
      if (below || above)
        return `must be ${describeRange(spec)}${above && spec.maxReason ? `: ${spec.maxReason}` : ''}`;
      return null;
    }
  }
}

/** Problems with the params of one node (one per bad param). */
export function checkParams(node: GraphNode, def: NodeTypeDef): Problem[] {
  const problems: Problem[] = [];
  const params = node.params ?? {};
  for (const spec of def.params) {
    if (!Object.prototype.hasOwnProperty.call(params, spec.name)) continue;
    const value = params[spec.name];
    const why = paramError(spec, value);
    if (why !== null)
      problems.push({
        severity: 'error',
        code: 'param-invalid',
        nodeId: node.id,
        param: spec.name,
        message: `${nodeName(node, def)}: '${spec.label}' is ${JSON.stringify(value)}, but it ${why}. Change it in the inspector.`,
      });
  }
  return problems;
}
