// The instructions the debugger client emulates to leave a breakpoint, checked against QEMU's own single step on
// any architecture: at each emu_* label of the reference guest's emulated.S the emulated effect must equal what
// the step did, register for register and byte for byte; and a scenario with a breakpoint on each of them prints
// what a plain run prints. The caller isolates the runs and turns the TCG plugin off (breakpoints that only count
// would go to it, and never reach the emulation checked here).
import { describe, test, expect, afterAll } from 'vitest';
import { createServer, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { execa } from 'execa';
import { GdbClient } from '../../../src/gdb/gdb-client.js';
import { GdbTarget } from '../../../src/gdb/gdb-target.js';
import { ARCH_PROFILES, type Arch, type ArchProfile } from '../../../src/arch/profiles.js';
import { loadSymbols } from '../../../src/symbols/load-symbols.js';
import type { ResolvedSymbol } from '../../../src/symbols/symbol-table.js';
import { runScenario, type RunResult } from '../../../src/runner/run-scenario.js';
import { scenarioFrom } from './scenario.js';
import { REPO } from './host.js';

export interface StepEmulationArch {
  arch: Arch;
  /** How a scenario expects the guest's `exit=0`. */
  exitZero: string;
  /** The registers an instruction may change, compared after each step (the pc always is). */
  compared: readonly string[];
  /** QEMU arguments besides the machine, the stub and the kernel, to boot the reference guest at -S. */
  qemuArgs: readonly string[];
  /** The emu_* labels of guests/reference/<arch>/emulated.S, and the line the `emulated` action prints. */
  emulatedLabels: readonly string[];
  emulatedLine: string;
  /** emu_* code that is no emulation case (x86_64's emu_leaf, a plain `ret` that is stepped). */
  notEmulated?: readonly string[];
  /** What the stop must show at a label before its step: the state an emulation there depends on. */
  stateAt?: Record<string, { register: string; mask: bigint; equals: bigint }>;
  /** The architecture's step-off decoder, which its profile must use. */
  decode: NonNullable<ArchProfile['emulation']>['decode'];
}

const statuses = (result: RunResult): string[] => [...result.verdicts, result.exitVerdict].map((v) => (v.status === 'failed' ? `failed: ${v.reason}` : v.status));

export function describeStepEmulation(spec: StepEmulationArch): void {
  const profile = ARCH_PROFILES[spec.arch];
  const kernel = join(REPO, `guests/reference/build/${spec.arch}/reference.elf`);
  const pc = profile.calls.pc;

  const run = (name: string, body: string): Promise<RunResult> => runScenario(scenarioFrom(`
name: ${name}
machine: { arch: ${spec.arch} }
guest: { kernel: ${kernel}, cmdline: 'emulated exit=0' }
timeout: 30
exit: ${spec.exitZero}
${body}`));

  async function emulatedPoints(): Promise<ResolvedSymbol[]> {
    const table = await loadSymbols(kernel);
    const found = table.resolve('emu_*');
    if (!Array.isArray(found)) throw found;
    // The data (emu_counter, ...) is not code.
    return found.filter((s) => table.requireFunction(s) === undefined && !spec.notEmulated?.includes(s.name));
  }

  describe(`${spec.arch} leaving a breakpoint by emulation`, () => {
    const sockets = mkdtempSync(join(tmpdir(), `vg-emulation-${spec.arch}-`));
    afterAll(() => rmSync(sockets, { recursive: true, force: true }));

    test('every emu_* instruction: the emulated registers and memory are those of QEMU\'s own step', async () => {
      const points = await emulatedPoints();
      expect(points.map((p) => p.name).sort()).toEqual([...spec.emulatedLabels].sort());
      expect(profile.emulation?.decode).toBe(spec.decode);
      const decode = spec.decode;
      const path = join(sockets, 'gdb.sock');
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(path, resolve));
      const connected = new Promise<Socket>((resolve) => server.once('connection', resolve));
      const qemu = execa(profile.qemuBinary, ['-M', profile.defaults.type, '-accel', 'tcg', '-nodefaults', '-display', 'none', '-no-reboot', '-S', '-serial', 'none', ...spec.qemuArgs,
        '-chardev', `socket,id=g,path=${path}`, '-gdb', 'chardev:g', '-kernel', kernel, '-append', 'emulated exit=0'], { reject: false });
      try {
        const target = await GdbTarget.attach(new GdbClient(await connected));
        const byAddress = new Map(points.map((p) => [p.address, p.name]));
        for (const address of byAddress.keys()) await target.insertPoint(0, address, 1);
        const seen: string[] = [];
        let stop = await target.continue();
        while (stop.kind === 'signal') {
          const before = await target.readRegisters();
          const at = before.values.get(pc)!;
          const name = byAddress.get(at);
          if (!name) throw new Error(`stopped at 0x${at.toString(16)}, not at an emu_ label`);
          seen.push(name);
          const state = spec.stateAt?.[name];
          if (state) expect(`${name} ${state.register} & 0x${state.mask.toString(16)}: 0x${(before.values.get(state.register)! & state.mask).toString(16)}`).toBe(`${name} ${state.register} & 0x${state.mask.toString(16)}: 0x${state.equals.toString(16)}`);
          const [code] = await target.readMany([{ memory: at, size: profile.emulation?.codeBytes ?? 4 }]);
          const emulation = decode(code as Uint8Array, at);
          expect(emulation, name).toBeDefined();
          // System registers an emulation reads (SCTLR) are in the stub's description but not in every g block.
          const registers = new Map(before.values);
          for (const register of emulation!.reads.filter((r) => !registers.has(r))) registers.set(register, await target.readRegister(register));
          const operand = emulation!.operand ? await target.readUnsigned(emulation!.operand.address, emulation!.operand.size) : undefined;
          const effect = emulation!.execute(registers, operand);
          expect(effect, `${name} is emulated in this state`).toBeDefined();
          stop = await target.step(stop.thread);
          const after = await target.readRegisters();
          for (const register of [...spec.compared, pc]) {
            const expected = effect!.registers[register] ?? before.values.get(register);
            expect(`${name} ${register} 0x${after.values.get(register)!.toString(16)}`).toBe(`${name} ${register} 0x${expected!.toString(16)}`);
          }
          for (const write of effect!.writes) {
            expect(`${name} [0x${write.address.toString(16)}] 0x${(await target.readUnsigned(write.address, write.size)).toString(16)}`).toBe(`${name} [0x${write.address.toString(16)}] 0x${write.value.toString(16)}`);
          }
          // The step may land on the next label: that is the next stop, with no continue in between.
          if (byAddress.has(after.values.get(pc)!)) continue;
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
      const plain = await run('plain', 'expect:\n  - console: { regex: \'^emulated: 0x[0-9a-f]+$\' }\n');
      const line = plain.timeline.events.find((e) => e.kind === 'line' && e.text.startsWith('emulated: '));
      expect(line?.kind === 'line' && line.text).toBe(spec.emulatedLine);
      const points = await emulatedPoints();
      const counted = await run('counted', ['expect:', `  - console: '${spec.emulatedLine}'`, ...points.map((p) => `  - breakpoint: ${p.name}\n    count: 1`)].join('\n'));
      expect(statuses(counted)).toEqual(statuses(counted).map(() => 'passed'));
    });
  });
}
