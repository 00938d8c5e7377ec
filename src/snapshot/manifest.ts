// The manifest beside a snapshot file: what it was saved from, how to check it, what its prefix met.
import type { QemuCommand } from '../qemu/argv.js';
import type { TimelineEvent } from '../timeline/timeline.js';
import type { KeyInputs } from './key.js';

export const MANIFEST_FORMAT = 2;

/** What the saving run met up to the point, as every resumed run reports it. */
export interface SavedPrefix {
  /** The saving run's time (ms since its guest started) when the point was met: a resumed run's clock starts there. */
  pointT: number;
  /** Each prefix expectation as it was met: when (saving run's ms), and the detail its verdict said. */
  met: { index: number; t: number; detail: string }[];
  /** The saving run's timeline up to the point. */
  events: TimelineEvent[];
  /** A point at a breakpoint: the vCPU held at its hit and its pc (hex), where a resumed guest starts. */
  stop?: { vcpu: number; pc: string };
}

/**
 * The guest's RAM file: the identity the file had once in place (inode and ctime, which any write,
 * truncation or replacement changes and no one sets back), and its digest (ram-digest.ts), added after
 * the save. A resume compares the identity; only a file whose identity changed (a copied cache folder,
 * say) is hashed again, and is stale if no digest was recorded.
 */
export interface SavedRam {
  file: string;
  /** Its length (the guest's memory size); on disk it takes only the pages the guest touched. */
  bytes: number;
  digest?: string;
  ino: number;
  ctimeMs: number;
}

export interface SnapshotManifest {
  format: typeof MANIFEST_FORMAT;
  key: string;
  inputs: KeyInputs;
  /** The stream file's name, in the manifest's folder. */
  file: string;
  bytes: number;
  sha256: string;
  ram: SavedRam;
  /** When it was saved (ISO 8601) and what the save took, QMP stop to the stream's last byte. */
  savedAt: string;
  saveMs: number;
  /** The command of the run that saved it. */
  command: QemuCommand;
  prefix: SavedPrefix;
}

/** The manifest, or why it cannot stand for `key`'s snapshot. */
export function parseManifest(text: string, key: string): { manifest: SnapshotManifest } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `its manifest is not JSON (${(error as Error).message})` };
  }
  const m = value as Partial<SnapshotManifest> | null;
  if (!m || typeof m !== 'object') return { problem: 'its manifest is not an object' };
  if (m.format !== MANIFEST_FORMAT) return { problem: `its manifest has format ${JSON.stringify(m.format)}, this version reads ${MANIFEST_FORMAT}` };
  if (m.key !== key) return { problem: `its manifest is for key ${String(m.key).slice(0, 12)}` };
  if (typeof m.file !== 'string' || m.file.includes('/')) return { problem: 'its manifest names no stream file in its folder' };
  if (!Number.isSafeInteger(m.bytes) || (m.bytes as number) <= 0) return { problem: `its manifest gives no size (bytes: ${JSON.stringify(m.bytes)})` };
  if (typeof m.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(m.sha256)) return { problem: 'its manifest gives no sha256 of the stream' };
  const ram = m.ram;
  if (!ram || typeof ram.file !== 'string' || ram.file.includes('/') || !Number.isSafeInteger(ram.bytes) || (ram.digest !== undefined && !/^[0-9a-f]{64}$/.test(String(ram.digest))) || typeof ram.ino !== 'number' || typeof ram.ctimeMs !== 'number') return { problem: `its manifest describes no guest RAM file (ram: ${JSON.stringify(ram)})` };
  const prefix = m.prefix;
  if (!prefix || typeof prefix.pointT !== 'number' || !Array.isArray(prefix.met) || !Array.isArray(prefix.events)) return { problem: 'its manifest holds no saved prefix' };
  if (prefix.stop !== undefined && !(Number.isSafeInteger(prefix.stop.vcpu) && /^0x[0-9a-f]+$/.test(String(prefix.stop.pc)))) return { problem: `its manifest's breakpoint stop is not a vCPU and a pc (${JSON.stringify(prefix.stop)})` };
  return { manifest: m as SnapshotManifest };
}

/** Why the stream on disk is not the one the manifest describes, if it is not. */
export function streamMismatch(manifest: Pick<SnapshotManifest, 'bytes' | 'sha256'>, actual: { bytes: number; sha256?: string }): string | undefined {
  if (actual.bytes !== manifest.bytes) return `the file has ${actual.bytes} bytes, its manifest says ${manifest.bytes}`;
  if (actual.sha256 !== undefined && actual.sha256 !== manifest.sha256) return `the file's sha256 is ${actual.sha256.slice(0, 12)}…, its manifest says ${manifest.sha256.slice(0, 12)}…`;
  return undefined;
}

/** Why the RAM file on disk is not the one the manifest describes, if it is not; `digest` only when it was hashed. */
export function ramMismatch(ram: SavedRam, actual: { bytes: number; digest?: string }): string | undefined {
  if (actual.bytes !== ram.bytes) return `its guest RAM file has ${actual.bytes} bytes, its manifest says ${ram.bytes}`;
  if (actual.digest !== undefined && ram.digest === undefined) return 'its guest RAM file changed since the save (another inode or ctime), before its digest was recorded';
  if (actual.digest !== undefined && actual.digest !== ram.digest) return `its guest RAM file's digest is ${actual.digest.slice(0, 12)}…, its manifest says ${ram.digest!.slice(0, 12)}…`;
  return undefined;
}
