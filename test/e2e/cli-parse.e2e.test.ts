// `vitest-guest parse`: the built CLI on the golden logs, on a console log captured live from the reference
// guest, on a log too big to hold in its heap, and on bad input.
import { describe, test, expect, beforeAll, afterAll } from 'vitest';
import { execa } from 'execa';
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, REFERENCE_KERNEL, requireQemuAndGuest } from './support/host.js';

const CLI = join(REPO, 'bin/vitest-guest.js');
const FIXTURES = join(REPO, 'test/fixtures/results');
const cli = (args: string[], nodeArgs: string[] = []) => execa('node', [...nodeArgs, CLI, ...args], { cwd: REPO, reject: false });
const expectedJson = (log: string): unknown => JSON.parse(readFileSync(join(FIXTURES, log.replace(/\.log$/, '.expected.json')), 'utf8'));

// Logs written by the tests below (one is 64 MB): removed at the end.
const WORKDIR = mkdtempSync(join(tmpdir(), 'vg-parse-'));

beforeAll(() => {
  if (!existsSync(join(REPO, 'dist/src/cli/parse.js'))) throw new Error('dist/src/cli/parse.js is missing: run `npm run build` (npm test does it).');
});

afterAll(() => rmSync(WORKDIR, { recursive: true, force: true }));

