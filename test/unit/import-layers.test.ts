// src/ is layered: each folder imports only its own modules and lower layers, and no modules import
// each other, directly or round a circle. This test holds every future import to that.
import { describe, test, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { importCycles, importGraph, layerViolations } from './support/import-graph.js';

/**
 * Bottom to top. A folder may import its own modules and those of lower layers; folders in one layer
 * are peers and import neither each other nor anything above. Why each stands where it does:
 */
const SRC_LAYERS: readonly (readonly string[])[] = [
  // Pure: no I/O, each unit-tested on data files.
  ['arch', 'regex'], //                   per-architecture data, the scenario regex dialect: they import nothing
  ['results'], //                         the guest's own output read as cases and crashes, and what QEMU's end means
  ['scenario'], //                        loader, schema and model: names result line formats, arch profiles, regexes
  ['symbols', 'screen', 'timeline'], //  read guest files, screens and channels in the model's terms
  ['match', 'instrumentation', 'coverage'], // decides expectations over the timeline, results, screens; the TCG plugin's records and counts; guest coverage and profiles from them
  ['report'], //                          renders timelines and verdicts (tables of timing statistics)
  // Transports: thin I/O to QEMU (process, QMP, channels), its GDB stub and the TCG plugin's socket.
  ['qemu', 'gdb', 'plugin'],
  ['debugger'], //                        a debug session: the scenario's points on the GDB transport, told to match
  ['snapshot'], //                        a machine saved and resumed: its key, manifest and store, the migration stream over QMP
  ['runner'], //                          orchestrates one run: QEMU, the debugger, the monitor
  // Adapters on top: the Vitest plugin and the CLI (the reporters and the package's entry point stand
  // above src/: test/unit/top-level-imports.test.ts).
  ['vitest', 'cli'],
];

const srcRoot = fileURLToPath(new URL('../../src/', import.meta.url));

function srcModules(): Map<string, string> {
  const paths = readdirSync(srcRoot, { recursive: true, encoding: 'utf8' }).filter((p) => p.endsWith('.ts')).sort();
  return new Map(paths.map((p) => [p, readFileSync(`${srcRoot}${p}`, 'utf8')]));
}

describe('src/ imports', () => {
  const graph = importGraph(srcModules());

  test('are read from every module (the graph is the whole of src/)', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('runner/run-scenario.ts')).toContain('qemu/launcher.ts');
  });

  test('go round no circle', () => {
    expect(importCycles(graph).map((cycle) => cycle.join(' -> '))).toEqual([]);
  });

  test('go only to the same folder or a lower layer', () => {
    expect(layerViolations(graph, SRC_LAYERS)).toEqual([]);
  });
});

describe('the import checks', () => {
  const tree = (modules: Record<string, string>): Map<string, string> => new Map(Object.entries(modules));

  test('list a circle once, from its first module round to it again, type-only and dynamic imports included', () => {
    const graph = importGraph(tree({
      'match/baseline.ts': "import { spanText } from './timing.js';",
      'match/timing.ts': "import type { BaselineLookup } from './verdict.js';",
      'match/verdict.ts': "export { x } from './baseline.js';",
      'match/self.ts': "const me = await import('./self.js');",
      'match/clear.ts': "import { spanText } from './timing.js';",
    }));
    expect(importCycles(graph)).toEqual([
      ['match/baseline.ts', 'match/timing.ts', 'match/verdict.ts', 'match/baseline.ts'],
      ['match/self.ts', 'match/self.ts'],
    ]);
  });

  test('name an import to a higher layer, to a peer, and a folder in no layer', () => {
    const graph = importGraph(tree({
      'qemu/launcher.ts': "import { killGroup } from '../runner/registry.js';\nimport { argv } from './argv.js';",
      'qemu/argv.ts': "import { read } from '../gdb/link.js';",
      'qemu/ok.ts': "import { profile } from '../arch/profiles.js';",
      'gdb/link.ts': '',
      'arch/profiles.ts': '',
      'runner/registry.ts': "import { x } from '../newcomer/x.js';",
      'newcomer/x.ts': '',
    }));
    expect(layerViolations(graph, [['arch'], ['qemu', 'gdb'], ['runner']])).toEqual([
      'newcomer is in no layer: place it in the layer list',
      'qemu/argv.ts imports gdb/link.ts: qemu and gdb are peers in one layer',
      'qemu/launcher.ts imports runner/registry.ts: qemu is below runner',
    ]);
  });

  test('refuse an import that resolves to no module, rather than leave it out', () => {
    expect(() => importGraph(tree({ 'a/b.ts': "import { c } from '../c/missing.js';" })))
      .toThrow("a/b.ts imports '../c/missing.js', which is no module of the tree (looked for c/missing.ts)");
  });
});
