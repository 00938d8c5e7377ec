// The files a scenario's guest boots from, each with the YAML key that names it: what a run needs on disk.
import type { Guest } from './model.js';

export interface GuestFile {
  /** e.g. `guest.kernel`. */
  key: string;
  /** Absolute, as resolved against the scenario file's folder. */
  path: string;
}

export function guestFiles(guest: Guest): GuestFile[] {
  const { kernel, initrd, firmware, symbols } = guest;
  const files: GuestFile[] = [];
  if (firmware?.kind === 'bios') files.push({ key: 'guest.firmware', path: firmware.path });
  if (firmware?.kind === 'pflash') {
    files.push({ key: 'guest.firmware.pflash', path: firmware.code });
    if (firmware.vars) files.push({ key: 'guest.firmware.vars', path: firmware.vars });
  }
  if (kernel) files.push({ key: 'guest.kernel', path: kernel });
  if (initrd) files.push({ key: 'guest.initrd', path: initrd });
  if (symbols) files.push({ key: 'guest.symbols', path: symbols });
  return files;
}
