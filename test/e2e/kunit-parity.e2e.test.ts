// The KUnit kernel (guests/kunit/build.sh) booted once through the runner with a fault that fails one
// case: vitest-guest's verdicts equal those of kunit.py's own parser (`kunit.py parse`, from the same
// source tree) on the very bytes the run read from the console, case by case and suite by suite.
import { describe, test, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runScenario } from '../../src/runner/run-scenario.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import type { CaseStatus } from '../../src/results/guest-case.js';
import { isolateRuns } from './support/isolated-runs.js';
import { REPO } from './support/host.js';

isolateRuns('kunit');

const SCENARIO_FILE = join(REPO, 'scenarios/real/kunit.yaml');
const SCENARIO_NAME = 'fault-fails-a-case';
const BUILD = join(REPO, 'guests/kunit/build');
const KUNIT_PY = join(BUILD, 'source/tools/testing/kunit/kunit.py');
const NEEDED = [join(BUILD, 'bzImage'), join(BUILD, 'System.map'), KUNIT_PY];

type Verdict = 'passed' | 'failed' | 'crashed' | 'skipped';

/** A node of kunit.py's --json tree: suites and parameterised cases are groups, the rest are cases. */
interface JsonGroup {
  name: string;
  sub_groups: JsonGroup[];
  test_cases: { name: string; status: 'PASS' | 'FAIL' | 'SKIP' | 'ERROR' }[];
}

const JSON_VERDICTS = { PASS: 'passed', FAIL: 'failed', SKIP: 'skipped', ERROR: 'crashed' } as const;
const TEXT_VERDICTS: Record<string, Verdict> = { PASSED: 'passed', FAILED: 'failed', SKIPPED: 'skipped', CRASHED: 'crashed' };

/** Every case as `group->case` (group: the innermost suite or parameterised case, as vitest-guest names it). */
function jsonCases(group: JsonGroup, into: Map<string, Verdict>): Map<string, Verdict> {
  for (const c of group.test_cases) into.set(`${group.name}->${c.name}`, JSON_VERDICTS[c.status]);
  for (const sub of group.sub_groups) jsonCases(sub, into);
  return into;
}

/** A group and the groups nested in it (parameterised cases, whose values are vitest-guest's cases). */
function groupsIn(group: JsonGroup): JsonGroup[] {
  return [group, ...group.sub_groups.flatMap(groupsIn)];
}

/** As kunit_parser bubbles results up: a crash wins, then a failure; a group of skipped cases is skipped. */
function aggregate(statuses: CaseStatus[]): Verdict {
  for (const worst of ['crashed', 'failed'] as const) if (statuses.includes(worst)) return worst;
  return statuses.every((s) => s === 'skipped') ? 'skipped' : 'passed';
}

describe('the KUnit kernel against kunit.py', () => {
  test("every case's and every suite's verdict equals kunit.py parse's on the same console log", async (context) => {
    const missing = NEEDED.filter((file) => !existsSync(file));
    if (missing.length > 0) {
      const what = `missing ${missing.join(', ')}: run bash guests/kunit/build.sh (bash scripts/setup.sh does; ~10 min the first time)`;
      // In CI the kernel is built by the setup step: its absence is a failure, never a skip.
      if (process.env.CI) throw new Error(`the KUnit kernel is ${what}`);
      context.skip(what);
    }
    const docs = loadScenarioFile({ displayPath: 'scenarios/real/kunit.yaml', absolutePath: SCENARIO_FILE, text: readFileSync(SCENARIO_FILE, 'utf8') });
    const doc = docs.find((d) => d.ok && d.scenario.name === SCENARIO_NAME);
    if (!doc?.ok) throw new Error(`scenarios/real/kunit.yaml has no valid scenario ${SCENARIO_NAME}`);

    const chunks: Buffer[] = [];
    const result = await runScenario(doc.scenario, { onOutput: (channel, chunk) => { if (channel === 'console') chunks.push(chunk); } });
    expect([...result.verdicts, result.exitVerdict].filter((v) => v.status !== 'passed')).toEqual([]);

    const work = mkdtempSync(join(tmpdir(), 'vg-kunit-parity-'));
    try {
      const log = join(work, 'console.log');
      const json = join(work, 'results.json');
      writeFileSync(log, Buffer.concat(chunks));
      // kunit.py parse exits 1 when a case failed (the fault makes one): its output says what it parsed.
      const parsed = await promisify(execFile)('python3', [KUNIT_PY, 'parse', `--json=${json}`, log], { cwd: join(BUILD, 'source'), maxBuffer: 16 << 20 })
        .catch((error: { code?: number; stdout?: string; stderr?: string }) => {
          if (error.code !== 1 || typeof error.stdout !== 'string') throw error;
          return { stdout: error.stdout, stderr: error.stderr ?? '' };
        });
      const tree = JSON.parse(readFileSync(json, 'utf8')) as JsonGroup;

      // Cases: the same names, in the same order, with the same verdicts.
      const theirs = jsonCases(tree, new Map());
      const ours = new Map(result.cases.filter((c) => c.format === 'ktap').map((c) => [`${c.suite}->${c.case}`, c.status]));
      expect(result.droppedCases).toBe(0);
      expect(theirs.size).toBe(225);
      expect([...ours]).toEqual([...theirs]);
      expect([...ours.values()].filter((s) => s === 'failed')).toHaveLength(1);

      // Suites: kunit.py prints each one's verdict in its footer (`==== [FAILED] linear-ranges-test ====`);
      // vitest-guest's is what its cases in that suite (and in its parameterised cases) add up to.
      const footers = new Map<string, Verdict>();
      for (const line of parsed.stdout.split('\n')) {
        const footer = /^\[[\d:]+\] =+ \[(PASSED|FAILED|SKIPPED|CRASHED)\] (.+?) =+$/.exec(line);
        if (footer) footers.set(footer[2]!, TEXT_VERDICTS[footer[1]!]!);
      }
      expect(tree.sub_groups).toHaveLength(22);
      const groups = tree.sub_groups.flatMap(groupsIn);
      const verdicts = (of: (group: JsonGroup) => Verdict | undefined) => groups.map((group) => `${group.name}: ${of(group)}`);
      const ourVerdict = (group: JsonGroup): Verdict => {
        const names = new Set(groupsIn(group).map((g) => g.name));
        return aggregate(result.cases.filter((c) => c.format === 'ktap' && names.has(c.suite)).map((c) => c.status));
      };
      expect(verdicts(ourVerdict)).toEqual(verdicts((group) => footers.get(group.name)));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 180_000);
});
