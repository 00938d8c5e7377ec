import { describe, expect, test } from 'vitest';
import { dirnameOf, resolvePath } from '../../src/scenario/resolve-path.js';

describe('resolvePath', () => {
  test.each([
    ['/p/scenarios', 'k.elf', '/p/scenarios/k.elf'],
    ['/p/scenarios', './build/k.elf', '/p/scenarios/build/k.elf'],
    ['/p/scenarios', '../guests/k.elf', '/p/guests/k.elf'],
    ['/p/scenarios', '../../../../k.elf', '/k.elf'],
    ['/p/scenarios', '/abs//dir/./k.elf', '/abs/dir/k.elf'],
    ['/', 'k.elf', '/k.elf'],
    ['/p/scenarios/', 'a/b/../c', '/p/scenarios/a/c'],
  ])('%s + %s -> %s', (base, relative, resolved) => {
    expect(resolvePath(base, relative)).toBe(resolved);
  });
});

describe('dirnameOf', () => {
  test.each([
    ['/p/scenarios/x.yaml', '/p/scenarios'],
    ['/x.yaml', '/'],
    ['x.yaml', '/'],
  ])('%s -> %s', (file, dir) => {
    expect(dirnameOf(file)).toBe(dir);
  });
});
