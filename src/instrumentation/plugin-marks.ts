// The counts the TCG plugin reports the moment they are reached (its marks=): a counted breakpoint that another
// expectation waits for (`after:`). A timer batch is stamped when it was read, up to a batch interval (more on a
// loaded host) after the hit that met the count, so a line the guest wrote in between would seem to come before
// it; the batch the vCPU sends at the mark is stamped before the guest runs on.
import type { Expectation } from '../scenario/model.js';

/** A point's count, on one vCPU or on all of them together, whose batch the vCPU sends at once. */
export interface PluginMark {
  address: bigint;
  count: number;
  vcpu?: number;
}

/** The marks for points the plugin counts (`expectations`: indexes of the expectations each point's hits go to). */
export function pluginMarks(counted: readonly { address: bigint; expectations: readonly number[] }[], expectations: readonly Expectation[]): PluginMark[] {
  const leaders = new Set(expectations.flatMap(({ after }) => (after === undefined ? [] : [after])));
  const marks = new Map<string, PluginMark>();
  for (const { address, expectations: indexes } of counted) {
    for (const index of indexes) {
      const expectation = expectations[index];
      // A count of 0 is met before any hit: no execution reaches it.
      if (!leaders.has(index) || expectation?.kind !== 'breakpoint' || expectation.count.min === 0) continue;
      const mark: PluginMark = { address, count: expectation.count.min, ...(expectation.vcpu !== undefined ? { vcpu: expectation.vcpu } : {}) };
      marks.set(marksArgument([mark]), mark);
    }
  }
  return [...marks.values()];
}

/** The plugin's `marks=` argument: `HEX.COUNT` or `HEX.COUNT.VCPU`, by address. */
export function marksArgument(marks: readonly PluginMark[]): string {
  return [...marks]
    .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0) || a.count - b.count || (a.vcpu ?? -1) - (b.vcpu ?? -1))
    .map(({ address, count, vcpu }) => `${address.toString(16)}.${count}${vcpu !== undefined ? `.${vcpu}` : ''}`)
    .join(':');
}
