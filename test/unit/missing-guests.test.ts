// Guest files a run needs, and the reason a scenario is skipped or failed when some are not on disk.
import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { guestFiles } from '../../src/scenario/guest-files.js';
import { missingGuestFiles, missingGuestsMessage } from '../../src/vitest/missing-guests.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/model.js';

const FIXTURES = join(import.meta.dirname, '../fixtures');

function scenario(guest: string): Scenario {
  const [doc] = loadScenarioFile({ displayPath: 'x.yaml', absolutePath: join(FIXTURES, 'x.yaml'), text: `name: x\nguest: ${guest}\nexit: any\n` });
  if (!doc?.ok) throw new Error(`fixture scenario is invalid: ${JSON.stringify(doc)}`);
  return doc.scenario;
}

describe('guestFiles', () => {
  test('kernel, initrd and symbols, by their keys, resolved against the scenario folder', () => {
    expect(guestFiles(scenario('{ kernel: k.elf, initrd: r.cpio, symbols: k.map, cmdline: quiet }').guest)).toEqual([
      { key: 'guest.kernel', path: join(FIXTURES, 'k.elf') },
      { key: 'guest.initrd', path: join(FIXTURES, 'r.cpio') },
      { key: 'guest.symbols', path: join(FIXTURES, 'k.map') },
    ]);
  });

  test('a firmware image, as -bios or as flash code and variables', () => {
    expect(guestFiles(scenario('{ firmware: OVMF.fd }').guest)).toEqual([{ key: 'guest.firmware', path: join(FIXTURES, 'OVMF.fd') }]);
    expect(guestFiles({ firmware: { kind: 'pflash', code: '/f/CODE.fd', vars: '/f/VARS.fd' }, kernel: '/k' })).toEqual([
      { key: 'guest.firmware.pflash', path: '/f/CODE.fd' },
      { key: 'guest.firmware.vars', path: '/f/VARS.fd' },
      { key: 'guest.kernel', path: '/k' },
    ]);
  });
});

describe('missingGuestFiles', () => {
  test('lists only the files that are not there', async () => {
    const files = await missingGuestFiles(scenario('{ kernel: no/such.elf, initrd: symbols/System.map, symbols: no/such.map }'));
    expect(files).toEqual([
      { key: 'guest.kernel', path: join(FIXTURES, 'no/such.elf') },
      { key: 'guest.symbols', path: join(FIXTURES, 'no/such.map') },
    ]);
  });
});

describe('missingGuestsMessage', () => {
  test('names each missing file by key and path, then how to get them', () => {
    expect(missingGuestsMessage([{ key: 'guest.kernel', path: '/c/vmlinuz' }], 'Run setup.sh.')).toBe('guest file not found: guest.kernel /c/vmlinuz. Run setup.sh.');
    expect(missingGuestsMessage([{ key: 'guest.kernel', path: '/c/vmlinuz' }, { key: 'guest.initrd', path: '/c/initrd' }], 'Run setup.sh.'))
      .toBe('guest files not found: guest.kernel /c/vmlinuz, guest.initrd /c/initrd. Run setup.sh.');
  });
});
