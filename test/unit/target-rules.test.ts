import { describe, expect, test } from 'vitest';
import { targetRules } from '../../src/debugger/target-rules.js';
import { ARCH_PROFILES } from '../../src/arch/profiles.js';

// The KVM rules are tested here as decisions only: /dev/kvm on the machines this suite runs on is nested
// paravirtual KVM, where guests barely run (see the KVM notes in the README), so no end-to-end test drives them.
describe('targetRules', () => {
  test('TCG: software breakpoints; p is fresh after a stop; breakpoints left by emulation where it can', () => {
    const { x86_64 } = ARCH_PROFILES;
    expect(targetRules('tcg', x86_64)).toEqual({ codePoint: 0, registersNeedG: false, watchStopsBeforeAccess: false, vcpuTurns: true, emulation: x86_64.emulation });
  });

  test('TCG on an architecture without a step-off decoder: every breakpoint is stepped', () => {
    expect(targetRules('tcg', { watchpointStop: 'after-access' })).toEqual({ codePoint: 0, registersNeedG: false, watchStopsBeforeAccess: false, vcpuTurns: true });
  });

  test('KVM: hardware breakpoints; registers are read with g first at every stop; always stepped', () => {
    expect(targetRules('kvm', ARCH_PROFILES.x86_64)).toEqual({ codePoint: 1, registersNeedG: true, watchStopsBeforeAccess: false, vcpuTurns: true });
  });

  test('aarch64 and riscv64: the stub stops before a watched access, which the session steps past', () => {
    for (const profile of [ARCH_PROFILES.aarch64, ARCH_PROFILES.riscv64]) {
      expect(targetRules('tcg', profile)).toEqual({ codePoint: 0, registersNeedG: false, watchStopsBeforeAccess: true, vcpuTurns: true, emulation: profile.emulation });
      expect(targetRules('kvm', profile)).toEqual({ codePoint: 1, registersNeedG: true, watchStopsBeforeAccess: true, vcpuTurns: true });
    }
  });
});
