/** How nodes and ports are named in user-facing messages: "Dense 'dense-2'", "input 'Prediction'". */
import type { GraphNode, NodeTypeDef } from './types';

/** A node as named in messages: its type label and its user label (or id), e.g. "Dense 'dense-2'". */
export function nodeName(node: GraphNode, def?: NodeTypeDef): string {
  return `${def?.label ?? node.type} '${node.label || node.id}'`;
}

/** A port as named in messages: its label (or name) in quotes, e.g. "'Prediction'". */
export function portName(def: NodeTypeDef | undefined, port: string): string {
  const spec = def?.inputs.find((p) => p.name === port) ?? def?.outputs.find((p) => p.name === port);
  return `'${spec?.label ?? port}'`;
}
