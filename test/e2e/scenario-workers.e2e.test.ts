// A run of scenario files alone keeps its Vitest workers from file to file (the plugin turns `isolate`
// off for it); a run that also holds other test files, or a config that sets `isolate`, keeps Vitest's
// fresh worker per file. A setup file notes the pid of the worker each test file runs in.
import { describe, test, expect, afterAll } from 'vitest';
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REFERENCE_KERNEL, REPO, requireQemuAndGuest } from './support/host.js';

const FILES = 3;
const PROJECT = mkdtempSync(join(tmpdir(), 'vg-workers-'));
const PIDS = join(PROJECT, 'pids.txt');
afterAll(() => rmSync(PROJECT, { recursive: true, force: true }));

function writeProject(): void {
  mkdirSync(join(PROJECT, 'scenarios'));
  mkdirSync(join(PROJECT, 'test'));
  symlinkSync(join(REPO, 'node_modules'), join(PROJECT, 'node_modules'));
  writeFileSync(join(PROJECT, 'package.json'), '{ "type": "module" }\n');
  for (let f = 0; f < FILES; f++) {
    writeFileSync(join(PROJECT, 'scenarios', `w${f}.yaml`), [
      `name: w${f}`,
      `guest: { kernel: ${REFERENCE_KERNEL}, cmdline: 'print="worker file ${f}" exit=0' }`,
      'timeout: 20',
      'expect:',
      `  - console: worker file ${f}`,
    ].join('\n'));
  }
  writeFileSync(join(PROJECT, 'test', 'plain.test.ts'), `import { test, expect } from 'vitest';\ntest('plain', () => expect(1).toBe(1));\n`);
  writeFileSync(join(PROJECT, 'note-pid.ts'), `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(PIDS)}, process.pid + '\\n');\n`);
  for (const [name, isolate] of [['vitest.config.ts', ''], ['vitest.isolated.config.ts', 'isolate: true, ']] as const) {
    writeFileSync(join(PROJECT, name), [
      `import { defineConfig } from 'vitest/config';`,
      `import { vitestGuest } from ${JSON.stringify(join(REPO, 'src/vitest/plugin.ts'))};`,
      `export default defineConfig({ plugins: [vitestGuest()], test: { ${isolate}include: ['test/*.test.ts'], setupFiles: ['./note-pid.ts'] } });`,
    ].join('\n'));
  }
}

/** One worker at a time; how many test files passed and how many workers they ran in. */
async function workers(config: string, filter: string[]) {
  rmSync(PIDS, { force: true });
  const run = await execa('node', [join(REPO, 'node_modules/vitest/vitest.mjs'), 'run', '--config', config, '--no-file-parallelism', '--maxWorkers=1', ...filter], { cwd: PROJECT, reject: false, env: { FORCE_COLOR: '0' } });
  const pids = readFileSync(PIDS, 'utf8').trim().split('\n');
  return { files: pids.length, workers: new Set(pids).size, exitCode: run.exitCode, output: run.stdout };
}

describe('workers for scenario files', () => {
  test('scenario files alone share one worker; beside another test file, or with isolate set, each file gets its own', async () => {
    requireQemuAndGuest();
    writeProject();
    const scenariosOnly = await workers('vitest.config.ts', ['scenarios/']);
    expect(scenariosOnly, scenariosOnly.output).toMatchObject({ files: FILES, workers: 1, exitCode: 0 });
    const mixed = await workers('vitest.config.ts', []);
    expect(mixed, mixed.output).toMatchObject({ files: FILES + 1, workers: FILES + 1, exitCode: 0 });
    const isolated = await workers('vitest.isolated.config.ts', ['scenarios/']);
    expect(isolated, isolated.output).toMatchObject({ files: FILES, workers: FILES, exitCode: 0 });
  }, 180_000);
});
