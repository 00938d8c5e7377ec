// The instructions the debugger client emulates to leave a breakpoint, checked against QEMU's own single step:
// at each emu_* label of the reference guest, the emulated effect must equal what the step did, register for
// register and byte for byte; and a scenario with a breakpoint on each of them prints what a plain run prints.
import { describe, test, expect, afterAll } from 'vitest';
import { createServer, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { execa } from 'execa';
import { GdbClient } from '../../src/gdb/gdb-client.js';
import { GdbTarget } from '../../src/gdb/gdb-target.js';
import { decodeEmulation } from '../../src/arch/x86_64/emulation.js';
import { loadSymbols } from '../../src/symbols/load-symbols.js';
import type { ResolvedSymbol } from '../../src/symbols/symbol-table.js';
import { runScenario } from '../../src/runner/run-scenario.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { REFERENCE_KERNEL } from './support/host.js';
import { isolateRuns } from './support/isolated-runs.js';

// Emulation is the GDB stub's: breakpoints that only count would go to the TCG plugin, which never stops the guest.
process.env.VITEST_GUEST_PLUGIN = 'off';

isolateRuns('emulation');

const GPRS = ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
const SOCKETS = mkdtempSync(join(tmpdir(), 'vg-emulation-'));
afterAll(() => rmSync(SOCKETS, { recursive: true, force: true }));

async function emulatedPoints(): Promise<ResolvedSymbol[]> {
  const table = await loadSymbols(REFERENCE_KERNEL);
  const found = table.resolve('emu_*');
  if (!Array.isArray(found)) throw found;
  // emu_leaf is a plain `ret`, stepped as before; the data (emu_counter, ...) is not code.
  return found.filter((s) => table.requireFunction(s) === undefined && s.name !== 'emu_leaf');
}

function scenario(text: string) {
  const [doc] = loadScenarioFile({ displayPath: 'e.yaml', absolutePath: join(process.cwd(), 'e.yaml'), text });
  if (!doc?.ok) throw new Error(JSON.stringify(doc));
  return doc.scenario;
}

describe('leaving a breakpoint by emulation', () => {
  test('every emu_* instruction: the emulated registers and memory are those of QEMU\'s own step', async () => {
    const points = await emulatedPoints();
    expect(points.map((p) => p.name).sort()).toEqual(['emu_add_eax', 'emu_add_rsp', 'emu_addl_mem', 'emu_call', 'emu_endbr64', 'emu_lock_addq', 'emu_lock_subq', 'emu_mov_rsp_rbp', 'emu_nop1', 'emu_nop5', 'emu_nopw', 'emu_push_r12', 'emu_push_rbp', 'emu_sub_ecx', 'emu_sub_edx', 'emu_sub_rsp', 'emu_subl_mem']);
    const path = join(SOCKETS, 'gdb.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(path, resolve));
    const connected = new Promise<Socket>((resolve) => server.once('connection', resolve));
    const qemu = execa('qemu-system-x86_64', ['-M', 'pc', '-accel', 'tcg', '-nodefaults', '-display', 'none', '-no-reboot', '-S', '-serial', 'none',
      '-chardev', `socket,id=g,path=${path}`, '-gdb', 'chardev:g', '-device', 'isa-debug-exit,iobase=0xf4,iosize=4', '-kernel', REFERENCE_KERNEL, '-append', 'emulated exit=0'], { reject: false });
    try {
      const target = await GdbTarget.attach(new GdbClient(await connected));
      const byAddress = new Map(points.map((p) => [p.address, p.name]));
      for (const address of byAddress.keys()) await target.insertPoint(0, address, 1);
      const seen: string[] = [];
      let stop = await target.continue();
      while (stop.kind === 'signal') {
        const before = await target.readRegisters();
        const pc = before.values.get('rip')!;
        const name = byAddress.get(pc);
        if (!name) throw new Error(`stopped at 0x${pc.toString(16)}, not at an emu_ label`);
        seen.push(name);
        const [code] = await target.readMany([{ memory: pc, size: 16 }]);
        const emulation = decodeEmulation(code as Uint8Array, pc);
        expect(emulation, name).toBeDefined();
        const operand = emulation!.operand ? await target.readUnsigned(emulation!.operand.address, emulation!.operand.size) : undefined;
        const effect = emulation!.execute(before.values, operand)!;
        stop = await target.step(stop.thread);
        const after = await target.readRegisters();
        for (const register of [...GPRS, 'rip', 'eflags']) {
          const expected = effect.registers[register] ?? before.values.get(register);
          expect(`${name} ${register} 0x${after.values.get(register)!.toString(16)}`).toBe(`${name} ${register} 0x${expected!.toString(16)}`);
        }
        for (const write of effect.writes) {
          expect(`${name} [0x${write.address.toString(16)}] 0x${(await target.readUnsigned(write.address, write.size)).toString(16)}`).toBe(`${name} [0x${write.address.toString(16)}] 0x${write.value.toString(16)}`);
        }
        // The step may land on the next label: that is the next stop, with no continue in between.
        if (byAddress.has(after.values.get('rip')!)) continue;
        const next = await target.continue().catch((error: Error) => error);
        // The guest exits through isa-debug-exit after the last label: QEMU closes the stub.
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
    const plain = await runScenario(scenario(`name: plain\nguest: { kernel: ${REFERENCE_KERNEL}, cmdline: 'emulated exit=0' }\ntimeout: 10\nexit: { debug-exit: 0 }\nexpect:\n  - console: { regex: '^emulated: 0x[0-9a-f]+$' }\n`));
    const line = plain.timeline.events.find((e) => e.kind === 'line' && e.text.startsWith('emulated: '));
    expect(line?.kind === 'line' && line.text).toBe('emulated: 0xffffffff80000055');
    const points = await emulatedPoints();
    const counted = await runScenario(scenario([
      'name: counted', `guest: { kernel: ${REFERENCE_KERNEL}, cmdline: 'emulated exit=0' }`, 'timeout: 10', 'exit: { debug-exit: 0 }', 'expect:',
      "  - console: 'emulated: 0xffffffff80000055'",
      ...points.map((p) => `  - breakpoint: ${p.name}\n    count: 1`),
    ].join('\n')));
    expect([...counted.verdicts, counted.exitVerdict].map((v) => v.status)).toEqual([...counted.verdicts, counted.exitVerdict].map(() => 'passed'));
  });
});
