// Executions of code points per vCPU over a run, from the plugin's batches: the plugin names a point by
// its index among the addresses sorted and de-duplicated, as `pluginOrder` gives them.
import type { PluginBatch } from './plugin-records.js';
import { PluginStreamError } from './plugin-records.js';

/** Hits of one point on one vCPU that one batch brought. */
export interface PointHits {
  address: bigint;
  vcpu: number;
  count: number;
}

/** The addresses in the order the plugin indexes them: ascending, each once. */
export function pluginOrder(addresses: Iterable<bigint>): bigint[] {
  return [...new Set(addresses)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The plugin's `points=` argument for these addresses. */
export function pointsArgument(addresses: Iterable<bigint>): string {
  return pluginOrder(addresses).map((a) => a.toString(16)).join(':');
}

export class PointCounts {
  private readonly addresses: readonly bigint[];
  /** Totals per address, per vCPU index. */
  private readonly totals = new Map<bigint, number[]>();

  constructor(addresses: Iterable<bigint>) {
    this.addresses = pluginOrder(addresses);
  }

  /** The hits a batch brought, in its order; throws PluginStreamError for a point index the run did not give. */
  apply(batch: PluginBatch): PointHits[] {
    return batch.points.map(({ point, vcpu, delta }) => {
      const address = this.addresses[point];
      if (address === undefined) throw new PluginStreamError(`a delta of point ${point}, but the plugin was given ${this.addresses.length} points`);
      let perVcpu = this.totals.get(address);
      if (!perVcpu) this.totals.set(address, (perVcpu = []));
      perVcpu[vcpu] = (perVcpu[vcpu] ?? 0) + delta;
      return { address, vcpu, count: delta };
    });
  }

  /** Executions of `address` so far: on one vCPU, or on all of them. */
  total(address: bigint, vcpu?: number): number {
    const perVcpu = this.totals.get(address) ?? [];
    if (vcpu !== undefined) return perVcpu[vcpu] ?? 0;
    return perVcpu.reduce((sum, n) => sum + (n ?? 0), 0);
  }
}
