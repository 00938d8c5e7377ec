// Above src/'s own layers: the reporters adapt src/ to Vitest, and the package's entry point re-exports
// both. src/ must not import the reporters, nor they the entry point; this test holds the top level to it.
import { describe, test, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { importCycles, importGraph, layerViolations } from './support/import-graph.js';

/** Bottom to top, each named by its top-level folder or file. */
const TOP_LAYERS: readonly (readonly string[])[] = [['src'], ['reporters'], ['index.ts']];

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

function packageModules(): Map<string, string> {
  const paths = ['src', 'reporters'].flatMap((dir) => readdirSync(`${repoRoot}${dir}`, { recursive: true, encoding: 'utf8' })
    .filter((p) => p.endsWith('.ts')).map((p) => `${dir}/${p}`));
  return new Map([...paths, 'index.ts'].sort().map((p) => [p, readFileSync(`${repoRoot}${p}`, 'utf8')]));
}

describe('the package modules (src/, reporters/, index.ts)', () => {
  const graph = importGraph(packageModules());

  test('are read with the imports between the top-level folders', () => {
    expect(graph.get('reporters/uktest-reporter.ts')).toContain('src/report/uktest-lines.ts');
    expect(graph.get('index.ts')).toEqual(expect.arrayContaining(['src/vitest/plugin.ts', 'reporters/timeline-reporter.ts']));
  });

  test('go round no circle', () => {
    expect(importCycles(graph).map((cycle) => cycle.join(' -> '))).toEqual([]);
  });

  test('import downward only: reporters/ imports src/, index.ts both, src/ neither', () => {
    expect(layerViolations(graph, TOP_LAYERS)).toEqual([]);
  });
});
