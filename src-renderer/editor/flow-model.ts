/**
 * From the project graph and its validation to what the canvas draws (framework-free):
 * per node its title, type, key parameters, ports (with port types, for colours) and output shape,
 * and a problem badge; per edge its ports, port type and, for tensor/target edges, its shape label.
 *
 * Invariants: pure; `NodeView` objects are reused when neither the graph node nor the analysis
 * changed (ViewCache), so a drag re-renders only the dragged nodes.
 */
import {
  formatShape,
  getNodeType,
  paramValue,
  type Graph,
  type GraphNode,
  type PaletteGroupId,
  type PortType,
  type Problem,
  type ValidationResult,
} from '../../engine/graph';

export interface PortView {
  readonly name: string;
  readonly label: string;
  readonly type: PortType;
  readonly optional: boolean;
  /** Output ports: the inferred shape text, e.g. '[batch, 16]'. */
  readonly shape?: string;
}

export interface NodeView extends Record<string, unknown> {
  readonly nodeType: string;
  readonly title: string;
  readonly typeLabel: string;
  readonly group: PaletteGroupId;
  readonly known: boolean;
  readonly inputs: readonly PortView[];
  readonly outputs: readonly PortView[];
  /** Short summary of the key parameters, e.g. 'units 16 · bias'. */
  readonly keyParams: string;
  /** Shape of the main tensor output, or null. */
  readonly outShape: string | null;
  readonly errors: number;
  readonly warnings: number;
  /** First problem's message (badge tooltip). */
  readonly firstProblem: string | null;
}

function fmt(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(+v.toPrecision(3));
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'string') return v.length > 18 ? `${v.slice(0, 17)}…` : v;
  return '…';
}

/** Key parameters of a node, at most three, skipping JSON blobs. */
export function keyParamsText(node: GraphNode): string {
  const def = getNodeType(node.type);
  if (!def) return '';
  const parts: string[] = [];
  for (const spec of def.params) {
    if (spec.kind === 'json') continue;
    const v = paramValue(node, spec);
    if (spec.name === 'clipNorm' || spec.name === 'clipValue' || spec.name === 'l1' || spec.name === 'l2') {
      if (v === 0 || v === null) continue;
    }
    parts.push(
      spec.kind === 'boolean'
        ? v
          ? spec.label.toLowerCase()
          : `no ${spec.label.toLowerCase()}`
        : `${spec.name} ${fmt(v)}`,
    );
    if (parts.length === 3) break;
  }
  return parts.join(' · ');
}

/** Node view of `node` under `analysis`. */
export function nodeView(
  node: GraphNode,
  analysis: ValidationResult,
  problems: readonly Problem[],
): NodeView {
  const def = getNodeType(node.type);
  const outShapes = analysis.shapes.outputShapes.get(node.id);
  const outputs: PortView[] = (def?.outputs ?? []).map((p) => {
    const s = outShapes?.get(p.name);
    return {
      name: p.name,
      label: p.label,
      type: p.type,
      optional: false,
      ...(s ? { shape: formatShape(s) } : {}),
    };
  });
  const mainOut = outputs.find((p) => p.type === 'tensor' && p.shape);
  const errors = problems.filter((p) => p.severity === 'error').length;
  return {
    nodeType: node.type,
    title: node.label ?? def?.label ?? node.type,
    typeLabel: def ? (node.label ? def.label : def.type) : 'unknown type',
    group: def?.group ?? 'data',
    known: !!def,
    inputs: (def?.inputs ?? []).map((p) => ({
      name: p.name,
      label: p.label,
      type: p.type,
      optional: !!p.optional,
    })),
    outputs,
    keyParams: keyParamsText(node),
    outShape: mainOut?.shape ?? null,
    errors,
    warnings: problems.length - errors,
    firstProblem: problems[0]?.message ?? null,
  };
}

/** Problems grouped by node id. */
export function problemsByNode(problems: readonly Problem[]): Map<string, Problem[]> {
  const m = new Map<string, Problem[]>();
  for (const p of problems) {
    if (!p.nodeId) continue;
    const list = m.get(p.nodeId);
    if (list) list.push(p);
    else m.set(p.nodeId, [p]);
  }
  return m;
}

/** Reuses a node's view while its graph node and the analysis are the same objects. */
export class ViewCache {
  #cache = new Map<string, { node: GraphNode; analysis: ValidationResult; view: NodeView }>();

  views(graph: Graph, analysis: ValidationResult): Map<string, NodeView> {
    const byNode = problemsByNode(analysis.problems);
    const out = new Map<string, NodeView>();
    const next = new Map<string, { node: GraphNode; analysis: ValidationResult; view: NodeView }>();
    for (const n of graph.nodes) {
      const hit = this.#cache.get(n.id);
      // Position-only changes keep the view: compare everything but the position.
      const same =
        hit &&
        hit.analysis === analysis &&
        hit.node.type === n.type &&
        hit.node.params === n.params &&
        hit.node.label === n.label;
      const view = same ? hit.view : nodeView(n, analysis, byNode.get(n.id) ?? []);
      next.set(n.id, { node: n, analysis, view });
      out.set(n.id, view);
    }
    this.#cache = next;
    return out;
  }
}

/**
 * True when `next` differs from `prev` in anything validation reads (not positions): edges, node ids,
 * types, params or labels. Lets a drag skip re-validating on every frame.
 */
export function structureChanged(prev: Graph | null, next: Graph): boolean {
  if (!prev || prev.edges !== next.edges || prev.nodes.length !== next.nodes.length) return true;
  for (let i = 0; i < next.nodes.length; i++) {
    const a = prev.nodes[i];
    const b = next.nodes[i];
    if (a !== b && (a.id !== b.id || a.type !== b.type || a.params !== b.params || a.label !== b.label))
      return true;
  }
  return false;
}

/** Port type of an edge (from its source port), or null for an unknown node/port. */
export function edgePortType(graph: Graph, source: string, sourcePort: string): PortType | null {
  const n = graph.nodes.find((x) => x.id === source);
  return getNodeType(n?.type ?? '')?.outputs.find((p) => p.name === sourcePort)?.type ?? null;
}

/**
 * Port type of every edge whose source node and port exist, by edge id: one pass over the nodes and
 * one over the edges (edgePortType per edge would scan the nodes once per edge).
 */
export function edgePortTypes(graph: Graph): Map<string, PortType> {
  const typeOf = new Map<string, string>();
  for (const n of graph.nodes) typeOf.set(n.id, n.type);
  const out = new Map<string, PortType>();
  for (const e of graph.edges) {
    const t = getNodeType(typeOf.get(e.source) ?? '')?.outputs.find((p) => p.name === e.sourcePort)?.type;
    if (t) out.set(e.id, t);
  }
  return out;
}
