/**
 * Parameter trees: a Tensor, an array of trees, or a plain object of trees (like JAX
 * pytrees). Differentiation functions accept a tree and return gradients in the same shape.
 */
import { Tensor } from '../tensor/tensor';

export type Tree = Tensor | readonly Tree[] | { readonly [key: string]: Tree };

/** Leaves in a fixed order (depth first, object keys in insertion order). */
export function flattenTree(tree: Tree, out: Tensor[] = []): Tensor[] {
  if (tree instanceof Tensor) out.push(tree);
  else if (Array.isArray(tree)) for (const t of tree as readonly Tree[]) flattenTree(t, out);
  else if (tree !== null && typeof tree === 'object')
    for (const k of Object.keys(tree)) flattenTree((tree as Record<string, Tree>)[k], out);
  else throw new TypeError(`parameter tree: expected Tensor, array or plain object, got ${String(tree)}`);
  return out;
}

/** Rebuilds `like`'s structure with `leaves` (in flattenTree order). */
export function unflattenTree<P extends Tree>(like: P, leaves: readonly Tensor[]): P {
  let i = 0;
  const build = (t: Tree): Tree => {
    if (t instanceof Tensor) return leaves[i++];
    if (Array.isArray(t)) return (t as readonly Tree[]).map(build);
    const o: Record<string, Tree> = {};
    for (const k of Object.keys(t)) o[k] = build((t as Record<string, Tree>)[k]);
    return o;
  };
  return build(like) as P;
}
