// A ScenarioMonitor for a scenario given as YAML lines after `guest:`, loaded through the real loader.
import { ScenarioMonitor } from '../../../src/match/scenario-monitor.js';
import { loadScenarioFile } from '../../../src/scenario/load.js';

export function monitorFor(...body: string[]): ScenarioMonitor {
  const text = ['name: t', 'guest: { kernel: k.elf }', 'timeout: 10', ...body].join('\n');
  const [doc] = loadScenarioFile({ displayPath: 'm.yaml', absolutePath: '/p/m.yaml', text });
  if (!doc?.ok) throw new Error(JSON.stringify(doc));
  return new ScenarioMonitor(doc.scenario);
}
