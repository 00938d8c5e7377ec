// A scenario file named on the command line, read and loaded; a file that cannot be read is said on stderr.
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { loadScenarioFile, type LoadedDocument } from '../scenario/load.js';
import type { Scenario } from '../scenario/model.js';

/** Its documents, or undefined (after saying why) when the file cannot be read. */
export async function readScenarioFile(file: string, err: (line: string) => void): Promise<LoadedDocument[] | undefined> {
  const absolutePath = resolve(file);
  const text = await readFile(absolutePath, 'utf8').catch((error: Error) => {
    err(`vitest-guest: cannot read ${file}: ${error.message}`);
    return undefined;
  });
  if (text === undefined) return undefined;
  return loadScenarioFile({ displayPath: relative(process.cwd(), absolutePath), absolutePath, text });
}

/** `--scenario NAME`: the scenario of that name, or each run of a matrix of that name (`NAME (arch)`). */
export function isScenarioNamed(scenario: Pick<Scenario, 'name' | 'machine'>, name: string): boolean {
  return scenario.name === name || scenario.name === `${name} (${scenario.machine.arch})`;
}
