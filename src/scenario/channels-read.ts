// Which text channels a scenario reads: optional devices (the virtio console) are added only for them.
import type { Channel, Scenario } from './model.js';

export function channelsRead(scenario: Pick<Scenario, 'expectations' | 'end'>): Set<Channel> {
  const read = new Set<Channel>();
  for (const e of scenario.expectations) {
    // Port 0x80 is not a text channel: its device is always there.
    if ((e.kind === 'text' || e.kind === 'never' || e.kind === 'results' || e.kind === 'send' || e.kind === 'screen') && e.channel !== 'port80') read.add(e.channel);
  }
  for (const e of scenario.end) if (e.kind === 'line' || e.kind === 'screen') read.add(e.channel);
  return read;
}
