// The plugin's additions to the Vitest config: scenario globs, task locations, and a worker per core.
import { availableParallelism } from 'node:os';
import { describe, expect, test } from 'vitest';
import type { ViteUserConfig as UserConfig } from 'vitest/config';
import { vitestGuest } from '../../src/vitest/plugin.js';

const configOf = (user: UserConfig) => (vitestGuest().config as (config: UserConfig) => UserConfig)(user);

describe('vitest-guest plugin config', () => {
  test('adds the scenario globs to the default test glob, and one worker per core', () => {
    expect(configOf({}).test).toEqual({ include: ['**/*.{test,spec}.?(c|m)[jt]s?(x)', 'scenarios/**/*.{yaml,yml}'], includeTaskLocation: true, maxWorkers: availableParallelism() });
  });

  test("keeps the user's includes and worker count", () => {
    expect(configOf({ test: { include: ['t/*.ts'], maxWorkers: 3 } }).test).toMatchObject({ include: ['t/*.ts', 'scenarios/**/*.{yaml,yml}'], maxWorkers: 3 });
  });

  test("missingGuests takes 'skip' or 'fail' and refuses anything else, saying what it got", () => {
    expect(() => vitestGuest({ missingGuests: 'skip' })).not.toThrow();
    expect(() => vitestGuest({ missingGuests: 'fail' })).not.toThrow();
    expect(() => vitestGuest({ missingGuests: 'ignore' as 'skip' })).toThrow(`vitestGuest(): missingGuests must be 'skip' or 'fail'; got "ignore".`);
  });

  test('snapshots.maxSize takes a size and refuses anything else, saying what it got', () => {
    expect(() => vitestGuest({ snapshots: { dir: '.snapshots', maxSize: '4G' } })).not.toThrow();
    expect(() => vitestGuest({ snapshots: { dir: '.snapshots', maxSize: '4 GB' } })).toThrow(`vitestGuest(): snapshots.maxSize must be a size like '4G', '512M' or a number of bytes; got "4 GB".`);
  });
});
