// A temporary folder for the files a unit test file builds with the host's gcc and binutils (rather than
// committing binaries): made before the tests of the file or describe block that asks for it, removed after.
import { afterAll, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BuildFolder {
  /** The path of `name` in the folder. */
  file(name: string): string;
  /** A host tool's standard output; it throws with the tool's error output if the tool fails. */
  run(command: string, args: string[]): string;
}

/** Call before the hooks that build into it: its beforeAll runs first. */
export function buildFolder(prefix: string): BuildFolder {
  let dir: string | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return {
    file(name) {
      if (!dir) throw new Error(`build folder ${prefix}: asked for ${name} before its beforeAll made it`);
      return join(dir, name);
    },
    run: (command, args) => execFileSync(command, args, { encoding: 'utf8' }),
  };
}
