/** Tiny graph builder for the graph tests: nodes by type with param overrides, edges as 'node.port'. */
import { createNode } from '../../../engine/graph';
import type { Graph, GraphEdge, GraphNode } from '../../../engine/graph';

export class G implements Graph {
  nodes: GraphNode[] = [];
  edges: GraphEdge[] = [];

  node(id: string, type: string, params: Record<string, unknown> = {}): this {
    const n = createNode(type, id);
    this.nodes.push({ ...n, params: { ...n.params, ...params } });
    return this;
  }

  /** `from` = 'node.port' (output), `to` = 'node.port' (input). */
  edge(from: string, to: string, id?: string): this {
    const [source, sourcePort] = from.split('.');
    const [target, targetPort] = to.split('.');
    this.edges.push({ id: id ?? `e${this.edges.length + 1}`, source, sourcePort, target, targetPort });
    return this;
  }

  /** A chain of tensor nodes: each node's 'out' (or a Dataset's 'features') into the next one's 'in'. */
  chain(...ids: string[]): this {
    for (let i = 0; i + 1 < ids.length; i++) {
      const src = this.nodes.find((n) => n.id === ids[i])!;
      this.edge(`${ids[i]}.${src.type === 'Dataset' ? 'features' : 'out'}`, `${ids[i + 1]}.in`);
    }
    return this;
  }
}

/**
 * A complete classifier: Dataset → Dense(h) → ReLU → Dense(out) → [Softmax] → Loss ← Adam, targets → loss.
 */
export function classifier(
  opts: {
    hidden?: number;
    out?: number | 'auto';
    softmax?: boolean;
    loss?: string;
    fromLogits?: boolean;
  } = {},
): G {
  const g = new G()
    .node('data', 'Dataset')
    .node('h1', 'Dense', { units: opts.hidden ?? 8 })
    .node('act', 'Activation.relu')
    .node('out', 'Dense', { units: opts.out ?? 'auto' })
    // from logits: the '<loss>_logits' variant of engine/losses (BCE or cross-entropy)
    .node('loss', `${opts.loss ?? 'Loss.cross_entropy'}${opts.fromLogits ? '_logits' : ''}`)
    .node('opt', 'Optimizer.adam')
    .chain('data', 'h1', 'act', 'out');
  if (opts.softmax ?? true)
    g.node('sm', 'Activation.softmax').chain('out', 'sm').edge('sm.out', 'loss.prediction');
  else g.edge('out.out', 'loss.prediction');
  return g.edge('data.targets', 'loss.target').edge('opt.optimizer', 'loss.optimizer');
}
