// The counts the TCG plugin reports the moment they are reached (its marks=): a counted breakpoint that another
// expectation waits for (`after:`), or that a profile span or a timing span starts or ends at. A timer
// batch is stamped when it was read, up to a batch interval (more on a loaded host) after the hit that met the
// count, so a line the guest wrote in between would seem to come before it, and the work the guest did in between
// would count before it; the batch the vCPU sends at the mark is stamped before the guest runs on.
import type { Scenario, TimingPoint } from '../scenario/model.js';

/** A point's count, on one vCPU or on all of them together, whose batch the vCPU sends at once. */
export interface PluginMark {
  address: bigint;
  count: number;
  vcpu?: number;
}

/** The marks for points the plugin counts (`expectations`: indexes of the expectations each point's hits go to). */
export function pluginMarks(counted: readonly { address: bigint; expectations: readonly number[] }[], scenario: Pick<Scenario, 'expectations' | 'timing' | 'profile'>): PluginMark[] {
  const { expectations } = scenario;
  const leaders = new Set([...expectations.flatMap(({ after }) => (after === undefined ? [] : [after])), ...spanEdges(scenario)]);
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

/** Expectations that a profile's `between:` span or a timing span starts or ends at. */
function spanEdges({ timing, profile }: Pick<Scenario, 'timing' | 'profile'>): number[] {
  const spans = [...(profile?.between ?? []), ...timing.flatMap(({ span }) => (span.kind === 'between' ? [span] : []))];
  const expectationIndex = (point: TimingPoint): number[] => (point.kind === 'expectation' ? [point.index] : []);
  return spans.flatMap(({ from, to }) => [...expectationIndex(from), ...expectationIndex(to)]);
}

/** The plugin's `marks=` argument: `HEX.COUNT` or `HEX.COUNT.VCPU`, by address. */
export function marksArgument(marks: readonly PluginMark[]): string {
  return [...marks]
    .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0) || a.count - b.count || (a.vcpu ?? -1) - (b.vcpu ?? -1))
    .map(({ address, count, vcpu }) => `${address.toString(16)}.${count}${vcpu !== undefined ? `.${vcpu}` : ''}`)
    .join(':');
}
