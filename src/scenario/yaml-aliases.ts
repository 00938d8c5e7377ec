// Aliases checked before a document is read. yaml leaves an alias to no anchor in the tree and only throws,
// with no position, when the document is converted to plain values; and aliases of aliases can expand a
// small file into billions of nodes. Both are found here in one pass, at the alias that causes them.
import { isAlias, isMap, isPair, isSeq, visit, type Alias, type Document, type Node } from 'yaml';

/** Nodes that aliases may add to a document; far beyond any scenario, far below what would stall a run. */
export const MAX_ALIAS_EXPANSION = 100_000;

export interface AliasProblem {
  alias: Alias;
  message: string;
  hint: string;
}

export interface DocumentAliases {
  /** Each alias with the node it names, read in one walk of the document. */
  targets: ReadonlyMap<Alias, Node | undefined>;
  /** The first alias that names no anchor before it, holds itself, or expands without bound. */
  problem: AliasProblem | undefined;
}

export function readAliases(doc: Document): DocumentAliases {
  const targets = aliasTargets(doc);
  return { targets, problem: findAliasProblem(doc.contents, targets) };
}

function findAliasProblem(contents: unknown, targets: ReadonlyMap<Alias, Node | undefined>): AliasProblem | undefined {
  for (const [alias, target] of targets) {
    if (!target) {
      return {
        alias,
        message: `alias *${alias.source} refers to no anchor: no value marked &${alias.source} comes before it in this document.`,
        hint: `Mark a value above it with &${alias.source} (anchors do not carry across "---"), or write the value here.`,
      };
    }
  }
  const sizes = new Map<Node, number>();
  const open = new Set<Node>();
  let added = 0;
  let problem: AliasProblem | undefined;
  const sizeOf = (node: unknown): number => {
    if (problem || node === null || typeof node !== 'object') return 0;
    if (isAlias(node)) {
      const target = targets.get(node)!;
      if (open.has(target)) {
        problem = { alias: node, message: `alias *${node.source} is inside the value it refers to: that value would be infinite.`, hint: 'Refer to a value from outside it.' };
        return 0;
      }
      const size = sizeOf(target);
      added += size;
      if (added > MAX_ALIAS_EXPANSION && !problem) {
        problem = { alias: node, message: `aliases expand this document to over ${MAX_ALIAS_EXPANSION} more values.`, hint: 'Write the values out, or use fewer aliases of aliases.' };
      }
      return size;
    }
    const known = sizes.get(node as Node);
    if (known !== undefined) return known;
    open.add(node as Node);
    let size = 1;
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items) size += isPair(item) ? sizeOf(item.key) + sizeOf(item.value) : sizeOf(item);
    }
    open.delete(node as Node);
    sizes.set(node as Node, size);
    return size;
  };
  sizeOf(contents);
  return problem;
}

/** Each alias with the node it names: the last one anchored under that name before it, as yaml resolves it. */
function aliasTargets(doc: Document): Map<Alias, Node | undefined> {
  const anchored = new Map<string, Node>();
  const targets = new Map<Alias, Node | undefined>();
  visit(doc, {
    Node: (_key, node) => {
      if (isAlias(node)) targets.set(node, anchored.get(node.source));
      else if (node.anchor) anchored.set(node.anchor, node);
    },
  });
  return targets;
}
