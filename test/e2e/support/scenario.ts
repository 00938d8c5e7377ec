// Builds scenarios for end-to-end tests from YAML text, with guest paths relative to the repo.
import { join } from 'node:path';
import { loadScenarioFile } from '../../../src/scenario/load.js';
import { formatIssue } from '../../../src/scenario/issues.js';
import type { Scenario } from '../../../src/scenario/model.js';
import { REPO } from './host.js';

/** One scenario from YAML; `kernel: reference` stands for the built reference guest. */
export function scenarioFrom(yaml: string): Scenario {
  const text = yaml.replace('kernel: reference', 'kernel: guests/reference/build/x86_64/reference.elf');
  const [doc] = loadScenarioFile({ displayPath: 'inline.yaml', absolutePath: join(REPO, 'inline.yaml'), text });
  if (!doc?.ok) throw new Error(`test scenario is invalid:\n${doc?.issues.map(formatIssue).join('\n')}`);
  return doc.scenario;
}
