import { describe, expect, test } from 'vitest';
import { readsWithG, targetRules } from '../../src/debugger/target-rules.js';

// The KVM rules are tested here as decisions only: /dev/kvm on the machines this suite runs on is nested
// paravirtual KVM, where guests barely run (see the KVM notes in the README), so no end-to-end test drives them.
describe('targetRules', () => {
  test('TCG: software breakpoints; p is fresh after a stop; breakpoints left by emulation where it can', () => {
    expect(targetRules('tcg')).toEqual({ codePoint: 0, registersNeedG: false, emulatesSteps: true });
  });

  test('KVM: hardware breakpoints; registers are read with g first at every stop; always stepped', () => {
    expect(targetRules('kvm')).toEqual({ codePoint: 1, registersNeedG: true, emulatesSteps: false });
  });
});

describe('readsWithG', () => {
  test.each([
    ['tcg', 1, false],
    ['tcg', 2, true],
    ['tcg', 5, true],
    ['kvm', 1, true],
    ['kvm', 2, true],
  ] as const)('%s, %i register(s): g is %s', (accel, count, g) => {
    expect(readsWithG(targetRules(accel), count)).toBe(g);
  });
});
