// How one QEMU run of a snapshot scenario starts and what it does with the machine's state.
import type { ChannelNeeds } from '../qemu/channel-sinks.js';
import type { QemuCommand } from '../qemu/argv.js';
import type { QmpClient } from '../qemu/qmp-client.js';
import type { SavedPrefix } from '../snapshot/manifest.js';
import type { StreamFigures } from '../snapshot/migration.js';
import type { Scenario } from '../scenario/model.js';
import type { VcpuPosition } from '../debugger/vcpu-survey.js';
import { channelsRead, readsCodes } from '../scenario/channels-read.js';

/**
 * `save`: boots the prefix (its expectations only) and, once the point is met, saves the machine into
 * the run folder. `resume`: starts from a saved stream (-incoming) instead of booting, the prefix met.
 * Both keep the full scenario's devices (`needs`), so the saved machine fits every run of its key.
 */
export type MachineState =
  /** `held`: where the debugger holds the guest, when the point is a breakpoint. */
  /** `ram`: the file QEMU keeps the guest's memory in (shared: it becomes the snapshot's RAM file). */
  | { kind: 'save'; needs: Omit<ChannelNeeds, 'gdb'>; ram: string; save: (qmp: QmpClient, runDir: string, held?: VcpuPosition) => Promise<void> }
  | {
    kind: 'resume';
    needs: Omit<ChannelNeeds, 'gdb'>;
    /** The snapshot's short key, as reports show it. */
    label: string;
    file: string;
    /** The snapshot's RAM file, which QEMU maps copy-on-write: the guest's writes stay in this run. */
    ram: string;
    /** What the stream must hash to; checked as it is read, before the guest runs again. */
    expected: StreamFigures;
    prefix: SavedPrefix;
    /** Called once QEMU has loaded the stream and it proved intact (`restoreMs` after the run began): the run is a resumed one from here on. */
    loaded: (figures: { restoreMs: number }) => void;
  };

/** What a scenario's result says about its snapshot. */
export interface SnapshotUse {
  key: string;
  /** The run resumed from the snapshot; false: it booted (no snapshot could be made or used: `note` says why). */
  resumed: boolean;
  /** From the run's start to the saved machine loaded and checked, ready to run: ms. */
  restoreMs?: number;
  /** The command of the run that saved it (`qemu-args` shows both). */
  savingCommand?: QemuCommand;
  /** Why the run booted, or what happened to a stale snapshot on the way. */
  note?: string;
}

/**
 * The devices of a snapshot scenario's runs: the same for the run that saves and every run that resumes,
 * whatever part of the scenario each runs (console input is a chardev's backend, not a device).
 */
export function snapshotNeeds(scenario: Scenario): Omit<ChannelNeeds, 'gdb'> {
  return { virtio: channelsRead(scenario).has('virtio'), codes: readsCodes(scenario), consoleInput: true };
}
