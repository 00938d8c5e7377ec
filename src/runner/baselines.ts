// Reads the baseline file a scenario's `baseline:` limits compare with (only when one has such a limit).
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import type { Scenario } from '../scenario/model.js';
import { lookupBaselines, parseBaselineFile, type BaselineFile, type BaselineLookup } from '../match/baseline.js';

export async function loadBaselines(scenario: Pick<Scenario, 'name' | 'timing' | 'baselineFile' | 'location'>): Promise<(BaselineLookup | undefined)[]> {
  if (!scenario.timing.some((a) => a.baselinePercent !== undefined)) return scenario.timing.map(() => undefined);
  const shown = relative(process.cwd(), scenario.baselineFile);
  const file = await readFile(scenario.baselineFile, 'utf8').then(
    (text): BaselineFile | { unreadable: string } => {
      try {
        return parseBaselineFile(text);
      } catch (error) {
        return { unreadable: `${shown} is not a baseline file: ${(error as Error).message}` };
      }
    },
    (error: NodeJS.ErrnoException) => ({ unreadable: error.code === 'ENOENT' ? `there is no baseline file ${shown}` : `cannot read ${shown}: ${error.message}` }),
  );
  return lookupBaselines(scenario, file, `npx vitest-guest baseline ${scenario.location.file}`);
}
