// Loaded scenario documents -> the JavaScript test module Vitest runs for a YAML file.
import type { LoadedDocument } from '../scenario/load.js';
import { crashTitle, expectationTitle, exitTitle } from '../match/expectation-title.js';
import { timingTitle } from '../match/timing.js';
import { lineSourceMap, type LineSourceMap } from './line-source-map.js';
import type { MissingGuestsPolicy } from './missing-guests.js';
import { instrumentationKeys, instrumentationLocation, instrumentationTitle } from './instrumentation-tests.js';

export interface GeneratedModule {
  code: string;
  map: LineSourceMap;
}

/** Where a scenario's coverage tracefile goes: the folder, and the scenario file's path relative to the root. */
export interface CoverageFiles {
  dir: string;
  displayPath: string;
}

/**
 * One `describe` per scenario, one `test` per expectation; each line maps back to its YAML line. Each
 * scenario's runtime gets the plugin's policy for guest files that are not on disk, and where its tracefile goes.
 */
export function generateTestModule(documents: LoadedDocument[], yamlPath: string, yamlText: string, runtimeImport: string, missingGuests: MissingGuestsPolicy, coverage: CoverageFiles = { dir: 'reports/coverage', displayPath: yamlPath }): GeneratedModule {
  const lines: string[] = [];
  const origins: ({ line: number; col: number } | undefined)[] = [];
  const emit = (code: string, origin?: { line: number; col: number }): void => {
    lines.push(code);
    origins.push(origin);
  };
  emit(`import { describe, test, afterAll } from 'vitest';`);
  emit(`import { scenarioRuntime, invalidDocument } from ${JSON.stringify(runtimeImport)};`);
  documents.forEach((doc, i) => {
    if (!doc.ok) {
      emit(`describe(${JSON.stringify(doc.name)}, () => {`, doc.location);
      emit(`  test("scenario is valid", () => invalidDocument(${JSON.stringify(doc.issues)}, ${JSON.stringify(yamlPath)}));`, doc.issues[0] ?? doc.location);
      emit(`});`);
      return;
    }
    const { scenario } = doc;
    const run = `s${i}`;
    const coverageOutput = { dir: coverage.dir, name: `${coverage.displayPath.replace(/\.ya?ml$/, '')}--${scenario.name}` };
    emit(`const ${run} = scenarioRuntime(${JSON.stringify(scenario)}, ${JSON.stringify(yamlPath)}, ${JSON.stringify(missingGuests)}, ${JSON.stringify(coverageOutput)});`, scenario.location);
    emit(`describe(${JSON.stringify(scenario.name)}, ${run}.suiteOptions, () => {`, scenario.location);
    emit(`  afterAll(() => ${run}.stop());`, scenario.location);
    for (const expectation of scenario.expectations) {
      emit(`  test(${JSON.stringify(expectationTitle(expectation))}, ${run}.testOptions, (ctx) => ${run}.check(${expectation.index}, ctx));`, expectation.location);
    }
    if (scenario.exit) {
      emit(`  test(${JSON.stringify(exitTitle(scenario.exit))}, ${run}.testOptions, (ctx) => ${run}.check("exit", ctx));`, scenario.exit.location);
    }
    scenario.timing.forEach((assertion, i) => {
      emit(`  test(${JSON.stringify(timingTitle(assertion))}, ${run}.testOptions, (ctx) => ${run}.check("timing-${i}", ctx));`, assertion.location);
    });
    if (scenario.crash.kind === 'expected') {
      emit(`  test(${JSON.stringify(crashTitle(scenario.crash))}, ${run}.testOptions, (ctx) => ${run}.check("crash", ctx));`, scenario.crash.location);
    }
    for (const key of instrumentationKeys(scenario)) {
      emit(`  test(${JSON.stringify(instrumentationTitle(scenario, key))}, ${run}.testOptions, (ctx) => ${run}.check(${JSON.stringify(key)}, ctx));`, instrumentationLocation(scenario, key));
    }
    emit(`});`, scenario.location);
  });
  return { code: lines.join('\n'), map: lineSourceMap(yamlPath, yamlText, origins) };
}
