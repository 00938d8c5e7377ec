// The snapshot key's pure parts: the machine's arguments without per-run parts, the prefix, the hash.
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadScenarioFile } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/model.js';
import { machineArgs, prefixExpectations, snapshotKey, snapshotPrefix, stableJson, type KeyInputs } from '../../src/snapshot/key.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/snapshots/', import.meta.url));
const args = JSON.parse(readFileSync(`${FIXTURES}qemu-args.json`, 'utf8')) as Record<'saving' | 'resuming' | 'machine', string[]>;

function load(name: string) {
  return loadScenarioFile({ displayPath: `scenarios/${name}`, absolutePath: `/project/scenarios/${name}`, text: readFileSync(`${FIXTURES}${name}`, 'utf8') });
}
function scenarios(name: string): Scenario[] {
  return load(name).map((doc) => {
    if (!doc.ok) throw new Error(JSON.stringify(doc.issues));
    return doc.scenario;
  });
}

const inputs = (prefix: unknown[], over: Partial<KeyInputs> = {}): KeyInputs => ({
  qemu: { version: 'QEMU emulator version 7.2.22', size: 19286312, mtimeMs: 1700000000000 },
  args: args.machine,
  files: [{ path: '/guests/vmlinux', sha256: 'a'.repeat(64) }],
  prefix,
  ...over,
});

describe('machineArgs', () => {
  test('the saving and the resuming command make the same machine: sockets, -S, -incoming, -gdb, -mon and -plugin left out', () => {
    expect(machineArgs(args.saving)).toEqual(args.machine);
    expect(machineArgs(args.resuming)).toEqual(args.machine);
  });

  test('a device, memory size or command line of its own is another machine', () => {
    expect(machineArgs(args.saving.map((a) => (a === '512M' ? '256M' : a)))).not.toEqual(args.machine);
    expect(machineArgs([...args.saving, '-device', 'virtio-serial-pci'])).not.toEqual(args.machine);
    expect(machineArgs(args.saving.map((a) => (a === 'console=ttyS0 nokaslr' ? 'console=ttyS0' : a)))).not.toEqual(args.machine);
  });
});

describe('the prefix', () => {
  const [first, second, otherPrefix, byStage] = scenarios('shell-suite.yaml');

  test('is the expectations up to and including the point', () => {
    expect(first!.snapshot).toMatchObject({ at: 'shell', index: 1 });
    expect(prefixExpectations(first!).map((e) => e.kind)).toEqual(['text', 'text']);
    expect(byStage!.snapshot).toMatchObject({ at: 'userspace', index: 1 });
    expect(prefixExpectations(byStage!).map((e) => e.kind)).toEqual(['stage', 'stage']);
  });

  test('is the same steps at other lines, whatever follows the point; another step is another prefix', () => {
    expect(stableJson(snapshotPrefix(first!))).toBe(stableJson(snapshotPrefix(second!)));
    expect(stableJson(snapshotPrefix(first!))).not.toBe(stableJson(snapshotPrefix(otherPrefix!)));
    expect(JSON.stringify(snapshotPrefix(first!))).not.toContain('line');
  });

  test('gives one key to scenarios sharing it, and another to any input that differs', () => {
    const key = snapshotKey(inputs(snapshotPrefix(first!)));
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(snapshotKey(inputs(snapshotPrefix(second!)))).toBe(key);
    expect(snapshotKey(inputs(snapshotPrefix(otherPrefix!)))).not.toBe(key);
    expect(snapshotKey(inputs(snapshotPrefix(first!), { files: [{ path: '/guests/vmlinux', sha256: 'b'.repeat(64) }] }))).not.toBe(key);
    expect(snapshotKey(inputs(snapshotPrefix(first!), { qemu: { version: 'QEMU emulator version 7.2.22', size: 19286312, mtimeMs: 1700000000001 } }))).not.toBe(key);
  });
});

describe('stableJson', () => {
  test('sorts object keys at every depth and leaves array order alone', () => {
    expect(stableJson({ b: 1, a: { d: [2, 1], c: 'x' } })).toBe('{"a":{"c":"x","d":[2,1]},"b":1}');
    expect(stableJson({ a: undefined, b: null })).toBe('{"b":null}');
  });
});

describe('snapshot: at the YAML line', () => {
  const issues = load('invalid.yaml').map((doc) => (doc.ok ? [] : doc.issues));

  test('an unknown id names the known ones', () => {
    expect(issues[0]).toEqual([expect.objectContaining({ code: 'unknown-id', line: 3, path: 'snapshot.at', message: 'no expectation has id "shel", and no code expectation is stage "shel".', hint: 'Known ids: shell.' })]);
  });

  test('a breakpoint is the point at the hit that meets its minimum; a count decided when the run ends is refused', () => {
    expect(issues[2]).toEqual([expect.objectContaining({ code: 'invalid-value', line: 18, path: 'snapshot.at', message: '"entered" is a breakpoint counted to a maximum (count: 2): such a count is decided when the run ends, and the snapshot is taken at the hit that meets the minimum.', hint: 'Write count: { min: 2 }: the snapshot is taken at hit 2; count later hits with a breakpoint listed after the point.' })]);
    expect(issues[5]).toEqual([]);
    const [third] = load('invalid.yaml').slice(5);
    expect(third!.ok && third!.scenario.snapshot).toMatchObject({ at: 'entered', index: 0 });
  });

  test('a watch cannot be the point, nor a breakpoint through the guest\'s own stub', () => {
    expect(issues[3]).toEqual([expect.objectContaining({ code: 'invalid-value', path: 'snapshot.at', message: '"written" is a watch: a snapshot is taken at a breakpoint\'s hit, not at a watchpoint\'s stop.' })]);
    expect(issues[4]).toEqual([expect.objectContaining({ code: 'invalid-value', path: 'snapshot.at', message: expect.stringContaining('"entered" is a breakpoint through the guest\'s own stub (debugger: { stub: guest })') })]);
  });

  test('a send cannot be the point', () => {
    expect(issues[1]).toEqual([expect.objectContaining({ code: 'invalid-value', line: 10, path: 'snapshot.at', message: expect.stringContaining('"asked" is a send') })]);
    expect(issues[1]![0]!.hint).toContain('Name the expectation the send waits for');
  });
});
