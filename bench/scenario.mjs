// A scenario a benchmark writes, loaded as the runner loads a scenario file.
import { join } from 'node:path';
import { loadScenarioFile } from '../dist/src/scenario/load.js';

/**
 * @param {string} fileName what the scenario is called in errors, as if it were a file in the cwd
 * @param {string} yaml one scenario document
 * @returns {import('../dist/src/scenario/model.js').Scenario}
 */
export function benchScenario(fileName, yaml) {
  const [doc] = loadScenarioFile({ displayPath: fileName, absolutePath: join(process.cwd(), fileName), text: yaml });
  if (doc?.ok !== true) throw new Error(`bench: ${fileName} is no scenario: ${JSON.stringify(doc?.issues ?? 'no document in it')}`);
  return doc.scenario;
}
