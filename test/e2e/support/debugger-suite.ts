// The debugger's end-to-end checks on an architecture whose return address is in a register (aarch64, riscv64):
// breakpoints with counts and a register check on the first argument, a watchpoint, skip and override faults
// through the link register, and the step-off emulation compared with QEMU's own single step. Each
// architecture's test file (debugger-<arch>.e2e.test.ts) gives its data; the reference guest is the same.
import { beforeAll, describe, test, expect, afterAll } from 'vitest';
import { createServer, type Socket } from 'node:net';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { execa } from 'execa';
import { GdbClient } from '../../../src/gdb/gdb-client.js';
import { GdbTarget } from '../../../src/gdb/gdb-target.js';
import { ARCH_PROFILES, type Arch, type ArchProfile } from '../../../src/arch/profiles.js';
import { loadSymbols } from '../../../src/symbols/load-symbols.js';
import type { ResolvedSymbol } from '../../../src/symbols/symbol-table.js';
import { runScenario, type RunResult } from '../../../src/runner/run-scenario.js';
import { isolateRuns } from './isolated-runs.js';
import { scenarioFrom } from './scenario.js';
import { REPO } from './host.js';
import { PLUGIN_ENV } from '../../../src/plugin/plugin-probe.js';

export interface DebuggerArch {
  arch: Exclude<Arch, 'x86_64'>;
  /** How a scenario expects the guest's `exit=0`. */
  exitZero: string;
  /** The registers an instruction may change, compared after each step. */
  compared: readonly string[];
  /** QEMU arguments besides the machine, the stub and the kernel, to boot the reference guest at -S. */
  qemuArgs: readonly string[];
  /** The emu_* labels of guests/reference/<arch>/emulated.S, and the line the `emulated` action prints. */
  emulatedLabels: readonly string[];
  emulatedLine: string;
  /** What the stop must show at a label before its step: the state an emulation there depends on. */
  stateAt?: Record<string, { register: string; mask: bigint; equals: bigint }>;
  /** The architecture's step-off decoder, which its profile must use. */
  decode: NonNullable<ArchProfile['emulation']>['decode'];
}

const statuses = (result: RunResult): string[] => [...result.verdicts, result.exitVerdict].map((v) => (v.status === "failed" ? `failed: ${v.reason}` : v.status));
const reasons = (result: RunResult): string[] => result.verdicts.map((v) => (v.status === 'failed' ? v.reason : ''));

export function describeDebugger(spec: DebuggerArch): void {
  const profile = ARCH_PROFILES[spec.arch];
  const kernel = join(REPO, `guests/reference/build/${spec.arch}/reference.elf`);
  const argument = profile.calls.returnValue;
  isolateRuns(`debugger-${spec.arch}`);
  const sockets = mkdtempSync(join(tmpdir(), `vg-debugger-${spec.arch}-`));
  afterAll(() => rmSync(sockets, { recursive: true, force: true }));

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

  describe(`${spec.arch} leaving a breakpoint by emulation`, () => {
    async function emulatedPoints(): Promise<ResolvedSymbol[]> {
      const table = await loadSymbols(kernel);
      const found = table.resolve('emu_*');
      if (!Array.isArray(found)) throw found;
      return found.filter((s) => table.requireFunction(s) === undefined);
    }

    test('every emu_* instruction: the emulated registers and memory are those of QEMU\'s own step', async () => {
      const points = await emulatedPoints();
      expect(points.map((p) => p.name).sort()).toEqual([...spec.emulatedLabels].sort());
      expect(profile.emulation?.decode).toBe(spec.decode);
      const decode = spec.decode;
      const path = join(sockets, 'gdb.sock');
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(path, resolve));
      const connected = new Promise<Socket>((resolve) => server.once('connection', resolve));
      const qemu = execa(profile.qemuBinary, ['-M', 'virt', '-accel', 'tcg', '-nodefaults', '-display', 'none', '-no-reboot', '-S', '-serial', 'none', ...spec.qemuArgs,
        '-chardev', `socket,id=g,path=${path}`, '-gdb', 'chardev:g', '-kernel', kernel, '-append', 'emulated exit=0'], { reject: false });
      try {
        const target = await GdbTarget.attach(new GdbClient(await connected));
        const byAddress = new Map(points.map((p) => [p.address, p.name]));
        for (const address of byAddress.keys()) await target.insertPoint(0, address, 1);
        const seen: string[] = [];
        let stop = await target.continue();
        while (stop.kind === 'signal') {
          const before = await target.readRegisters();
          const pc = before.values.get('pc')!;
          const name = byAddress.get(pc);
          if (!name) throw new Error(`stopped at 0x${pc.toString(16)}, not at an emu_ label`);
          seen.push(name);
          const state = spec.stateAt?.[name];
          if (state) expect(`${name} ${state.register} & 0x${state.mask.toString(16)}: 0x${(before.values.get(state.register)! & state.mask).toString(16)}`).toBe(`${name} ${state.register} & 0x${state.mask.toString(16)}: 0x${state.equals.toString(16)}`);
          const [code] = await target.readMany([{ memory: pc, size: profile.emulation?.codeBytes ?? 4 }]);
          const emulation = decode(code as Uint8Array, pc);
          expect(emulation, name).toBeDefined();
          // System registers an emulation reads (SCTLR) are in the stub's description but not in every g block.
          const registers = new Map(before.values);
          for (const register of emulation!.reads.filter((r) => !registers.has(r))) registers.set(register, await target.readRegister(register));
          const effect = emulation!.execute(registers);
          expect(effect, `${name} is emulated in this state`).toBeDefined();
          stop = await target.step(stop.thread);
          const after = await target.readRegisters();
          for (const register of [...spec.compared, 'pc']) {
            const expected = effect!.registers[register] ?? before.values.get(register);
            expect(`${name} ${register} 0x${after.values.get(register)!.toString(16)}`).toBe(`${name} ${register} 0x${expected!.toString(16)}`);
          }
          for (const write of effect!.writes) {
            expect(`${name} [0x${write.address.toString(16)}] 0x${(await target.readUnsigned(write.address, write.size)).toString(16)}`).toBe(`${name} [0x${write.address.toString(16)}] 0x${write.value.toString(16)}`);
          }
          // The step may land on the next label: that is the next stop, with no continue in between.
          if (byAddress.has(after.values.get('pc')!)) continue;
          const next = await target.continue().catch((error: Error) => error);
          // The guest exits after the last label: QEMU closes the stub.
          if (next instanceof Error) break;
          stop = next;
        }
        expect(seen.sort()).toEqual(points.map((p) => p.name).sort());
      } finally {
        qemu.kill('SIGKILL');
        await qemu;
        server.close();
      }
    });

    test('a scenario counting every emu_* instruction prints what a run without breakpoints prints', async () => {
      const plain = await run('plain', 'emulated exit=0', 'expect:\n  - console: { regex: \'^emulated: 0x[0-9a-f]+$\' }\n');
      const line = plain.timeline.events.find((e) => e.kind === 'line' && e.text.startsWith('emulated: '));
      expect(line?.kind === 'line' && line.text).toBe(spec.emulatedLine);
      const points = await emulatedPoints();
      const counted = await run('counted', 'emulated exit=0', ['expect:', `  - console: '${spec.emulatedLine}'`, ...points.map((p) => `  - breakpoint: ${p.name}\n    count: 1`)].join('\n'));
      expect(reasons(counted)).toEqual(reasons(counted).map(() => ''));
      expect(statuses(counted)).toEqual(statuses(counted).map(() => 'passed'));
    });
  });
}
