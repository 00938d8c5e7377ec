// Coverage as an lcov tracefile (geninfo(1)'s format, read by genhtml, Codecov and editors), and the merge of
// several into one (a run's scenarios), as `lcov -a` merges: by source file, counts summed.
import type { GuestCoverage } from './guest-coverage.js';

/** One SF ... end_of_record section. */
export interface LcovRecord {
  source: string;
  /** By name: the line it starts on and how often it was entered. */
  functions: Map<string, { line: number; entries: number }>;
  /** Line -> executions. */
  lines: Map<number, number>;
}

/**
 * The records of one guest's coverage. Functions with no source line (no DWARF, or assembly built without
 * -g) are listed one per line in `listing`, a text file written beside the tracefile at `listingPath`,
 * which their record names as its source: each function is then a line whose count is how often it ran,
 * so genhtml shows them (it leaves out records without lines).
 */
export function lcovRecords(coverage: GuestCoverage, listingPath: string): { records: LcovRecord[]; listing: string | undefined } {
  const records = new Map<string, LcovRecord>();
  const recordOf = (source: string): LcovRecord => {
    let record = records.get(source);
    if (!record) records.set(source, (record = { source, functions: new Map(), lines: new Map() }));
    return record;
  };
  for (const [file, lines] of coverage.lines) recordOf(file).lines = new Map([...lines].sort(([a], [b]) => a - b));
  const unplaced: string[] = [];
  for (const fn of coverage.functions) {
    // A function entered elsewhere than its start (a fall-through, a jump to a label inside it) still ran.
    const entries = fn.ran ? Math.max(fn.entries, 1) : 0;
    // Static functions of one name in one file (or in the listing) keep apart by their address.
    const named = (record: LcovRecord): string => (record.functions.has(fn.name) ? `${fn.name}@0x${fn.start.toString(16)}` : fn.name);
    if (fn.source) {
      const record = recordOf(fn.source.file);
      record.functions.set(named(record), { line: fn.source.line, entries });
      continue;
    }
    unplaced.push(`${fn.name} 0x${fn.start.toString(16)}`);
    const record = recordOf(listingPath);
    record.functions.set(named(record), { line: unplaced.length, entries });
    record.lines.set(unplaced.length, entries);
  }
  const listing = unplaced.length > 0 ? `${unplaced.join('\n')}\n` : undefined;
  return { records: [...records.values()].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0)), listing };
}

/** The tracefile's text: TN, then per source file SF, FN, FNDA, FNF, FNH, DA, LF, LH, end_of_record. */
export function writeLcov(testName: string, records: readonly LcovRecord[]): string {
  const out: string[] = [];
  const name = testName.replace(/[^A-Za-z0-9_]/g, '_');
  for (const record of records) {
    out.push(`TN:${name}`, `SF:${record.source}`);
    const functions = [...record.functions].sort(([, a], [, b]) => a.line - b.line);
    for (const [fn, { line }] of functions) out.push(`FN:${line},${fn}`);
    for (const [fn, { entries }] of functions) out.push(`FNDA:${entries},${fn}`);
    out.push(`FNF:${functions.length}`, `FNH:${functions.filter(([, f]) => f.entries > 0).length}`);
    let hit = 0;
    for (const [line, count] of record.lines) {
      out.push(`DA:${line},${count}`);
      if (count > 0) hit++;
    }
    out.push(`LF:${record.lines.size}`, `LH:${hit}`, 'end_of_record');
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

/** Records of the same source file become one: functions and lines united, their counts summed. */
export function mergeRecords(...lists: readonly (readonly LcovRecord[])[]): LcovRecord[] {
  const merged = new Map<string, LcovRecord>();
  for (const list of lists) {
    for (const record of list) {
      const into = merged.get(record.source);
      if (!into) {
        merged.set(record.source, { source: record.source, functions: new Map([...record.functions].map(([n, f]) => [n, { ...f }])), lines: new Map(record.lines) });
        continue;
      }
      for (const [name, fn] of record.functions) {
        const known = into.functions.get(name);
        if (known) known.entries += fn.entries;
        else into.functions.set(name, { ...fn });
      }
      for (const [line, count] of record.lines) into.lines.set(line, (into.lines.get(line) ?? 0) + count);
    }
  }
  for (const record of merged.values()) record.lines = new Map([...record.lines].sort(([a], [b]) => a - b));
  return [...merged.values()].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
}

/**
 * The records of a tracefile (what writeLcov writes; the lines other tools add, such as BRDA, are skipped), so
 * a run's tracefiles, written by separate workers, can be merged into one.
 */
export function parseLcov(text: string): LcovRecord[] {
  const records: LcovRecord[] = [];
  let record: LcovRecord | undefined;
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    const key = colon < 0 ? line : line.slice(0, colon);
    const value = line.slice(colon + 1);
    if (key === 'SF') {
      record = { source: value, functions: new Map(), lines: new Map() };
      records.push(record);
    } else if (key === 'end_of_record') {
      record = undefined;
    } else if (record && key === 'FN') {
      const [line, name] = splitFirst(value);
      record.functions.set(name, { line: Number(line), entries: record.functions.get(name)?.entries ?? 0 });
    } else if (record && key === 'FNDA') {
      const [entries, name] = splitFirst(value);
      const fn = record.functions.get(name);
      if (fn) fn.entries = Number(entries);
      else record.functions.set(name, { line: 0, entries: Number(entries) });
    } else if (record && key === 'DA') {
      const [line, count] = value.split(',');
      record.lines.set(Number(line), Number(count));
    }
  }
  return records;
}

function splitFirst(value: string): [string, string] {
  const comma = value.indexOf(',');
  return [value.slice(0, comma), value.slice(comma + 1)];
}
