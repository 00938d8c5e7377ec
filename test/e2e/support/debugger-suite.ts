// The debugger's end-to-end checks on an architecture whose return address is in a register (aarch64, riscv64):
// breakpoints with counts and a register check on the first argument, a watchpoint, skip and override faults
// through the link register, and the step-off emulation compared with QEMU's own single step
// (step-emulation-suite.ts). Each architecture's test file (debugger-<arch>.e2e.test.ts) gives its data; the
// reference guest is the same.
import { beforeAll, describe, test, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ARCH_PROFILES, type Arch } from '../../../src/arch/profiles.js';
import { runScenario, type RunResult } from '../../../src/runner/run-scenario.js';
import { isolateRuns } from './isolated-runs.js';
import { scenarioFrom } from './scenario.js';
import { REPO } from './host.js';
import { describeStepEmulation, type StepEmulationArch } from './step-emulation-suite.js';
import { PLUGIN_ENV } from '../../../src/plugin/plugin-probe.js';

export interface DebuggerArch extends StepEmulationArch {
  arch: Exclude<Arch, 'x86_64'>;
}

const statuses = (result: RunResult): string[] => [...result.verdicts, result.exitVerdict].map((v) => (v.status === "failed" ? `failed: ${v.reason}` : v.status));
const reasons = (result: RunResult): string[] => result.verdicts.map((v) => (v.status === 'failed' ? v.reason : ''));

export function describeDebugger(spec: DebuggerArch): void {
  const profile = ARCH_PROFILES[spec.arch];
  const kernel = join(REPO, `guests/reference/build/${spec.arch}/reference.elf`);
  const argument = profile.calls.returnValue;
  isolateRuns(`debugger-${spec.arch}`);

  // The GDB stub's debugger: breakpoints that only count would go to the TCG plugin, which never stops the guest.
  process.env[PLUGIN_ENV] = 'off';
  beforeAll(() => {
    try {
      execFileSync(profile.qemuBinary, ['--version'], { stdio: 'ignore' });
    } catch {
      throw new Error(`${profile.qemuBinary} is not installed: apt-get install --no-install-recommends ${profile.qemuPackage} (bash scripts/setup.sh does).`);
    }
    if (!existsSync(kernel)) throw new Error(`${kernel} is missing: run \`make -C guests/reference ARCH=${spec.arch}\`.`);
  });

  const run = (name: string, cmdline: string, body: string, machine = ''): Promise<RunResult> => runScenario(scenarioFrom(`
name: ${name}
machine: { arch: ${spec.arch}${machine} }
guest: { kernel: ${kernel}, cmdline: '${cmdline}' }
timeout: 30
exit: ${spec.exitZero}
${body}`));

  describe(`${spec.arch} breakpoints`, () => {
    test('an exact count on a function called in a loop, and a glob', async () => {
      const result = await run('counts', 'loop=7 check exit=0', `
expect:
  - breakpoint: guest_loop_target
    count: 7
  - breakpoint: 'guest_*'
    count: 8
`);
      expect(reasons(result)).toEqual(['', '']);
      expect(statuses(result)).toEqual(['passed', 'passed', 'passed']);
    });

    test(`the first argument (${argument}) is checked at each hit: the second call's is 1`, async () => {
      const result = await run('argument', 'loop=2 exit=0', `
expect:
  - breakpoint: guest_loop_target
    registers: { ${argument}: 0 }
    memory: [ { at: guest_loop_counter, size: 8, equals: 0 } ]
    count: 2
`);
      expect(reasons(result)[0]).toMatch(new RegExp(`^hit 2 \\(guest_loop_target on vCPU 0 at \\+[\\d.]+ ms\\): register ${argument} is 0x1, expected 0 \\(0x0\\)$`));
    });
  });

  describe(`${spec.arch} several vCPUs`, () => {
    test('each hit is the vCPU\'s that made it, its first argument checked on that vCPU', async () => {
      // smp=5: every CPU calls guest_loop_target(cpu << 32 | i) five times.
      const result = await run('smp', 'smp=5 exit=0', `
expect:
  - breakpoint: guest_loop_target
    count: 10
  - breakpoint: guest_loop_target
    vcpu: 1
    count: 5
    registers: { ${argument}: '0x100000000' }
  - console: 'smp: 2 cpus, 5 calls each'
`, ', cpus: 2');
      // The register check holds at the first hit on vCPU 1 only: i is 0 there, then 1..4.
      expect(reasons(result)[1]).toMatch(new RegExp(`^hit 2 \\(guest_loop_target on vCPU 1 at \\+[\\d.]+ ms\\): register ${argument} is 0x100000001, expected 0x100000000 \\(0x100000000\\)$`));
      expect(statuses(result).filter((_, i) => i !== 1)).toEqual(['passed', 'passed', 'passed']);
    });
  });

  describe(`${spec.arch} watchpoints`, () => {
    test('every write to guest_loop_counter is a hit', async () => {
      const result = await run('watch', 'loop=6 exit=0', `
expect:
  - id: started
    breakpoint: guest_loop_target
  - after: started
    watch: guest_loop_counter
    access: write
    count: 6
`);
      expect(reasons(result)).toEqual(['', '']);
      expect(statuses(result)).toEqual(['passed', 'passed', 'passed']);
    });
  });

  describe(`${spec.arch} faults (return address in ${profile.calls.returnAddress.kind === 'register' ? profile.calls.returnAddress.name : 'memory'})`, () => {
    test('skip returns the value at once: the guest prints it and takes its error path', async () => {
      const result = await run('skip', 'check exit=0', `
faults:
  - function: guest_check_value
    return: -5
    mode: skip
expect:
  - console: 'guest_check_value() returned -5'
  - console: { regex: 'to be 0 but was -5 \\.+ \\[ FAILED \\]$' }
  - console: 'error path: recovering from -5'
`);
      expect(statuses(result)).toEqual(['passed', 'passed', 'passed', 'passed']);
      expect(result.timeline.events.some((e) => e.kind === 'fault' && e.mode === 'skip' && e.call === 1)).toBe(true);
    });

    test('override lets the function run and replaces the value of the chosen calls only', async () => {
      const result = await run('override', 'check check check check exit=0', `
faults:
  - function: guest_check_value
    return: 9
    mode: override
    hits: { first: 2 }
`);
      expect(result.recentLines.console.filter((l) => l.startsWith('guest_check_value() returned'))).toEqual([
        'guest_check_value() returned 9', 'guest_check_value() returned 9', 'guest_check_value() returned 0', 'guest_check_value() returned 0',
      ]);
      expect(statuses(result)).toEqual(['passed']);
    });
  });

  describeStepEmulation(spec);
}