describe('vitest-guest parse', () => {
  test.each(readdirSync(FIXTURES).filter((f) => f.endsWith('.log')).sort())('--json on %s prints its golden JSON', async (log) => {
    const { stdout } = await cli(['parse', join(FIXTURES, log), '--json']);
    expect(JSON.parse(stdout)).toEqual(expectedJson(log));
  });

  test('uktest-style lines, failure details and the closing count; exit 1 on a failure', async () => {
    const { stdout, stderr, exitCode } = await cli(['parse', 'test/fixtures/results/reference-uktest-fail.log']);
    expect(stdout.split('\n')).toEqual([
      'test: ref_arith_testsuite->test_add ..... PASSED',
      'test: ref_arith_testsuite->test_mul ..... PASSED',
      'test: ref_arith_testsuite->test_shift ..... PASSED',
      'test: ref_io_testsuite->test_read ..... FAILED',
      ': in test_io.c:42',
      ': expected `ret` to be 0 but was -1',
      'test: ref_io_testsuite->test_write ..... PASSED',
      '4 passed, 1 failed',
    ]);
    expect(stderr).toBe('');
    expect(exitCode).toBe(1);
  });

  test('a crash: the case is CRASHED, the crash is summarised, exit 1', async () => {
    const { stdout, exitCode } = await cli(['parse', 'test/fixtures/results/reference-ktap-crash.log']);
    expect(stdout).toContain('test: ref_io->#2 ..... CRASHED');
    expect(stdout).toContain('crash: linux-panic during ref_io->#2: Kernel panic - not syncing: Fatal exception in io_write_test (+9 dump lines)');
    expect(stdout.split('\n').at(-1)).toBe('3 passed, 0 failed, 1 crashed, 1 skipped');
    expect(exitCode).toBe(1);
  });

  test('exit 0 when every case passed or was skipped, even with an oops or warning listed', async () => {
    expect((await cli(['parse', 'test/fixtures/results/uktest-all-passed.log'])).exitCode).toBe(0);
    const kasan = await cli(['parse', 'test/fixtures/results/linux-warning-kasan.log']);
    expect(kasan.stdout).toContain('crash: kasan during kasan->#1: BUG: KASAN: slab-out-of-bounds');
    expect(kasan.exitCode).toBe(0);
  });

  test('no case found is exit 1 with a message naming the file and the format', async () => {
    const panic = await cli(['parse', 'test/fixtures/results/linux-panic.log']);
    expect(panic.stdout).toContain('crash: linux-panic: [    1.531002] Kernel panic - not syncing: Attempted to kill init!');
    expect(panic.stderr).toContain('vitest-guest: no test results in test/fixtures/results/linux-panic.log (format auto)');
    expect(panic.exitCode).toBe(1);
    const wrongFormat = await cli(['parse', 'test/fixtures/results/uktest-failure.log', '--format', 'ktap']);
    expect(wrongFormat.stderr).toContain('(format ktap)');
    expect(wrongFormat.exitCode).toBe(1);
  });

  test('a printed summary that disagrees is a note on stderr', async () => {
    const log = join(WORKDIR, 'mismatch.log');
    const out = createWriteStream(log);
    out.end('test: s->a\n\texpected `x` to be true ... [ FAILED ]\nuktest:cases:      2 total\n');
    await once(out, 'finish');
    const { stderr } = await cli(['parse', log]);
    expect(stderr).toContain('vitest-guest: note: uktest summary says cases: 0 failed, 2 total; the output shows 1 failed, 1 total');
  });

  test('unreadable files and bad arguments exit 2 with the reason', async () => {
    const missing = await cli(['parse', 'no/such.log']);
    expect(missing.stderr).toContain('vitest-guest: cannot read no/such.log: ENOENT');
    expect(missing.exitCode).toBe(2);
    const directory = await cli(['parse', 'test/fixtures']);
    expect(directory.stderr).toContain('vitest-guest: cannot read test/fixtures: EISDIR');
    expect(directory.exitCode).toBe(2);
    const badFormat = await cli(['parse', 'x.log', '--format', 'tap']);
    expect(badFormat.stderr).toContain('--format must be one of uktest, ktap, auto, or a scenario\'s own format with --formats scenario.yaml; got "tap"');
    expect(badFormat.exitCode).toBe(2);
    for (const args of [['parse'], ['parse', 'a.log', 'b.log'], ['parse', 'a.log', '--frobnicate']]) {
      const { stderr, exitCode } = await cli(args);
      expect(exitCode, args.join(' ')).toBe(2);
      expect(stderr).toContain('usage: vitest-guest parse <console.log> [--format uktest|ktap|auto] [--formats scenario.yaml --format NAME] [--json]');
    }
  });

  test('--help and -h print the usage of each command, exit 0', async () => {
    for (const [command, usage] of [['parse', 'parse <console.log>'], ['qemu-args', 'qemu-args <scenario.yaml>'], ['baseline', 'baseline <scenario.yaml>']] as const) {
      for (const flag of ['--help', '-h']) {
        const { stdout, stderr, exitCode } = await cli([command, flag]);
        expect(stdout.slice(0, `usage: vitest-guest ${usage}`.length), `${command} ${flag}`).toBe(`usage: vitest-guest ${usage}`);
        expect(stdout).not.toContain('commands:');
        expect(stderr).toBe('');
        expect(exitCode).toBe(0);
      }
    }
  });

  test('the message for a log with no results names the format asked for and what it looks like', async () => {
    const ktap = await cli(['parse', 'test/fixtures/results/uktest-failure.log', '--format', 'ktap']);
    expect(ktap.stderr).toContain('(format ktap): expected KTAP output from a `KTAP version 1` line on.');
    expect(ktap.stderr).not.toContain('uktest `test:');
    const uktest = await cli(['parse', 'test/fixtures/results/ktap-all-passed.log', '--format', 'uktest']);
    expect(uktest.stderr).toContain('(format uktest): expected uktest `test: suite->case` lines.');
    expect(uktest.stderr).not.toContain('KTAP output');
  });

  test('a reader that stops early ends it quietly, with the status of a tool killed by SIGPIPE', async () => {
    // 20,000 cases: far more output than a pipe holds, so the CLI is still writing when head leaves.
    const log = join(WORKDIR, 'many-cases.log');
    const lines = Array.from({ length: 20_000 }, (_, i) => `test: many->case_${i}\n\t:\texpected \`x\` to be 0 ..... [ PASSED ]`);
    writeFileSync(log, `${lines.join('\n')}\n`);
    const run = await execa('bash', ['-c', 'node "$1" parse "$2" | head -n 1; echo "status ${PIPESTATUS[0]}" >&2', 'pipe', CLI, log], { cwd: REPO, reject: false });
    expect(run.stdout).toBe('test: many->case_0 ..... PASSED');
    expect(run.stderr).toBe('status 141');
  });

  test('streams: 64 MB of crash loop parse in a 16 MB heap', async () => {
    const log = join(WORKDIR, 'loop.log');
    const dump = readFileSync(join(FIXTURES, 'unikraft-017-crashloop.log'), 'utf8').split('\n').slice(2, 15).join('\n') + '\n';
    const out = createWriteStream(log);
    out.write('test: s->looping\n');
    for (let written = 0; written < 64 * 1024 * 1024; written += dump.length) if (!out.write(dump)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
    const { stdout, exitCode } = await cli(['parse', log], ['--max-old-space-size=16']);
    expect(stdout.split('\n')).toEqual([
      'test: s->looping ..... CRASHED',
      expect.stringMatching(/^crash: unhandled-trap during s->looping: .* Unhandled Trap 14 \(page fault\), error code=0x0 \(\+63 dump lines\)$/),
      '0 passed, 0 failed, 1 crashed',
    ]);
    expect(exitCode).toBe(1);
  });

  test('a console log captured live from the reference guest parses like the golden capture', async () => {
    requireQemuAndGuest();
    const log = join(WORKDIR, 'console.log');
    const qemu = await execa('qemu-system-x86_64', ['-M', 'pc', '-accel', 'tcg', '-nodefaults', '-display', 'none', '-no-reboot',
      '-serial', `file:${log}`, '-device', 'isa-debug-exit,iobase=0xf4,iosize=4', '-kernel', REFERENCE_KERNEL, '-append', 'uktest=fail exit=0'],
    { reject: false, timeout: 30_000 });
    expect(qemu.exitCode).toBe(1); // debug-exit value 0
    const { stdout, exitCode } = await cli(['parse', log, '--json']);
    expect(JSON.parse(stdout)).toEqual(expectedJson('reference-uktest-fail.log'));
    expect(exitCode).toBe(1);
  });

  test("--formats reads a scenario's own result lines from a log captured live, and nothing else", async () => {
    requireQemuAndGuest();
    const log = join(WORKDIR, 'toro.log');
    const qemu = await execa('qemu-system-x86_64', ['-M', 'pc', '-accel', 'tcg', '-nodefaults', '-display', 'none', '-no-reboot',
      '-serial', `file:${log}`, '-device', 'isa-debug-exit,iobase=0xf4,iosize=4', '-kernel', REFERENCE_KERNEL, '-append',
      'print="CPU0 Thread#0x7FFBF78 TestFreeMem-0: PASSED (12 ms)" print="CPU0 Thread#0x7FFBF78 TestVirtio-2: SKIP" uktest=pass exit=0'],
    { reject: false, timeout: 30_000 });
    expect(qemu.exitCode).toBe(1); // debug-exit value 0
    const toro = ['--formats', 'scenarios/own-result-format.yaml', '--format', 'toro'];
    const { stdout, stderr, exitCode } = await cli(['parse', log, ...toro]);
    // The uktest cases the guest printed too are not the format asked for.
    expect(stdout.split('\n')).toEqual(['test: toro->TestFreeMem ..... PASSED', ': measurement 12 ms', 'test: toro->TestVirtio ..... SKIPPED', '1 passed, 0 failed, 1 skipped']);
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    const json = JSON.parse((await cli(['parse', log, ...toro, '--json'])).stdout) as { cases: { suite: string; case: string; status: string }[] };
    expect(json.cases.map((c) => `${c.suite}->${c.case} ${c.status}`)).toEqual(['toro->TestFreeMem passed', 'toro->TestVirtio skipped']);

    const failed = join(WORKDIR, 'toro-failed.log');
    writeFileSync(failed, 'CPU1 Thread#0x1 TestAlloc-3: FAILED\nCPU1 Thread#0x1 TestOdd-4: WEIRD\n');
    const bad = await cli(['parse', failed, ...toro]);
    expect(bad.stdout).toContain('test: toro->TestAlloc ..... FAILED');
    expect(bad.stdout).toContain(': result "WEIRD" is not one of the format\'s words (PASSED, FAILED, SKIP)');
    expect(bad.exitCode).toBe(1);

    const none = await cli(['parse', 'test/fixtures/results/uktest-failure.log', ...toro]);
    expect(none.stderr).toContain('(format toro): expected lines matching format "toro": /CPU\\d+ Thread#');
    expect(none.exitCode).toBe(1);
  });

  test('a formats: line that backtracks without bound in JavaScript reads a log in bounded time; one the linear engine cannot run is refused at its line', async () => {
    // One file each: a refused pattern makes its whole file invalid.
    const scenario = (name: string, line: string): string => {
      const path = join(WORKDIR, `${name}.yaml`);
      writeFileSync(path, ['name: x', 'guest: { kernel: k.elf }', 'exit: any', 'formats:', `  ${name}: { line: '${line}' }`, ''].join('\n'));
      return path;
    };
    const nestedFile = scenario('nested', '^(?<case>(a|aa)+) (?<result>PASS|FAIL)$');
    const lookingFile = scenario('looking', '^(?<case>\\w+) (?<result>PASS|FAIL)(?! \\(flaky\\))');
    const log = join(WORKDIR, 'backtracking.log');
    // Minutes of backtracking for the usual engine on the first line; the second is a case.
    writeFileSync(log, `${'a'.repeat(60)} PASSED\n${'a'.repeat(8)} PASS\n`);
    const start = Date.now();
    const nested = await cli(['parse', log, '--formats', nestedFile, '--format', 'nested']);
    expect(Date.now() - start).toBeLessThan(20_000);
    expect(nested.stdout.split('\n'), nested.stderr).toEqual([`test: nested->${'a'.repeat(8)} ..... PASSED`, '1 passed, 0 failed']);
    const looking = await cli(['parse', log, '--formats', lookingFile, '--format', 'looking']);
    expect(looking.stderr).toMatch(/looking\.yaml:5:\d+: formats\.looking\.line: the regular expression uses a lookahead or lookbehind/);
    expect(looking.exitCode).toBe(2);
  }, 30_000);

  test('--formats errors: a name the file lacks lists the names it has; a file without formats, an invalid or missing file', async () => {
    const two = join(WORKDIR, 'two-formats.yaml');
    writeFileSync(two, ['name: x', 'guest: { kernel: k.elf }', 'exit: any', 'formats:', "  toro: { line: '(?<case>T\\w+): (?<result>[A-Z]+)' }", "  lava: { line: '(?<case>\\S+) (?<result>pass|fail)' }", ''].join('\n'));
    const unknown = await cli(['parse', 'x.log', '--formats', two, '--format', 'tor']);
    expect(unknown.stderr).toBe(`vitest-guest: ${two} has no format named "tor" under formats:; it has "toro", "lava".`);
    expect(unknown.exitCode).toBe(2);
    const noFormats = await cli(['parse', 'x.log', '--formats', 'scenarios/hello.yaml', '--format', 'toro']);
    expect(noFormats.stderr).toContain('vitest-guest: scenarios/hello.yaml declares no formats:');
    expect(noFormats.exitCode).toBe(2);
    const noName = await cli(['parse', 'x.log', '--formats', 'scenarios/own-result-format.yaml']);
    expect(noName.stderr).toContain('--formats scenarios/own-result-format.yaml needs --format NAME');
    expect(noName.exitCode).toBe(2);
    const invalid = join(WORKDIR, 'invalid.yaml');
    writeFileSync(invalid, 'name: x\nguest: { kernel: k.elf }\nformats:\n  mine: { line: "(?<case>\\\\w+)" }\n');
    const broken = await cli(['parse', 'x.log', '--formats', invalid, '--format', 'mine']);
    expect(broken.stderr).toMatch(/invalid\.yaml:4:\d+: .*no named group \(\?<result>\.\.\.\)/);
    expect(broken.exitCode).toBe(2);
    const missing = await cli(['parse', 'x.log', '--formats', 'no/such.yaml', '--format', 'mine']);
    expect(missing.stderr).toContain('vitest-guest: cannot read no/such.yaml: ENOENT');
    expect(missing.exitCode).toBe(2);
  });
});
