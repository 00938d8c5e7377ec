// npm run stability [-- RUNS]: runs the example scenarios RUNS times in a row (default 50) and reports
// every test whose verdict changed between runs. Prints `flaky_verdicts: N` last (expected 0).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const runs = Number(process.argv[2] ?? 50);
if (!Number.isInteger(runs) || runs < 2) {
  console.error('usage: npm run stability [-- RUNS]   (RUNS >= 2)');
  process.exit(2);
}
const repo = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'vitest-guest-stability-'));
/** @typedef {{ name: string, assertionResults: { fullName: string, status: string }[] }} FileReport one test file in Vitest's JSON report */

/** Test full name -> the states it had, in run order. @type {Map<string, string[]>} */
const verdicts = new Map();
try {
  for (let run = 1; run <= runs; run++) {
    const report = join(dir, `run-${run}.json`);
    const started = Date.now();
    await promisify(execFile)('node', ['node_modules/vitest/vitest.mjs', 'run', '--config', 'vitest.scenarios.config.ts', '--exclude', 'scenarios/failing/**', '--reporter=json', `--outputFile=${report}`],
      { cwd: repo, maxBuffer: 64 * 1024 * 1024 }).catch(() => undefined); // a failed test is a verdict, not an error here
    // Two expectations of a scenario may share a title: the nth of a name is its own test.
    /** @type {Map<string, number>} */
    const seen = new Map();
    /** @type {FileReport[]} */
    const files = JSON.parse(readFileSync(report, 'utf8')).testResults;
    const results = files.flatMap((file) => file.assertionResults.map((t) => {
      const name = `${file.name.slice(repo.length)} > ${t.fullName}`;
      const nth = (seen.get(name) ?? 0) + 1;
      seen.set(name, nth);
      return /** @type {const} */ ([nth > 1 ? `${name} (#${nth})` : name, t.status]);
    }));
    for (const [name, status] of results) verdicts.set(name, [...(verdicts.get(name) ?? []), status]);
    console.log(`run ${run}/${runs}: ${results.filter(([, s]) => s === 'passed').length} passed, ${results.filter(([, s]) => s !== 'passed').length} not passed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const flaky = [...verdicts].filter(([, states]) => states.length !== runs || new Set(states).size > 1);
for (const [name, states] of flaky) console.log(`changed: ${name}: ${states.join(' ')}`);
console.log(`flaky_verdicts: ${flaky.length}`);
