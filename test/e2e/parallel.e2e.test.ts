// 20 scenarios at once: across files (Vitest's workers) and within files (--sequence.concurrent), with the
// same verdicts as one at a time, and nothing shared between runs: each scenario prints its own text and
// exits with its own code, so a socket or folder mixed up between runs shows as a wrong verdict.
import { describe, test, expect, afterAll } from 'vitest';
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entriesOf, privateTmpdir, processesMentioning, REFERENCE_KERNEL, REPO, requireQemuAndGuest } from './support/host.js';

const FILES = 4;
const PER_FILE = 5;
const PROJECT = mkdtempSync(join(tmpdir(), 'vg-parallel-'));
afterAll(() => rmSync(PROJECT, { recursive: true, force: true }));

/** Every scenario's `f-s` but this one's: a line of another scenario's guest must never reach this one. */
function otherNames(file: number, scenario: number): string[] {
  return Array.from({ length: FILES * PER_FILE }, (_, i) => [Math.floor(i / PER_FILE), i % PER_FILE])
    .filter(([f, s]) => f !== file || s !== scenario).map(([f, s]) => `${f}-${s}`);
}

/** Scenario s of file f prints "scenario f-s" and exits with s; the last of each file expects a code it never gets. */
function writeProject(): void {
  mkdirSync(join(PROJECT, 'scenarios'));
  symlinkSync(join(REPO, 'node_modules'), join(PROJECT, 'node_modules'));
  writeFileSync(join(PROJECT, 'package.json'), '{ "type": "module" }\n');
  for (let f = 0; f < FILES; f++) {
    const docs = Array.from({ length: PER_FILE }, (_, s) => [
      `name: s${f}-${s}`,
      `guest: { kernel: ${REFERENCE_KERNEL}, cmdline: 'print="scenario ${f}-${s}" code=0x${(0x40 + s).toString(16)} exit=${s}' }`,
      'timeout: 20',
      `exit: { debug-exit: ${s} }`,
      'expect:',
      `  - console: scenario ${f}-${s}`,
      `  - never: { regex: '^scenario (?:${otherNames(f, s).join('|')})$' }`,
      `  - code: 0x${(0x40 + (s === PER_FILE - 1 ? 0x10 : s)).toString(16)}`,
    ].join('\n'));
    writeFileSync(join(PROJECT, 'scenarios', `p${f}.yaml`), docs.join('\n---\n'));
  }
  writeFileSync(join(PROJECT, 'vitest.config.ts'), [
    `import { defineConfig } from 'vitest/config';`,
    `import { vitestGuest } from ${JSON.stringify(join(REPO, 'src/vitest/plugin.ts'))};`,
    `import { UktestReporter } from ${JSON.stringify(join(REPO, 'reporters/uktest-reporter.ts'))};`,
    `export default defineConfig({ plugins: [vitestGuest()], test: { include: [], reporters: [new UktestReporter()] } });`,
  ].join('\n'));
}

async function verdicts(args: string[]) {
  const tmp = privateTmpdir('parallel');
  const run = await execa('node', [join(REPO, 'node_modules/vitest/vitest.mjs'), 'run', ...args], { cwd: PROJECT, reject: false, env: { FORCE_COLOR: '0', TMPDIR: tmp } });
  const lines = run.stdout.split('\n').filter((l) => l.startsWith('test: ')).sort();
  const left = { qemu: processesMentioning(tmp), files: entriesOf(tmp) };
  rmSync(tmp, { recursive: true, force: true });
  return { lines, left, exitCode: run.exitCode, output: run.stdout };
}

describe('parallel scenario runs', () => {
  test('20 scenarios across files and concurrent within them give the verdicts of a sequential run, leaving nothing', async () => {
    requireQemuAndGuest();
    writeProject();
    const sequential = await verdicts(['--no-file-parallelism', '--maxWorkers=1']);
    // 20 scenarios, 4 tests each; the last scenario of each file fails its code.
    expect(sequential.lines, sequential.output).toHaveLength(FILES * PER_FILE * 4);
    expect(sequential.lines.filter((l) => l.endsWith('FAILED'))).toEqual(Array.from({ length: FILES }, (_, f) => `test: s${f}-${PER_FILE - 1}->code 0x50 ..... FAILED`));
    expect(sequential.left).toEqual({ qemu: [], files: [] });
    const parallel = await verdicts([]);
    const concurrent = await verdicts(['--sequence.concurrent']);
    for (const run of [parallel, concurrent]) {
      expect(run.lines).toEqual(sequential.lines);
      expect(run.exitCode).toBe(1);
      expect(run.left).toEqual({ qemu: [], files: [] });
    }
  }, 240_000);
});
