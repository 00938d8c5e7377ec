// The relative imports between a tree of TypeScript modules, and the two ways they can run against a
// layering: circles, and imports from a lower layer to a higher one.
import { posix } from 'node:path';
import ts from 'typescript';

/** Module path (relative to the tree's root, e.g. `match/timing.ts`) -> the modules it imports. */
export type ImportGraph = Map<string, string[]>;

/**
 * Reads each module's imports, static, type-only and dynamic, re-exports included. A relative import
 * names the compiled `.js` file; it resolves to the `.ts` source beside it. One that resolves to no
 * module of the tree is thrown: a graph that silently lacks an edge would let a violation pass.
 */
export function importGraph(sources: ReadonlyMap<string, string>): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const [path, text] of sources) {
    const imported = ts.preProcessFile(text, true, true).importedFiles
      .map((f) => f.fileName)
      .filter((name) => name.startsWith('.'))
      .map((name) => {
        const target = posix.normalize(posix.join(posix.dirname(path), name)).replace(/\.js$/, '.ts');
        if (!sources.has(target)) throw new Error(`${path} imports '${name}', which is no module of the tree (looked for ${target})`);
        return target;
      });
    graph.set(path, [...new Set(imported)]);
  }
  return graph;
}

/** Every import circle, each as the path that goes round it once, starting at its first module by name. */
export function importCycles(graph: ImportGraph): string[][] {
  return stronglyConnected(graph)
    .filter((component) => component.length > 1 || graph.get(component[0]!)!.includes(component[0]!))
    .map((component) => cycleThrough(graph, component.sort()))
    .sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/**
 * A module's layer is its top folder's (or, for a module at the root, its own name's) index in
 * `layers`. It may import its own folder and lower layers: not a higher layer, nor a peer folder of its
 * own layer. A folder in no layer is reported too, so a new one has to be placed.
 */
export function layerViolations(graph: ImportGraph, layers: readonly (readonly string[])[]): string[] {
  const rank = new Map(layers.flatMap((names, i) => names.map((name) => [name, i] as const)));
  const unplaced = new Set<string>();
  const upward: string[] = [];
  for (const [from, targets] of graph) {
    const fromUnit = unitOf(from);
    if (!rank.has(fromUnit)) unplaced.add(fromUnit);
    for (const to of targets) {
      const toUnit = unitOf(to);
      if (toUnit === fromUnit || !rank.has(fromUnit) || !rank.has(toUnit)) continue;
      const [fromRank, toRank] = [rank.get(fromUnit)!, rank.get(toUnit)!];
      if (toRank > fromRank) upward.push(`${from} imports ${to}: ${fromUnit} is below ${toUnit}`);
      else if (toRank === fromRank) upward.push(`${from} imports ${to}: ${fromUnit} and ${toUnit} are peers in one layer`);
    }
  }
  return [...[...unplaced].sort().map((unit) => `${unit} is in no layer: place it in the layer list`), ...upward.sort()];
}

function unitOf(path: string): string {
  return path.split('/')[0]!;
}

/** Tarjan's algorithm. */
function stronglyConnected(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      components.push(component);
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return components;
}

/** The shortest way from the component's first module back to itself, inside the component. */
function cycleThrough(graph: ImportGraph, component: string[]): string[] {
  const start = component[0]!;
  const inside = new Set(component);
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of graph.get(node)!) {
      if (next === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(cameFrom.get(path[0]!)!);
        return [...path, start];
      }
      if (inside.has(next) && !cameFrom.has(next)) {
        cameFrom.set(next, node);
        queue.push(next);
      }
    }
  }
  throw new Error(`no circle through ${start}, though it is in a strongly connected component`);
}
