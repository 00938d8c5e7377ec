// Which channels a scenario reads: optional devices (the virtio console, the stage codes) are added only for them.
import type { Channel, Scenario, TimingPoint } from './model.js';

export function channelsRead(scenario: Pick<Scenario, 'expectations' | 'end'>): Set<Channel> {
  const read = new Set<Channel>();
  for (const e of scenario.expectations) {
    // The stage codes are not a text channel.
    if ((e.kind === 'text' || e.kind === 'never' || e.kind === 'results' || e.kind === 'send' || e.kind === 'screen') && e.channel !== 'codes') read.add(e.channel);
  }
  for (const e of scenario.end) if (e.kind === 'line' || e.kind === 'screen') read.add(e.channel);
  return read;
}

/**
 * Whether the scenario means the stage codes (codes, stages, stage timing): only then is their device attached. A
 * kernel may write there for reasons of its own (Linux on x86 writes 0x00 to port 0x80 as an I/O delay),
 * which would otherwise show as boot stages the guest never meant.
 */
export function readsCodes(scenario: Pick<Scenario, 'expectations' | 'end' | 'timing'> & Partial<Pick<Scenario, 'profile'>>): boolean {
  const stagePoint = (p: TimingPoint): boolean => p.kind === 'stage';
  return scenario.expectations.some((e) => e.kind === 'code' || e.kind === 'stage' || (e.kind === 'never' && e.channel === 'codes'))
    || scenario.end.some((e) => e.kind === 'code')
    || scenario.timing.some(({ span }) => span.kind === 'stage' || stagePoint(span.from) || stagePoint(span.to))
    || scenario.profile?.stages === true || (scenario.profile?.between ?? []).some((span) => stagePoint(span.from) || stagePoint(span.to));
}
