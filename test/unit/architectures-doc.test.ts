// docs/architectures.md's table is the architecture profiles written out: rendered here from
// src/arch/*/profile.ts and compared with the page, so a profile that changes fails this test until the page
// says the same.
import { expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { ARCHES, ARCH_PROFILES, type ArchProfile } from '../../src/arch/profiles.js';
import type { ChannelAttachment, VirtioBus } from '../../src/arch/profile.js';

const PAGE = new URL('../../docs/architectures.md', import.meta.url);
const BEGIN = '<!-- table: generated from src/arch/*/profile.ts, checked by test/unit/architectures-doc.test.ts -->';
const END = '<!-- end of table -->';

const code = (text: string) => `\`${text}\``;

function attachment(channel: ChannelAttachment | null): string {
  if (!channel) return 'none: refused at its YAML line';
  switch (channel.kind) {
    case 'serial': return `the machine's first serial port (${code('-serial')})`;
    case 'device': return `${channel.where} (${code(`-device ${channel.device}`)})`;
    case 'semihosting': return `${channel.where} (${code('-semihosting-config ...,chardev=')})`;
  }
}

function virtio(bus: VirtioBus | null): string {
  if (!bus) return 'none: refused at its YAML line';
  const others = Object.entries(bus).filter(([type]) => type !== 'default').map(([type, device]) => `; on ${type}: ${code(device!)}`);
  return `${code(bus.default)}${others.join('')}, with a virtconsole`;
}

function statusExit(p: ArchProfile): string {
  const exit = p.statusExit;
  if (exit.kind === 'isa-debug-exit') return `${code('exit: { debug-exit: V }')}: isa-debug-exit at 0x${exit.iobase.toString(16)}, QEMU status (V << 1) | 1`;
  return `${code(`exit: { ${exit.scenarioKey}: N }`)}: ${exit.how}, QEMU status ${exit.scenarioKey === 'semihosting' ? 'N & 0xff' : 'N'}`;
}

function returnAddress(p: ArchProfile): string {
  const at = p.calls.returnAddress;
  return at.kind === 'register' ? code(at.name) : `the ${at.bytes} bytes at ${code(p.calls.stackPointer)}`;
}

const ROWS: [string, (p: ArchProfile) => string][] = [
  ['QEMU (Debian package)', (p) => `${code(p.qemuBinary)} (${p.qemuPackage})`],
  ['Machine types (default)', (p) => `${p.machineTypes.join(', ')} (${p.defaults.type})`],
  ['Memory by default', (p) => p.defaults.memory],
  ['CPU model by default', (p) => `${code(p.defaultCpu.tcg)} under TCG, ${code(p.defaultCpu.kvm)} under KVM`],
  ['KVM', (p) => `on a host whose Node ${code('process.arch')} is ${code(p.kvmHostArch)}`],
  [code('console:'), (p) => `${attachment(p.channels.console)}; Linux's ${code(p.linuxConsole)}`],
  [code('debugcon:'), (p) => attachment(p.channels.debugcon)],
  [`${code('code:')} and stages`, (p) => attachment(p.channels.codes)],
  [code('firmware:'), (p) => attachment(p.channels.firmware)],
  [code('virtio:'), (p) => virtio(p.channels.virtio)],
  ['Semihosting', (p) => (p.semihosting ? `on in every run (${code('enable=on,target=native')})` : 'none')],
  ['Exit with a status', statusExit],
  [code('exit: poweroff'), (p) => p.power.off],
  [code('exit: reset'), (p) => p.power.reset],
  ['Kernel images', (p) => `ELF (e_machine ${p.elfMachines.join(', ')}) or a Linux ${p.linuxImage.name}`],
  ['Registers for breakpoint checks', (p) => p.registers.map(code).join(' ')],
  ['Fault: return value, return address', (p) => `${code(p.calls.returnValue)}, ${returnAddress(p)}`],
  ['Other names, told the right one', (p) => p.otherNames.map(code).join(' ')],
];

/** A Markdown table cell: a pipe, even in a code span, would end the cell. */
const cell = (text: string) => text.replaceAll('|', '\\|');

function table(): string {
  const lines = [`| | ${ARCHES.join(' | ')} |`, `|---|${ARCHES.map(() => '---|').join('')}`];
  for (const [label, render] of ROWS) lines.push(`| ${label} | ${ARCHES.map((arch) => cell(render(ARCH_PROFILES[arch]))).join(' | ')} |`);
  return lines.join('\n');
}

test('docs/architectures.md holds the table the profiles give (on a mismatch, paste the expected table between the markers)', () => {
  const page = readFileSync(PAGE, 'utf8');
  const start = page.indexOf(BEGIN);
  const end = page.indexOf(END);
  expect(start, `the page must hold the line ${BEGIN}`).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  expect(page.slice(start + BEGIN.length, end).trim()).toBe(table());
});
