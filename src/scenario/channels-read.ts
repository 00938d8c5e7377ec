// Which text channels a scenario reads: optional devices (the virtio console) are added only for them.
import type { Channel, Scenario } from './model.js';

export function channelsRead(scenario: Pick<Scenario, 'expectations' | 'end'>): Set<Channel> {
  const read = new Set<Channel>();
  for (const e of scenario.expectations) {
    if (e.kind === 'text' || e.kind === 'never' || e.kind === 'results' || e.kind === 'send') read.add(e.channel);
  }
  for (const e of scenario.end) if (e.kind === 'line') read.add(e.channel);
  return read;
}
