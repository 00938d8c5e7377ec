import { describe, expect, test } from 'vitest';
import { targetRules } from '../../src/debugger/target-rules.js';
import { ARCH_PROFILES } from '../../src/arch/profiles.js';

// The KVM rules are tested here as decisions only: /dev/kvm on the machines this suite runs on is nested
// paravirtual KVM, where guests barely run (see the KVM notes in the README), so no end-to-end test drives them.
describe('targetRules', () => {
  test('TCG: software breakpoints; p is fresh after a stop; breakpoints left by emulation where it can', () => {
    const { x86_64 } = ARCH_PROFILES;
    expect(targetRules('tcg', x86_64)).toEqual({ codePoint: 0, registersNeedG: false, emulation: x86_64.emulation });
  });

  test('TCG on an architecture without a step-off decoder: every breakpoint is stepped', () => {
    expect(targetRules('tcg', {})).toEqual({ codePoint: 0, registersNeedG: false });
  });

  test('KVM: hardware breakpoints; registers are read with g first at every stop; always stepped', () => {
    expect(targetRules('kvm', ARCH_PROFILES.x86_64)).toEqual({ codePoint: 1, registersNeedG: true });
  });
});
