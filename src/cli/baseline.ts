// `vitest-guest baseline FILE`: boots each scenario of a file N times and records its timing figures in
// the baseline file beside it, for `baseline:` limits to compare with. Commit the file with the scenarios.
import { readFile, writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { isScenarioNamed, readScenarioFile } from './scenario-file.js';
import { formatIssue } from '../scenario/issues.js';
import { parseBaselineFile, recordBaselines, type BaselineFile } from '../match/baseline.js';
import { runRepeated } from '../runner/run-repeated.js';
import type { RunResult } from '../runner/run-scenario.js';

export interface BaselineOptions {
  file: string;
  scenario?: string;
  runs: number;
}

export async function baselineCommand(options: BaselineOptions, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const documents = await readScenarioFile(options.file, err);
  if (!documents) return 2;
  const invalid = documents.flatMap((doc) => (doc.ok ? [] : doc.issues));
  if (invalid.length > 0) {
    invalid.forEach((issue) => err(formatIssue(issue)));
    return 2;
  }
  const scenarios = documents.flatMap((doc) => (doc.ok && doc.scenario.timing.length > 0 && (!options.scenario || isScenarioNamed(doc.scenario, options.scenario)) ? [doc.scenario] : []));
  if (scenarios.length === 0) {
    err(`vitest-guest: ${options.file} has no scenario${options.scenario ? ` named "${options.scenario}"` : ''} with timing assertions to record.`);
    return 2;
  }
  const baselineFile = scenarios[0]!.baselineFile;
  const shown = relative(process.cwd(), baselineFile);
  let file: BaselineFile | undefined;
  try {
    file = parseBaselineFile(await readFile(baselineFile, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      err(`vitest-guest: ${shown}: ${(error as Error).message}; move it away to record a new one.`);
      return 2;
    }
  }
  for (const scenario of scenarios) {
    const result = await runRepeated({ ...scenario, repeat: options.runs });
    const failure = failedVerdict(result);
    if (failure) {
      err(`vitest-guest: ${scenario.name}: ${failure}; a baseline is taken from runs that pass (timing limits aside).`);
      return 1;
    }
    try {
      file = recordBaselines(file, scenario, result.runs!.map((r) => r.timingMeasurements), new Date());
    } catch (error) {
      err(`vitest-guest: ${scenario.name}: ${(error as Error).message}`);
      return 1;
    }
    for (const [key, figure] of Object.entries(file.scenarios[scenario.name]!)) {
      out(`${scenario.name}: ${key}: ${figure.statistic} of ${figure.runs} runs ${figure.ms.toFixed(1)} ms, spread ${figure.spread[0].toFixed(1)}-${figure.spread[1].toFixed(1)} ms (${figure.clock} clock)`);
    }
  }
  await writeFile(baselineFile, `${JSON.stringify(file, null, 2)}\n`);
  out(`wrote ${shown}`);
  return 0;
}

/** The first failed expectation, exit or crash verdict of the runs; timing limits do not count. */
function failedVerdict(result: RunResult): string | undefined {
  for (const verdict of [...result.verdicts, result.exitVerdict, result.crashVerdict]) {
    if (verdict.status === 'failed') return verdict.reason;
  }
  return undefined;
}
