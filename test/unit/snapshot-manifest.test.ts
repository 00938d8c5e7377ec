// A snapshot's manifest: read back, and every way it can fail to stand for its stream.
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseManifest, ramMismatch, streamMismatch } from '../../src/snapshot/manifest.js';
import { parseSize } from '../../src/snapshot/store.js';

const text = readFileSync(fileURLToPath(new URL('../fixtures/snapshots/manifest.json', import.meta.url)), 'utf8');
const KEY = '0f3c5a1e9b7d2c4e6a8b0d1f3e5c7a9b1d3f5e7c9a0b2d4f6e8a1c3e5b7d9f0a';
const edited = (change: (m: Record<string, unknown>) => void): string => {
  const m = JSON.parse(text) as Record<string, unknown>;
  change(m);
  return JSON.stringify(m);
};
const problem = (t: string, key = KEY): string | undefined => {
  const parsed = parseManifest(t, key);
  return 'problem' in parsed ? parsed.problem : undefined;
};

describe('parseManifest', () => {
  test('reads a manifest with its prefix', () => {
    const parsed = parseManifest(text, KEY);
    expect('manifest' in parsed && parsed.manifest.prefix.met).toEqual([{ index: 0, t: 3130.2, detail: 'matched "/ # "' }]);
  });

  test('says why a manifest cannot stand for the key', () => {
    expect(problem('{"format": 1,')).toMatch(/^its manifest is not JSON \(/);
    expect(problem('null')).toBe('its manifest is not an object');
    expect(problem(edited((m) => { m.format = 1; }))).toBe('its manifest has format 1, this version reads 2');
    expect(problem(text, 'f'.repeat(64))).toBe('its manifest is for key 0f3c5a1e9b7d');
    expect(problem(edited((m) => { m.file = '../elsewhere.snap'; }))).toBe('its manifest names no stream file in its folder');
    expect(problem(edited((m) => { m.bytes = 0; }))).toBe('its manifest gives no size (bytes: 0)');
    expect(problem(edited((m) => { m.sha256 = 'abc'; }))).toBe('its manifest gives no sha256 of the stream');
    expect(problem(edited((m) => { delete m.prefix; }))).toBe('its manifest holds no saved prefix');
    expect(problem(edited((m) => { delete m.ram; }))).toBe('its manifest describes no guest RAM file (ram: undefined)');
    expect(problem(edited((m) => { (m.ram as Record<string, unknown>).file = '/tmp/x.ram'; }))).toMatch(/^its manifest describes no guest RAM file \(ram: \{"file":"\/tmp\/x\.ram",/);
  });

  test('a breakpoint point\'s stop is a vCPU and a hex pc, or the manifest is not this version\'s', () => {
    const withStop = (stop: unknown) => edited((m) => { (m.prefix as Record<string, unknown>).stop = stop; });
    const parsed = parseManifest(withStop({ vcpu: 0, pc: '0x101310' }), KEY);
    expect('manifest' in parsed && parsed.manifest.prefix.stop).toEqual({ vcpu: 0, pc: '0x101310' });
    expect(problem(withStop({ vcpu: 0, pc: 1053456 }))).toBe('its manifest\'s breakpoint stop is not a vCPU and a pc ({"vcpu":0,"pc":1053456})');
    expect(problem(withStop({ pc: '0x101310' }))).toBe('its manifest\'s breakpoint stop is not a vCPU and a pc ({"pc":"0x101310"})');
  });
});

describe('streamMismatch', () => {
  const manifest = { bytes: 71303168, sha256: '9d5ed678fe57bcca610140957afab571a1e4b1b1b0b6c1c5e0d9c4c1b8a8b7a6' };
  test('a truncated file, a file with other bytes, and the file as saved', () => {
    expect(streamMismatch(manifest, { bytes: 35651584 })).toBe('the file has 35651584 bytes, its manifest says 71303168');
    expect(streamMismatch(manifest, { bytes: 71303168, sha256: '0'.repeat(64) })).toBe('the file\'s sha256 is 000000000000…, its manifest says 9d5ed678fe57…');
    expect(streamMismatch(manifest, { bytes: 71303168, sha256: manifest.sha256 })).toBeUndefined();
  });
});

describe('ramMismatch', () => {
  const ram = { file: 'k.ram', bytes: 536870912, digest: 'a4be55045cf63c2f0caf5ae6b1dde02ddd69e75dd9620abde38c3c3fb363e789', ino: 1, ctimeMs: 1 };
  test('a RAM file of another size, with other bytes, and as saved', () => {
    expect(ramMismatch(ram, { bytes: 4096 })).toBe('its guest RAM file has 4096 bytes, its manifest says 536870912');
    expect(ramMismatch(ram, { bytes: 536870912, digest: '0'.repeat(64) })).toBe('its guest RAM file\'s digest is 000000000000…, its manifest says a4be55045cf6…');
    expect(ramMismatch(ram, { bytes: 536870912, digest: ram.digest })).toBeUndefined();
    const { digest: _digest, ...undigested } = ram;
    expect(ramMismatch(undigested, { bytes: 536870912 })).toBeUndefined();
    expect(ramMismatch(undigested, { bytes: 536870912, digest: ram.digest })).toBe('its guest RAM file changed since the save (another inode or ctime), before its digest was recorded');
  });
});

describe('parseSize', () => {
  test('a cache limit in bytes, K, M or G; anything else is no limit given', () => {
    expect([parseSize('4G'), parseSize('512m'), parseSize('100K'), parseSize('1000')]).toEqual([4 * 1024 ** 3, 512 * 1024 ** 2, 102400, 1000]);
    expect([parseSize('4 GB'), parseSize(''), parseSize(undefined)]).toEqual([undefined, undefined, undefined]);
  });
});
