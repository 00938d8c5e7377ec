// Which functions and source lines of a guest image ran, and how often, from the blocks QEMU translated and ran.
import { lastAtOrBefore } from '../symbols/address-search.js';
import type { LineTable } from '../symbols/dwarf-lines.js';
import type { BlockCount } from './block-count.js';
import { ExecutionMap } from './execution-map.js';
import type { GuestFunction } from './guest-functions.js';

/** A function of the image: whether any of its code ran, and how often its first instruction did. */
export interface FunctionCoverage {
  name: string;
  start: bigint;
  ran: boolean;
  /** Executions of its first instruction: the calls, plus any jump back to its start. */
  entries: number;
  /** Where it starts in the source, when the image has a line table that covers it. */
  source: { file: string; line: number } | undefined;
}

export interface GuestCoverage {
  /** The symbol file the functions come from, named in reports and in the tracefile's listing of functions. */
  image: string;
  functions: FunctionCoverage[];
  /** Source file -> line -> executions of its most-run instruction (0: it never ran); empty without DWARF. */
  lines: Map<string, Map<number, number>>;
}

/** The coverage of `functions` and of the lines in `lineTable` by the blocks that ran. */
export function measureCoverage(image: string, blocks: readonly BlockCount[], functions: readonly GuestFunction[], lineTable: LineTable | undefined): GuestCoverage {
  const base = lineTable?.base ?? functions[0]?.start ?? 0n;
  const executed = new ExecutionMap(blocks, base);
  const offset = (address: bigint): number => Number(address - base);
  const measured = functions.map((fn): FunctionCoverage => {
    const ran = executed.maxIn(offset(fn.start), offset(fn.end)) > 0;
    return { name: fn.name, start: fn.start, ran, entries: executed.at(offset(fn.start)), source: lineTable ? sourceAt(lineTable, fn.start) : undefined };
  });
  return { image, functions: measured, lines: lineTable ? lineCounts(lineTable, executed) : new Map() };
}

function lineCounts(table: LineTable, executed: ExecutionMap): Map<string, Map<number, number>> {
  const byFile = new Map<number, Map<number, number>>();
  for (let i = 0; i < table.length; i++) {
    const fileId = table.file[i]!;
    let lines = byFile.get(fileId);
    if (!lines) byFile.set(fileId, (lines = new Map()));
    const line = table.line[i]!;
    const count = executed.maxIn(table.start[i]!, table.end[i]!);
    const known = lines.get(line);
    if (known === undefined || count > known) lines.set(line, count);
  }
  return new Map([...byFile].map(([fileId, lines]) => [table.files[fileId]!, lines]));
}

/** The file and line of the span holding `address`, if one does. */
function sourceAt(table: LineTable, address: bigint): { file: string; line: number } | undefined {
  const offset = Number(address - table.base);
  const i = lastAtOrBefore(table.length, (j) => table.start[j]!, offset);
  if (i < 0 || offset >= table.end[i]!) return undefined;
  return { file: table.files[table.file[i]!]!, line: table.line[i]! };
}

/** Functions that ran and all functions; lines that ran and all lines (0 and 0 without a line table). */
export function coverageTotals(coverage: GuestCoverage): { functionsRan: number; functions: number; linesRan: number; lines: number } {
  let linesRan = 0;
  let lines = 0;
  for (const counts of coverage.lines.values()) {
    for (const count of counts.values()) {
      lines++;
      if (count > 0) linesRan++;
    }
  }
  return { functionsRan: coverage.functions.filter((fn) => fn.ran).length, functions: coverage.functions.length, linesRan, lines };
}
