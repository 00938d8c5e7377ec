// Scenario files as Vitest test files: the real CLI, the real reporters, real QEMU.
import { describe, test, expect, beforeAll } from 'vitest';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entriesOf, privateTmpdir, processesMentioning, requireQemuAndGuest } from './support/host.js';
import { runVitest, uktestLines } from './support/run-vitest.js';

beforeAll(requireQemuAndGuest);

// The main suite runs every example as a scenario file already; this run checks the CLI and the
// reporters end to end on the top-level examples. The folders (real guests, three architectures,
// snapshots, the TCG plugin) and the Linux examples boot for minutes on 2 loaded cores, and a 60 s
// test that re-ran them timed out in CI.
const EXAMPLES = ['--exclude', 'scenarios/*/**', '--exclude', 'scenarios/linux-*.yaml'];

describe('vitest run on scenario files', () => {
  test('the example scenarios all pass and end with the closing count', async () => {
    const run = await runVitest(EXAMPLES);
    const lines = uktestLines(run.plain);
    expect(run.exitCode, run.plain).toBe(0);
    expect(lines).toContain('test: hello->console "Hello from guest" ..... PASSED');
    expect(lines).toContain('test: seabios-debug-log->firmware /^SeaBIOS \\(version [\\w.-]+\\)/ ..... PASSED');
    expect(lines).toContain('test: boot-stages->code userspace (0x60-0x7f) ..... PASSED');
    const caseLines = lines.filter((l) => l.startsWith('test: '));
    expect(caseLines.every((l) => l.endsWith('..... PASSED'))).toBe(true);
    expect(lines.at(-1)).toBe(`${caseLines.length} passed, 0 failed`);
  });

  test('scenarios that must fail do, at the YAML line of the expectation and with the reason, leaving nothing', async () => {
    // Crashes, floods, early exits, timeouts and a bad file among them: none may leave a QEMU or a file.
    const tmp = privateTmpdir('failing');
    const run = await runVitest(['scenarios/failing/'], { TMPDIR: tmp });
    expect(processesMentioning(tmp)).toEqual([]);
    expect(entriesOf(tmp).filter((e) => e.startsWith('vitest-guest-'))).toEqual([]);
    rmSync(tmp, { recursive: true, force: true });
    expect(run.exitCode).toBe(1);
    const report = uktestLines(run.plain).join('\n');
    expect(report).toContain([
      'test: panics->never "Kernel panic" ..... FAILED',
      ': in scenarios/failing/never-panic.yaml:10',
      ': "Kernel panic" appeared on console at',
    ].join('\n'));
    expect(report).toContain('test: panics->console "all tests passed" ..... FAILED\n: in scenarios/failing/never-panic.yaml:11\n: not seen: a never pattern matched (expect[1], line 10)');
    expect(report).toContain('test: wrong-exit->exit debug-exit 0 (status 1) ..... FAILED\n: in scenarios/failing/wrong-exit.yaml:7\n: expected debug-exit value 0 (QEMU status 1), got debug-exit value 3 (QEMU status 7)');
    expect(report).toContain('test: missing-line->console "network up" ..... FAILED\n: in scenarios/failing/missing-line.yaml:9\n: not seen: the scenario timeout of 2 s ran out');
    expect(report).toContain('test: early-exit->code userspace (0x60-0x7f) ..... FAILED\n: in scenarios/failing/early-exit.yaml:9\n: not seen: the guest ended first: debug-exit value 0 (QEMU status 1)');
    expect(report).toContain('test: typo->scenario is valid ..... FAILED\n: in scenarios/failing/invalid.yaml:7\n: scenarios/failing/invalid.yaml:7:5: expect[0]: expected a map with one of the keys console, debugcon, firmware, virtio, code, never, breakpoint, watch, send, screen, uktest, ktap, results, got the keys consle. Did you mean "console"?');
    // A never on a screen names the row; the failure shows the screen, not the console's pieces of rows.
    expect(report).toContain('test: error-count->never screen /Errors: *[1-9]/ ..... FAILED\n: in scenarios/failing/screen-error-count.yaml:11\n: /Errors: *[1-9]/ appeared on console at +');
    expect(report).toContain(': screen row 5: "Errors: 3"');
    expect(run.plain).toContain(`The console screen (80 x 25) when the run ended:\n     +${'-'.repeat(80)}+\n`);
    expect(run.plain).toContain(`   5 |${'Errors: 3'.padEnd(80)}|\n   6 |${'Test #4 [Moving inversions]'.padEnd(80)}|`);
    // The broken document fails only itself.
    expect(report).toContain('test: still-runs->console "hello" ..... PASSED');
    // Counted by the TCG plugin: the hits of a batch are named together, at the time they were counted.
    expect(report).toContain('test: called-too-often->breakpoint guest_loop_target hit 2 times ..... FAILED\n: in scenarios/failing/breakpoint-count.yaml:9\n: hit 3 times, expected 2 times; hit');
    expect(report).toMatch(/expected 2 times; (hit 3 was|hits \d-3 were) guest_loop_target on vCPU 0, counted by \+\d/);
    expect(report).toContain('test: misspelt-symbol->exit debug-exit 0 (status 1) ..... FAILED\n: in scenarios/failing/unknown-symbol.yaml:7\n: not reached: scenarios/failing/unknown-symbol.yaml:9:5: faults[0].function: no symbol named `guest_chek_value` in ');
    expect(report).toContain('did you mean guest_check_value?');
    // The guest's own cases: indented under the first uktest/ktap expectation, failures in uktest's old form.
    expect(run.plain).toContain([
      'test: uktest-case-fails->uktest all cases passed ..... FAILED',
      ': in scenarios/failing/guest-results.yaml:12',
      ': uktest case ref_io_testsuite->test_read failed, expected passed: expected `ret` to be 0 but was -1 (test_io.c:42)',
      ': on x86_64 (pc)',
      '  test: ref_arith_testsuite->test_add ..... PASSED',
      '  test: ref_arith_testsuite->test_mul ..... PASSED',
      '  test: ref_arith_testsuite->test_shift ..... PASSED',
      '  test: ref_io_testsuite->test_read ..... FAILED',
      '  : in test_io.c:42',
      '  : expected `ret` to be 0 but was -1',
      '  test: ref_io_testsuite->test_write ..... PASSED',
    ].join('\n'));
    expect(run.plain).toContain('  test: ref_io_testsuite->test_read ..... CRASHED');
    expect(run.plain).toContain('guest cases: 15 passed, 4 failed, 1 crashed, 1 skipped');
    expect(report).toContain('test: own-format-case-fails->selftest->irq passed ..... FAILED\n: in scenarios/failing/guest-results.yaml:44\n: selftest case selftest->irq did not run (the guest ended first: debug-exit value 0 (QEMU status 1))');
    expect(report).toContain('test: no-answer->console "Linux version" ..... FAILED\n: in scenarios/failing/interactive-console.yaml:11\n: not seen within 1 s of expect[1] being met at +');
    expect(report).toContain('test: no-answer->send "exit\\n" ..... FAILED\n: in scenarios/failing/interactive-console.yaml:13\n: not checked: expect[2] (which must come first) was not met');
    // The guest spends 400 ms of its PIT time in the kernel stage; the host stamps each code as it
    // arrives, so under load the figure can come out tens of ms short or long (18-39 ms seen).
    const slowKernel = /test: slow-kernel->timing stage kernel at most 100 ms \.\.\.\.\. FAILED\n: in scenarios\/failing\/boot-timing\.yaml:9\n: stage kernel: (\d+\.\d) ms, expected at most 100 ms \(host clock\)/.exec(report);
    expect(slowKernel, report).not.toBeNull();
    expect(Number(slowKernel![1])).toBeGreaterThan(250);
    expect(Number(slowKernel![1])).toBeLessThan(1000);
    const repeated = /: stage kernel: median of 3 runs (\d+\.\d) ms, spread (\d+\.\d)-(\d+\.\d) ms, expected at most 100 ms \(host clock\)/.exec(report);
    expect(repeated, report).not.toBeNull();
    const [median, low, high] = repeated!.slice(1).map(Number);
    expect(median).toBeGreaterThan(100); // 300 ms a run; above the limit, or it would not fail
    expect(median).toBeLessThan(1000);
    expect(low).toBeLessThanOrEqual(median!);
    expect(high).toBeGreaterThanOrEqual(median!);
    expect(report).toMatch(/test: slower-than-baseline->timing stage kernel at most 25% slower than the baseline \.\.\.\.\. FAILED\n: in scenarios\/failing\/boot-timing\.yaml:34\n: stage kernel: [\d.]+ ms, [\d.]+% slower than the baseline 100\.\d ms \(median of 5 runs, recorded 2026-12-01\), expected at most 25% slower \(host clock\)\n: Boot stages \(host clock; stage, start, duration\):\n:   firmware /);
    expect(report).toContain('test: flood->console "stress test done" ..... FAILED\n: in scenarios/failing/flood.yaml:10\n: not seen: console printed more than 256 KiB (output-limit)');
    // The flood's tail: the last lines read before the limit, 64-character lines of the guest's pattern.
    // The guest's flood lines; its unpaced UART writes lose bytes under load, so only their characters are checked.
    expect(run.plain).toMatch(/Error: not seen: console printed more than 256 KiB \(output-limit\)\n\s+in scenarios\/failing\/flood\.yaml:10\n\nLast console lines:\n(\s+\| [!-~]+\n){10}/);
    expect(report).toContain('test: cpu-too-old->console "rdrand works here" ..... FAILED\n: in scenarios/failing/cpu-model.yaml:11\n: not seen: the guest crashed: guest reset (QEMU status 0');
    // A matrix run its architecture cannot do fails alone, saying which; the other run boots and passes.
    expect(report).toContain('test: firmware-log (aarch64)->scenario is valid ..... FAILED\n: in scenarios/failing/matrix-firmware-log.yaml:12\n: scenarios/failing/matrix-firmware-log.yaml:12:5: expect[0]: on aarch64 (matrix): aarch64 machines have no firmware channel.');
    expect(report).toContain('test: firmware-log (x86_64)->firmware /^SeaBIOS \\(version [\\w.-]+\\)/ ..... PASSED');
    expect(uktestLines(run.plain).at(-1)).toBe('19 passed, 28 failed');
  });

  test('an alias to no anchor fails its document at the alias, with no stack trace; the file\'s other scenarios still run', async () => {
    const run = await runVitest(['scenarios/failing/invalid.yaml']);
    const report = uktestLines(run.plain).join('\n');
    expect(report).toContain('test: dangling-alias->scenario is valid ..... FAILED\n: in scenarios/failing/invalid.yaml:22\n: scenarios/failing/invalid.yaml:22:12: alias *no-such-anchor refers to no anchor: no value marked &no-such-anchor comes before it in this document.');
    expect(report).toContain('test: still-runs->console "hello" ..... PASSED');
    expect(run.plain).not.toMatch(/ReferenceError|Unresolved alias|\bat \S+\.(js|ts):\d+/);
  });

  test.each(['forks', 'threads'])('patterns that backtrack without bound in JavaScript end by the scenario timeout in a Vitest worker (pool %s), leaving nothing', async (pool) => {
    // ^(a+)+$ on the guest's 32 a's and '!' blocked the worker for good, its 3 s timeout never firing (issue 13).
    // V8's flags hold per process, for all its threads: the module that compiles the patterns sets them.
    const tmp = privateTmpdir('regex');
    const start = Date.now();
    const run = await runVitest(['scenarios/failing/pathological-regex.yaml', `--pool=${pool}`], { TMPDIR: tmp });
    const seconds = (Date.now() - start) / 1000;
    expect(processesMentioning(tmp)).toEqual([]);
    expect(entriesOf(tmp).filter((e) => e.startsWith('vitest-guest-'))).toEqual([]);
    rmSync(tmp, { recursive: true, force: true });
    const report = uktestLines(run.plain).join('\n');
    expect(report).toContain('test: pathological-regex->console /^(a+)+$/ ..... FAILED\n: in scenarios/failing/pathological-regex.yaml:15\n: not seen: the scenario timeout of 3 s ran out');
    expect(report).toContain('test: pathological-regex->never /(a|a)*!!$/ ..... PASSED');
    expect(report).toContain('test: pathological-regex->nested all cases passed ..... FAILED\n: in scenarios/failing/pathological-regex.yaml:17\n: 0 cases ran, expected at least 1 case (the scenario timeout of 3 s ran out)');
    // Vitest's start and the 3 s timeout, with room for a loaded machine; a stalled match never ends.
    expect(seconds).toBeLessThan(40);
  });

  test('an unexpected crash fails the run with the crash dump in the failure', async () => {
    const run = await runVitest(['scenarios/failing/guest-results.yaml', '-t', 'unexpected-crash']);
    expect(run.exitCode).toBe(1);
    expect(run.plain).toContain('uktest case ref_io_testsuite->test_read crashed, expected passed');
    expect(run.plain).toMatch(/The guest crashed \(unikraft-crash during ref_io_testsuite->test_read\):\n\s+\| \[\s+[\d.]+\] CRIT: Unikraft crash - Helene/);
    expect(run.plain).toMatch(/\| \[\s+[\d.]+\] CRIT: Call Trace:/);
    expect(run.plain).toMatch(/\+\s+[\d.]+ ms\s+crash\s+unikraft-crash during ref_io_testsuite->test_read/);
  });

  test('the junit reporter gives each guest case a test case of its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vitest-guest-junit-'));
    const junit = join(dir, 'junit.xml');
    const run = await runVitest(['scenarios/failing/guest-results.yaml', '-t', 'uktest-case-fails', '--reporter=./reporters/junit-reporter.ts', `--outputFile=${junit}`]);
    expect(run.exitCode).toBe(1);
    const xml = readFileSync(junit, 'utf8');
    const names = [...xml.matchAll(/<testcase classname="scenarios\/failing\/guest-results.yaml" name="uktest-case-fails &gt; ([^"]+)"/g)].map((m) => m[1]);
    expect(names).toEqual([
      'uktest all cases passed',
      'uktest: ref_arith_testsuite-&gt;test_add',
      'uktest: ref_arith_testsuite-&gt;test_mul',
      'uktest: ref_arith_testsuite-&gt;test_shift',
      'uktest: ref_io_testsuite-&gt;test_read',
      'uktest: ref_io_testsuite-&gt;test_write',
      'exit poweroff',
    ]);
    expect(xml).toMatch(/name="uktest-case-fails &gt; uktest: ref_io_testsuite-&gt;test_read" time="0">\s*<properties>[^]*?<\/properties>\s*<failure message="expected `ret` to be 0 but was -1 \(in test_io.c:42\)" type="GuestAssertion">/);
    // The scenario's failed expectation and the guest's failed case are each counted; -t skipped the other 8 tests.
    expect(xml).toMatch(/<testsuite name="scenarios\/failing\/guest-results.yaml"[^>]* tests="15" failures="2" errors="0" skipped="8"/);
    rmSync(dir, { recursive: true, force: true });
  });

  test('the junit reporter gives the cases of a scenario\'s own result format test cases of their own too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vitest-guest-junit-'));
    const junit = join(dir, 'junit.xml');
    const run = await runVitest(['scenarios/failing/guest-results.yaml', '-t', 'own-format-case-fails', '--reporter=./reporters/junit-reporter.ts', `--outputFile=${junit}`]);
    expect(run.exitCode).toBe(1);
    const xml = readFileSync(junit, 'utf8');
    const names = [...xml.matchAll(/<testcase classname="scenarios\/failing\/guest-results.yaml" name="own-format-case-fails &gt; ([^"]+)"/g)].map((m) => m[1]);
    expect(names).toEqual([
      'selftest all cases passed',
      'selftest-&gt;alloc',
      'selftest-&gt;timer',
      'selftest-&gt;irq passed',
      'exit debug-exit 0 (status 1)',
    ]);
    // The format's `message` group is the failure text; the passing case has no failure.
    expect(xml).toMatch(/name="own-format-case-fails &gt; selftest-&gt;alloc" time="0">\s*<properties>[^]*?<\/properties>\s*<failure message="out of pages" type="GuestAssertion">/);
    expect(xml).toMatch(/name="own-format-case-fails &gt; selftest-&gt;timer" time="0">\s*<properties>[^]*?<\/properties>\s*<\/testcase>/);
    // Two scenario tests fail and so does the guest's case; -t skipped the other documents' 7 tests.
    expect(xml).toMatch(/<testsuite name="scenarios\/failing\/guest-results.yaml"[^>]* tests="12" failures="3" errors="0" skipped="7"/);
    rmSync(dir, { recursive: true, force: true });
  });

  test('junit and the uktest report say the architecture: a matrix in its names, every scenario as junit properties', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vitest-guest-junit-'));
    const junit = join(dir, 'junit.xml');
    const run = await runVitest(['scenarios/arch/matrix.yaml', 'scenarios/failing/wrong-exit.yaml', '--reporter=./reporters/uktest-reporter.ts', '--reporter=./reporters/junit-reporter.ts', `--outputFile.junit=${junit}`]);
    expect(run.exitCode).toBe(1);
    const xml = readFileSync(junit, 'utf8');
    const properties = (name: string) => {
      const testcase = xml.match(new RegExp(`<testcase classname="[^"]+" name="${name}"[^>]*>([^]*?)</testcase>`))?.[1] ?? '';
      return [...testcase.matchAll(/<property name="(\w+)" value="([^"]*)">/g)].map((m) => `${m[1]}=${m[2]}`);
    };
    // exit: { code: 3 } reads as each architecture's status exit: isa-debug-exit on x86_64, QEMU's status elsewhere.
    for (const [arch, type, exitTitle] of [['x86_64', 'pc', 'exit debug-exit 3 \\(status 7\\)'], ['aarch64', 'virt', 'exit status 3'], ['riscv64', 'virt', 'exit status 3']]) {
      expect(properties(`matrix \\(${arch}\\) &gt; ${exitTitle}`)).toEqual([`arch=${arch}`, `machine=${type}`]);
      // The guest's own cases, test cases of their own, carry them too.
      expect(properties(`matrix \\(${arch}\\) &gt; ktap: ref_io-&gt;io_read_test`)).toEqual([`arch=${arch}`, `machine=${type}`]);
    }
    expect(properties('wrong-exit &gt; exit debug-exit 0 \\(status 1\\)')).toEqual(['arch=x86_64', 'machine=pc']);
    // A failing scenario says what it ran on once, under its first failed line, after its stages.
    expect(run.plain).toContain('test: wrong-exit->exit debug-exit 0 (status 1) ..... FAILED\n: in scenarios/failing/wrong-exit.yaml:7\n: expected debug-exit value 0 (QEMU status 1), got debug-exit value 3 (QEMU status 7)\n: on x86_64 (pc)\n');
    expect(run.plain).toContain('test: matrix (riscv64)->exit status 3 ..... PASSED');
    rmSync(dir, { recursive: true, force: true });
  });

  test('a failed conversation shows its transcript: the input sent, as > "...", among the console lines', async () => {
    const run = await runVitest(['scenarios/failing/interactive-console.yaml']);
    expect(run.exitCode).toBe(1);
    expect(run.plain).toMatch(/console "Linux version"\nError: not seen within 1 s of expect\[1\] being met at \+[\d.]+ ms\n\s+in scenarios\/failing\/interactive-console\.yaml:11\n\nLast console lines:\n {2}\| > "uname -r\\n"\n {2}\| echo> echo: uname -r\n/);
    expect(run.plain).toMatch(/\+\s+[\d.]+ ms\s+send\s+"uname -r\\n" to console/);
  });

  test('a failure shows a code frame of the YAML, the console tail and the timeline', async () => {
    const run = await runVitest(['scenarios/failing/never-panic.yaml']);
    expect(run.plain).toContain('scenarios/failing/never-panic.yaml:10:5');
    expect(run.plain).toMatch(/> ?10 \|\s+- never: Kernel panic|10\|\s+- never: Kernel panic/);
    expect(run.plain).toContain('Last console lines:');
    expect(run.plain).toContain('| Kernel panic - not syncing: VFS: Unable to mount root fs');
    expect(run.plain).toMatch(/Timeline \(ms since the guest was resumed\):\n\s+\+\s+[\d.]+ ms\s+console\s+"starting tests" \(expect\[0\]\)/);
  });

  test('-t and file:line filters select single expectations', async () => {
    const byName = await runVitest(['scenarios/exits.yaml', '-t', 'exit status 43']);
    expect(uktestLines(byName.plain)).toEqual(['test: exit-status->exit status 43 ..... PASSED', '1 passed, 0 failed, 8 skipped']);
    const byLine = await runVitest(['scenarios/exits.yaml:24']);
    expect(uktestLines(byLine.plain)).toEqual(['test: poweroff->console "powering off" ..... PASSED', '1 passed, 0 failed, 8 skipped']);
  });

  test('the uktest reporter runs beside the junit reporter', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vg-junit-'));
    const out = join(dir, 'junit.xml');
    const run = await runVitest(['scenarios/hello.yaml', '--reporter=default', '--reporter=junit', '--reporter=./reporters/uktest-reporter.ts', `--outputFile.junit=${out}`]);
    expect(run.exitCode).toBe(0);
    expect(uktestLines(run.plain)).toEqual(['test: hello->console "Hello from guest" ..... PASSED', 'test: hello->exit debug-exit 0 (status 1) ..... PASSED', '2 passed, 0 failed']);
    const junit = readFileSync(out, 'utf8');
    expect(junit).toContain('<testcase classname="scenarios/hello.yaml" name="hello &gt; console &quot;Hello from guest&quot;"');
    expect(junit).toMatch(/tests="2" failures="0"/);
    rmSync(dir, { recursive: true, force: true });
  });

  test('shards run on several machines with the blob reporter merge into the same report and junit, guest cases included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vg-merge-'));
    const files = ['scenarios/guest-results.yaml', 'scenarios/hello.yaml', 'scenarios/failing/guest-results.yaml'];
    const whole = await runVitest([...files, '--reporter=./reporters/uktest-reporter.ts', '--reporter=./reporters/junit-reporter.ts', `--outputFile.junit=${join(dir, 'whole.xml')}`]);
    await Promise.all([1, 2].map((i) => runVitest([...files, `--shard=${i}/2`, '--reporter=blob', `--outputFile=${join(dir, 'blobs', `${i}.json`)}`])));
    const merged = await runVitest(['--merge-reports', join(dir, 'blobs'), '--reporter=./reporters/uktest-reporter.ts', '--reporter=./reporters/junit-reporter.ts', `--outputFile.junit=${join(dir, 'merged.xml')}`]);
    // Shards finish in their own order: the same lines, each case's block kept together.
    const blocks = (output: string) => output.split('\n').filter((l) => /^(test: |  test: |: |  : )/.test(l)).join('\n').split(/\n(?=test: )/).sort();
    expect(blocks(merged.plain)).toEqual(blocks(whole.plain));
    for (const run of [whole, merged]) expect(run.plain).toContain('guest cases: 29 passed, 4 failed, 1 crashed, 2 skipped\n15 passed, 6 failed');
    const testcases = (file: string) => [...readFileSync(join(dir, file), 'utf8').matchAll(/<testcase classname="([^"]+)" name="([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`).sort();
    expect(testcases('merged.xml')).toEqual(testcases('whole.xml'));
    expect(testcases('merged.xml')).toContain('scenarios/guest-results.yaml uktest-all-cases-pass &gt; uktest: ref_io_testsuite-&gt;test_write');
    rmSync(dir, { recursive: true, force: true });
  });

  test('--shard splits the scenario files between runs without losing or repeating a test', async () => {
    // The tests' names, not their verdicts: three example suites at once beside the rest of npm test is a
    // load under which a host-clock baseline may fail (boot-timing-baseline did, in one shard's run).
    const caseLines = async (args: string[]) => uktestLines((await runVitest([...EXAMPLES, ...args])).plain).filter((l) => l.startsWith('test: ')).map((l) => l.replace(/ \.{5} (PASSED|FAILED|CRASHED|SKIPPED)$/, ''));
    const [all, first, second] = await Promise.all([caseLines([]), caseLines(['--shard=1/2']), caseLines(['--shard=2/2'])]);
    expect(first.length).toBeGreaterThan(0);
    expect(second.length).toBeGreaterThan(0);
    expect([...first, ...second].sort()).toEqual([...all].sort());
  }, 180_000); // three example-suite runs at once: ~20 s alone, three times that beside the rest of npm test
});
