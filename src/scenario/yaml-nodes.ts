// Small lookups on YAML AST nodes, for positions of keys and values.
import { isMap, isScalar, type Node, type Pair } from 'yaml';

/** The value node under `key` of a YAML map node. */
export function childNode(node: unknown, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  const pair = (node.items as Pair[]).find((p) => isScalar(p.key) && p.key.value === key);
  return (pair?.value ?? undefined) as Node | undefined;
}
