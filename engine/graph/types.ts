/**
 * Plain-data types of the Netloom model graph: nodes and edges as stored in the project file, the node-type
 * registry's shapes (ports, params), tensor shapes, the dataset facts the graph needs, and problems.
 *
 * Invariants: everything here is JSON-like data; no function in engine/graph mutates a graph. Node and
 * edge shapes are those of the project file (`engine/project`): node `{id, type, version, position,
 * params}`, edge `{id, source, sourcePort, target, targetPort}`.
 */

/** A node as stored in the project file. `params` holds only JSON values. */
export interface GraphNode {
  readonly id: string;
  /** Node type name from the registry, e.g. 'Dense', 'Activation.relu', 'Loss.cross_entropy'. */
  readonly type: string;
  /** Version of the node type's params layout (for migrations). */
  readonly version: number;
  readonly position: { readonly x: number; readonly y: number };
  /** Optional user-visible name (used in messages instead of the id). */
  readonly label?: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** A directed connection from an output port to an input port. */
export interface GraphEdge {
  readonly id: string;
  readonly source: string;
  readonly sourcePort: string;
  readonly target: string;
  readonly targetPort: string;
}

export interface Graph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/**
 * What flows along an edge. `tensor`: activations [batch, n]; `target`: the dataset's targets;
 * `initializer`: an initializer node feeding a layer's weight/bias init port; `optimizer`: an optimizer
 * feeding a loss; `schedule`: a learning-rate schedule feeding an optimizer.
 */
export type PortType = 'tensor' | 'target' | 'initializer' | 'optimizer' | 'schedule';

export interface PortSpec {
  readonly name: string;
  readonly label: string;
  readonly type: PortType;
  /** Input ports only: accepts several edges (Add, Concat). Output ports always accept many edges. */
  readonly multiple?: boolean;
  /** Input ports only: an unconnected optional port is not a problem (e.g. initializer ports). */
  readonly optional?: boolean;
  readonly description?: string;
}

export type ParamKind = 'number' | 'integer' | 'boolean' | 'enum' | 'string' | 'json';

/** One editable parameter of a node type (drives the inspector form and param validation). */
export interface ParamSpec {
  readonly name: string;
  readonly label: string;
  readonly kind: ParamKind;
  readonly default: unknown;
  /** Inclusive bounds unless `minExclusive`/`maxExclusive`. */
  readonly min?: number;
  readonly max?: number;
  /** Why `max` is the limit, and what to do instead; appended to the out-of-range message. */
  readonly maxReason?: string;
  readonly minExclusive?: boolean;
  readonly maxExclusive?: boolean;
  readonly step?: number;
  /** Slider scale hint for the inspector. */
  readonly scale?: 'linear' | 'log';
  readonly unit?: string;
  /** Allowed values for kind 'enum'. */
  readonly options?: readonly { readonly value: string; readonly label: string }[];
  /** Integer params only: the string 'auto' is also accepted (Dense units of the output layer). */
  readonly allowAuto?: boolean;
  /** The value may be null (e.g. "off"). */
  readonly nullable?: boolean;
  readonly description?: string;
}

export type PaletteGroupId =
  'data' | 'layers' | 'activations' | 'initializers' | 'losses' | 'optimizers' | 'schedules';

/** Which family a node type belongs to; the graph logic dispatches on this, never on label text. */
export type NodeFamily =
  'dataset' | 'input' | 'layer' | 'activation' | 'initializer' | 'loss' | 'optimizer' | 'schedule';

/** Registry entry for one node type. */
export interface NodeTypeDef {
  readonly type: string;
  readonly version: number;
  readonly family: NodeFamily;
  /** Key inside the source registry (activation name, initializer kind, loss name, ...). */
  readonly key: string;
  readonly group: PaletteGroupId;
  readonly label: string;
  readonly description: string;
  /** LaTeX formula when the source registry has one. */
  readonly formula?: string;
  readonly keywords?: readonly string[];
  readonly inputs: readonly PortSpec[];
  readonly outputs: readonly PortSpec[];
  readonly params: readonly ParamSpec[];
  /** Optimizers only: second-order (full-batch, deterministic) method. */
  readonly secondOrder?: boolean;
  /** Losses only: what the prediction must be, and the task the loss is for (from engine/losses). */
  readonly loss?: {
    readonly input: 'values' | 'probabilities' | 'logits';
    readonly task: 'regression' | 'binary' | 'multiclass';
  };
}

/** Facts about the imported dataset that the graph needs (from engine/data's import result). */
export interface DatasetInfo {
  /** Encoded feature width (after one-hot). */
  readonly featureWidth: number;
  readonly task: 'regression' | 'binary' | 'multiclass';
  /** Number of target columns (regression); 1 for classification. */
  readonly targetWidth: number;
  /** Number of classes (classification only). */
  readonly numClasses?: number;
  /** Rows in the training split (to tell full-batch from minibatch). */
  readonly trainRows?: number;
}

/** Context for inference and validation; everything optional so a graph without data still checks. */
export interface GraphContext {
  readonly dataset?: DatasetInfo;
  /** Training batch size; 'full' (or ≥ trainRows) means full-batch gradient descent. */
  readonly batchSize?: number | 'full';
  /**
   * 'train' (default): the graph must be trainable (loss, optimizer, data). 'predict': an exported or
   * prediction-only graph — loss, optimizer and unused-node checks are skipped.
   */
  readonly mode?: 'train' | 'predict';
}

/**
 * A tensor shape: batch dimension first (null = any batch size), then the feature width.
 * A width of null means "unknown" (e.g. 'auto' without a dataset) and silences dependent checks.
 */
export type Shape = readonly [batch: null, width: number | null];

export type Severity = 'error' | 'warning';

/** One problem found by validation. Errors block training; warnings are shown but allowed. */
export interface Problem {
  readonly severity: Severity;
  /** Stable machine-readable code, e.g. 'no-loss'. */
  readonly code: string;
  /** User-facing sentence(s): what is wrong, where, and what to do. */
  readonly message: string;
  readonly nodeId?: string;
  readonly port?: string;
  readonly edgeId?: string;
  readonly param?: string;
}
