// Loads one scenario document from a fixed head of YAML lines plus the lines a test gives, through the real loader.
import { loadScenarioFile, type LoadedDocument } from '../../../src/scenario/load.js';
import type { ScenarioIssue } from '../../../src/scenario/issues.js';
import type { Scenario } from '../../../src/scenario/model.js';

export function oneScenario(file: string, head: string[]) {
  const load = (...body: string[]): LoadedDocument =>
    loadScenarioFile({ displayPath: file, absolutePath: `/p/${file}`, text: [...head, ...body].join('\n') })[0]!;
  return {
    load,
    /** The scenario, which must load without issues. */
    ok(...body: string[]): Scenario {
      const doc = load(...body);
      if (!doc.ok) throw new Error(JSON.stringify(doc.issues));
      return doc.scenario;
    },
    /** The first issue of a document that must not load. */
    issue(...body: string[]): ScenarioIssue {
      const doc = load(...body);
      if (doc.ok) throw new Error(`loaded without issues: ${body.join(' | ')}`);
      return doc.issues[0]!;
    },
  };
}
