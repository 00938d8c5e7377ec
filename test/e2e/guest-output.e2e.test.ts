// What a broken guest prints and does to the host side: bytes that are not text, a shell-looking command
// line, and a Vitest run stopped early; each run leaves nothing behind.
import { describe, test, expect } from 'vitest';
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario } from '../../src/runner/run-scenario.js';
import { isolateRuns } from './support/isolated-runs.js';
import { scenarioFrom } from './support/scenario.js';
import { REFERENCE_KERNEL, REPO } from './support/host.js';

isolateRuns('guest-output');

describe('hostile guest output and scenario text', () => {
  test('a guest printing invalid UTF-8, NULs, colour escapes and control bytes: lines decoded, the run goes on', async () => {
    const result = await runScenario(scenarioFrom(`
name: raw-bytes
guest: { kernel: reference, cmdline: 'raw=6f6bff00c3281b5b33316d7265641b5b306d0d0a raw=07080c7f0a print=after exit=0' }
timeout: 10
exit: { debug-exit: 0 }
expect:
  - console: { regex: '^ok\uFFFD\uFFFD\\(red$' }
  - console: after
`));
    // 0xff and the broken pair c3 28 become U+FFFD; NUL, BEL, BS, FF, DEL and the escapes are dropped, CR too.
    expect(result.recentLines.console).toEqual(['ok\uFFFD\uFFFD(red', '', 'after']);
    expect([...result.verdicts, result.exitVerdict].map((v) => v.status)).toEqual(['passed', 'passed', 'passed']);
  });


  test('shell syntax in a scenario reaches QEMU and the guest as text, never a shell; the printed command quotes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vg-injection-'));
    try {
      const marker = join(dir, 'pwned');
      const text = `$(touch ${marker}); touch ${marker}; \`touch ${marker}\``;
      const yaml = `name: 'inject $(touch ${marker})'\nguest: { kernel: ${REFERENCE_KERNEL}, cmdline: 'print="${text}" exit=0' }\ntimeout: 10\nexit: { debug-exit: 0 }\nexpect:\n  - console: '${text}'\n`;
      const result = await runScenario(scenarioFrom(yaml));
      expect([...result.verdicts, result.exitVerdict].map((v) => v.status)).toEqual(['passed', 'passed']);
      // The command `vitest-guest qemu-args --standalone` prints, pasted into bash as a user would.
      writeFileSync(join(dir, 'inject.yaml'), yaml);
      const { stdout } = await execa('node', [join(REPO, 'bin/vitest-guest.js'), 'qemu-args', join(dir, 'inject.yaml'), '--standalone', '--workdir', dir]);
      const command = stdout.split('\n').find((line) => line.startsWith('qemu-system'))!;
      const pasted = await execa('bash', ['-c', command], { reject: false, timeout: 20_000 });
      expect(pasted.stdout).toContain(text);
      expect(existsSync(marker)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // Mounting a tmpfs needs root, as npm test runs in CI; a developer's run as a user leaves this one case
  // out (issue 6). Never in CI: there, without root, it runs and fails at the mount, saying so.
  test.skipIf(process.getuid?.() !== 0 && !process.env.CI)('a full TMPDIR: the run fails saying so, starts no QEMU and leaves nothing', async () => {
    const full = mkdtempSync(join(tmpdir(), 'vg-full-'));
    // Two inodes: the root folder and one file; no folder can be made in it.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,nr_inodes=2', 'tmpfs', full]);
    const saved = process.env.TMPDIR;
    try {
      writeFileSync(join(full, 'filler'), '');
      process.env.TMPDIR = full;
      const result = await runScenario(scenarioFrom('name: no-space\nguest: { kernel: reference, cmdline: exit=0 }\nexit: { debug-exit: 0 }\n'));
      expect(result.finish.reason).toBe('error');
      expect(result.exitVerdict).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^not reached: cannot create the run's folder for its sockets: ENOSPC: no space left on device, mkdtemp '.*vitest-guest-run-\w+'; free space or inodes there, or point TMPDIR elsewhere$/) });
      expect(result.command).toBeUndefined();
    } finally {
      process.env.TMPDIR = saved;
      execFileSync('umount', [full]);
      rmSync(full, { recursive: true, force: true });
    }
  });
});
