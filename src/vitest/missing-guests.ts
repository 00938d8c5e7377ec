// A scenario whose guest files are not on disk (a guest that setup could not fetch or build): skipped
// with the reason, or failed with it, as the plugin's `missingGuests` option says.
import { accessSync, constants } from 'node:fs';
import type { Scenario } from '../scenario/model.js';
import { guestFiles, type GuestFile } from '../scenario/guest-files.js';

export type MissingGuestsMode = 'skip' | 'fail';

/** What the generated test module hands each scenario's runtime (plain data: it travels as JSON). */
export interface MissingGuestsPolicy {
  mode: MissingGuestsMode;
  /** How to get the files, e.g. the project's fetch command; ends the message. */
  hint: string;
}

export const DEFAULT_MISSING_GUESTS_HINT = 'Build or fetch the guest first, or correct the path (relative to the scenario file).';

/** Synchronous: a local access(2) each, where a round trip through libuv's thread pool costs a loaded machine more. */
export async function missingGuestFiles(scenario: Scenario): Promise<GuestFile[]> {
  return guestFiles(scenario.guest).filter((file) => !readable(file.path));
}

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

export function missingGuestsMessage(missing: readonly GuestFile[], hint: string): string {
  const list = missing.map((file) => `${file.key} ${file.path}`).join(', ');
  return `guest file${missing.length > 1 ? 's' : ''} not found: ${list}. ${hint}`;
}
