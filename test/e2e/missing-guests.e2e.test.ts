// The plugin's missingGuests option on a scenario whose kernel and initrd were never fetched, beside one
// that runs: skipped with the reason outside CI, failed with the same reason in CI (the project's rule).
import { describe, test, expect, beforeAll } from 'vitest';
import { join } from 'node:path';
import { REPO, requireQemuAndGuest } from './support/host.js';
import { spawnVitest, uktestLines } from './support/run-vitest.js';

beforeAll(requireQemuAndGuest);

const CONFIG = 'test/fixtures/e2e/missing-guests/vitest.config.ts';
const FOLDER = join(REPO, 'test/fixtures/e2e/missing-guests');
const REASON = `guest files not found: guest.kernel ${FOLDER}/no-such-cache/vmlinuz, guest.initrd ${FOLDER}/no-such-cache/initrd.img. Fetch them with \`bash scripts/setup.sh\`.`;

const run = async (ci: string, args: string[] = []) => {
  const result = await spawnVitest(args, { CI: ci }, CONFIG);
  return { exitCode: result.exitCode, plain: result.all.replace(/\u001b\[[0-9;]*m/g, '') };
};

describe('missingGuests', () => {
  test("'skip' (CI unset): the scenario's tests are skipped, its reason said once on stderr; the other scenario runs", async () => {
    const { exitCode, plain } = await run('');
    expect(exitCode, plain).toBe(0);
    expect(plain.split(`vitest-guest: skipped scenario "never-fetched": ${REASON}`)).toHaveLength(2);
    expect(uktestLines(plain)).toEqual(['test: present->console "hello" ..... PASSED', 'test: present->exit debug-exit 0 (status 1) ..... PASSED', '2 passed, 0 failed, 2 skipped']);
    // The symbols file is there: only what is missing is named.
    expect(plain).not.toContain('guest.symbols');
  });

  test("'skip' puts the reason in the skipped tests' note, shown by the verbose reporter", async () => {
    const { plain } = await run('', ['--reporter=verbose']);
    expect(plain).toMatch(/↓ \S+guests\.yaml:10:5 > never-fetched > console "Linux version" \d+ms \[guest files not found: /);
    expect(plain).toContain(`[${REASON}]`);
  });

  test("'fail' (CI set): each of the scenario's tests fails with the reason", async () => {
    const { exitCode, plain } = await run('true');
    expect(exitCode).toBe(1);
    const report = uktestLines(plain).join('\n');
    for (const [title, line] of [['console "Linux version"', 10], ['exit debug-exit 0 (status 1)', 8]] as const) {
      expect(report).toContain(`test: never-fetched->${title} ..... FAILED\n: in test/fixtures/e2e/missing-guests/guests.yaml:${line}\n: ${REASON}`);
    }
    // The error itself points at the scenario, whose guest: names the files.
    expect(plain).toContain('❯ test/fixtures/e2e/missing-guests/guests.yaml:2:1');
    expect(report).toContain('test: present->console "hello" ..... PASSED');
    expect(uktestLines(plain).at(-1)).toBe('2 passed, 2 failed');
    expect(plain).not.toContain('vitest-guest: skipped');
  });
});
