// Facts of one architecture belong to its profile (src/arch/<arch>/): shared code reads them from there. This
// reads every source file of src/ and reporters/ outside the architectures' own folders (src/arch/<arch>/) for
// x86 terms, so a port number, register or boot protocol written into shared code fails here. A few comments cite x86 as the example that
// explains a general rule; they are listed below, each with the term it may use and why.
import { expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCANNED = ['src', 'reporters'];
/** An architecture's own folder: its profile and decoder, where its facts belong. */
const ARCH_OWN = /^src\/arch\/[^/]+\//;

/** x86 facts: its I/O ports and devices, registers, serial names, firmware, boot protocols, reset. */
const X86_TERMS: readonly { term: string; pattern: RegExp }[] = [
  { term: 'x86', pattern: /\bx86\b(?!_64)/ },
  { term: 'port 0xe9', pattern: /0xe9\b/ },
  { term: 'port 0x80', pattern: /port 0x80\b/i },
  { term: 'port 0x402', pattern: /0x402\b/ },
  { term: 'isa-debugcon', pattern: /isa-debugcon/ },
  { term: 'I/O port', pattern: /\bI\/O port/ },
  // Lower case as the GDB stub names them, upper case as crash screens print them (RSP alone is the Remote Serial Protocol).
  { term: 'x86 register', pattern: /\b(rip|rax|rsp|eflags|RIP|RAX|EFLAGS)\b(?![-.])/ },
  { term: 'COM1', pattern: /\bCOM1\b/ },
  { term: 'ttyS0', pattern: /\bttyS0\b/ },
  { term: 'SeaBIOS', pattern: /SeaBIOS/ },
  { term: 'triple fault', pattern: /triple fault/i },
  { term: 'PVH', pattern: /\bPVH\b/ },
  { term: 'multiboot', pattern: /multiboot/i },
  { term: 'bzImage', pattern: /bzImage/ },
  { term: 'ACPI', pattern: /\bACPI\b|\bS5\b/ },
  { term: 'RDRAND', pattern: /RDRAND|RDSEED/ },
  { term: 'int3', pattern: /\bint3\b/ },
];

/** Comments that cite x86 to explain something general, by file and term. */
const ALLOWED: readonly { file: string; term: string; why: string }[] = [
  { file: 'src/scenario/channels-read.ts', term: 'x86', why: 'Linux on x86 writes port 0x80 as an I/O delay: why stage codes are read only when asked for' },
  { file: 'src/scenario/channels-read.ts', term: 'port 0x80', why: 'the same comment' },
  { file: 'src/scenario/schema.ts', term: 'I/O port', why: 'machine.debug-exit is x86_64\'s own key (refused elsewhere): its description names the device\'s port' },
  { file: 'src/qemu/file-tail.ts', term: 'SeaBIOS', why: 'the measurement (SeaBIOS\'s log, one write a byte) behind the reader\'s design' },
  { file: 'src/qemu/file-tail.ts', term: 'port 0x402', why: 'the same measurement' },
  { file: 'src/runner/host-accel.ts', term: 'x86', why: 'the host\'s CPU flags, not a guest\'s architecture' },
  { file: 'src/results/guest-crash.ts', term: 'x86', why: 'Unikraft\'s x86 trap line, a guest output format the parser reads' },
  { file: 'src/results/crash-markers.ts', term: 'x86 register', why: 'Unikraft\'s x86 register dump, a guest output format the parser reads' },
  { file: 'src/debugger/debug-session.ts', term: 'x86', why: 'where QEMU leaves a pending watchpoint hit on each architecture, which the session allows for' },
  { file: 'src/debugger/vcpu-turns.ts', term: 'x86', why: 'the QEMU 7.2 watchpoint behaviour measured on x86 and ARM that vCPU turns work around' },
  { file: 'src/gdb/register-block.ts', term: 'x86 register', why: 'an example of a `g` reply as QEMU\'s x86_64 stub sends it' },
  { file: 'src/gdb/target-description.ts', term: 'x86 register', why: 'an example of QEMU\'s x86_64 target.xml' },
  { file: 'src/gdb/target-description.ts', term: 'x86', why: 'the same example (`i386:x86-64`)' },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mjs|js)$/.test(entry.name) ? [path] : [];
  });
}

interface Finding { file: string; line: number; term: string; text: string }

function findings(): Finding[] {
  const found: Finding[] = [];
  for (const file of SCANNED.flatMap(sourceFiles)) {
    if (ARCH_OWN.test(file)) continue;
    readFileSync(join(ROOT, file), 'utf8').split('\n').forEach((text, index) => {
      for (const { term, pattern } of X86_TERMS) if (pattern.test(text)) found.push({ file, line: index + 1, term, text: text.trim() });
    });
  }
  return found;
}

test('shared code names no x86 fact, but for the comments allowed', () => {
  const unexpected = findings()
    .filter((f) => !ALLOWED.some((a) => a.file === f.file && a.term === f.term))
    .map((f) => `${f.file}:${f.line}: ${f.term}: ${f.text}`);
  expect(unexpected).toEqual([]);
});

test('each allowed comment is still there (an entry nothing uses is removed)', () => {
  const found = findings();
  const unused = ALLOWED.filter((a) => !found.some((f) => f.file === a.file && f.term === a.term)).map((a) => `${a.file}: ${a.term}`);
  expect(unused).toEqual([]);
});

test('the scan reads shared code and finds a term it is given', () => {
  const files = SCANNED.flatMap(sourceFiles);
  expect(files).toContain('src/qemu/argv.ts');
  expect(files).toContain('reporters/html/timeline-svg.ts');
  expect(X86_TERMS.filter(({ pattern }) => pattern.test('the 16550 COM1 and I/O port 0xe9')).map(({ term }) => term)).toEqual(['port 0xe9', 'I/O port', 'COM1']);
  expect(files.filter((file) => ARCH_OWN.test(file))).toContain('src/arch/x86_64/profile.ts');
  expect(files.filter((file) => ARCH_OWN.test(file))).not.toContain('src/arch/profile.ts');
});
