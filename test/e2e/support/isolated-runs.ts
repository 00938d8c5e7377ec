// For test files that call the runner directly: a private TMPDIR, checked empty of QEMU and files after each test.
import { rmdirSync } from 'node:fs';
import { afterAll, beforeAll, afterEach, expect } from 'vitest';
import { entriesOf, privateTmpdir, processesMentioning, requireQemuAndGuest } from './host.js';
import { SESSION_ENV } from '../../../src/runner/session.js';

/** Registers the hooks; every run of the file, passed or failed, must leave no QEMU and no work dir. */
export function isolateRuns(label: string, afterEachTest: () => void = () => undefined): void {
  let tmp = '';
  beforeAll(() => {
    requireQemuAndGuest();
    tmp = privateTmpdir(label);
    process.env.TMPDIR = tmp;
    // Under Vitest with the plugin loaded, runs go to the main process's session folder; these tests
    // watch their own folder instead, so every file a run leaves behind shows up here.
    delete process.env[SESSION_ENV];
  });
  afterEach(() => {
    afterEachTest();
    expect(processesMentioning(tmp)).toEqual([]);
    expect(entriesOf(tmp)).toEqual([]);
  });
  // rmdir, not rm -r: the folder is empty when every test left nothing behind, and stays to be seen otherwise.
  afterAll(() => { if (tmp && entriesOf(tmp).length === 0) rmdirSync(tmp); });
}
