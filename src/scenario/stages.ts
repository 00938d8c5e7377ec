// Boot stages as ranges of stage codes, after Cloud Hypervisor's debug-port convention.

export const STAGES = [
  { name: 'firmware', first: 0x00, last: 0x1f },
  { name: 'bootloader', first: 0x20, last: 0x3f },
  { name: 'kernel', first: 0x40, last: 0x5f },
  { name: 'userspace', first: 0x60, last: 0x7f },
  { name: 'custom', first: 0x80, last: 0xff },
] as const;

export type StageName = (typeof STAGES)[number]['name'];

export const STAGE_NAMES: readonly StageName[] = STAGES.map((s) => s.name);

/** The stage a debug-port code belongs to. */
export function stageOf(code: number): StageName {
  const stage = STAGES.find((s) => code >= s.first && code <= s.last);
  if (!stage) throw new RangeError(`debug-port code out of range 0..255: ${code}`);
  return stage.name;
}

export function stageRange(name: StageName): { first: number; last: number } {
  const stage = STAGES.find((s) => s.name === name)!;
  return { first: stage.first, last: stage.last };
}

/** A debug-port code as reports show it: `0x0a`. */
export function formatCode(code: number): string {
  return `0x${code.toString(16).padStart(2, '0')}`;
}

/**
 * A stage code as scenarios name it: one byte, or a stage name for any code of its range. The codes
 * channel carries bytes, not text: wherever the text channels take a pattern, it takes one of these.
 */
export type CodeMatch = number | StageName;

export function codeMatches(match: CodeMatch, code: number): boolean {
  if (typeof match === 'number') return code === match;
  const { first, last } = stageRange(match);
  return code >= first && code <= last;
}

/** `code 0x7f`, `code userspace (0x60-0x7f)`: how titles and end causes name a CodeMatch. */
export function describeCode(match: CodeMatch): string {
  if (typeof match === 'number') return `code ${formatCode(match)}`;
  const { first, last } = stageRange(match);
  return `code ${match} (${formatCode(first)}-${formatCode(last)})`;
}
