// Runs the real Vitest CLI on scenario files, the way a user does.
import { execa, type ResultPromise } from 'execa';
import { REPO, VITEST_BIN } from './host.js';

export interface VitestRun {
  exitCode: number | undefined;
  stdout: string;
  /** stdout without ANSI colours. */
  plain: string;
}

const ANSI = /\u001b\[[0-9;]*m/g;

export const SCENARIOS_CONFIG = 'vitest.scenarios.config.ts';
export const FIXTURES_CONFIG = 'test/fixtures/e2e/vitest.config.ts';

export function spawnVitest(args: string[], env: Record<string, string> = {}, config = SCENARIOS_CONFIG): ResultPromise<{ cwd: string; reject: false; all: true; env: Record<string, string> }> {
  return execa(VITEST_BIN, ['run', '--config', config, ...args], {
    cwd: REPO, reject: false, all: true, env: { ...env, FORCE_COLOR: '0' },
  });
}

export async function runVitest(args: string[], env: Record<string, string> = {}): Promise<VitestRun> {
  const result = await spawnVitest(args, env);
  return { exitCode: result.exitCode, stdout: result.all, plain: result.all.replace(ANSI, '') };
}

/** The uktest reporter's lines: `test: ...`, `: ...` and the closing count. */
export function uktestLines(output: string): string[] {
  return output.split('\n').filter((l) => /^(test: |: |\d+ passed, \d+ failed)/.test(l));
}
