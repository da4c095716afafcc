/** How nodes and ports are named in user-facing messages: "Dense 'dense-2'", "input 'Prediction'". */
import type { GraphNode, NodeTypeDef } from './types';

export function nodeName(node: GraphNode, def?: NodeTypeDef): string {
  return `${def?.label ?? node.type} '${node.label || node.id}'`;
}

export function portName(def: NodeTypeDef | undefined, port: string): string {
  const spec = def?.inputs.find((p) => p.name === port) ?? def?.outputs.find((p) => p.name === port);
  return `'${spec?.label ?? port}'`;
}
