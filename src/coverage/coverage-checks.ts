// The checks of `coverage:` judged on a run's coverage: functions that must run (all, or a share), functions that
// must never run; and the summary line a report prints.
import type { CoverageCheck } from '../scenario/model.js';
import { parseSymbolGlob } from '../symbols/symbol-glob.js';
import { coverageTotals, type FunctionCoverage, type GuestCoverage } from './guest-coverage.js';

export type CheckOutcome = { passed: true; detail: string } | { passed: false; reason: string };

/** How many names a message lists before saying how many more there are. */
const LISTED = 10;

export function judgeCoverageCheck(check: CoverageCheck, coverage: GuestCoverage): CheckOutcome {
  if (check.kind === 'never') {
    const unmatched = check.globs.filter((glob) => matching(coverage, glob).length === 0);
    if (unmatched.length > 0) return { passed: false, reason: `${unmatched.map((g) => `\`${g}\``).join(', ')} ${unmatched.length === 1 ? 'matches' : 'match'} no function of ${coverage.image}: check the name (a check that names nothing cannot fail)` };
    const ran = coverage.functions.filter((fn) => fn.ran && check.globs.some((glob) => parseSymbolGlob(glob).regex.test(fn.name)));
    if (ran.length > 0) return { passed: false, reason: `${listed(ran.map(entered))} ran, and must never run` };
    const watched = check.globs.reduce((sum, glob) => sum + matching(coverage, glob).length, 0);
    return { passed: true, detail: `none of the ${count(watched)} functions matching ${check.globs.join(', ')} ran` };
  }
  const matched = matching(coverage, check.glob);
  if (matched.length === 0) return { passed: false, reason: `\`${check.glob}\` matches no function of ${coverage.image}: check the name, or that the symbols come from the image the guest boots` };
  const ran = matched.filter((fn) => fn.ran);
  const share = (ran.length / matched.length) * 100;
  const figure = `${count(ran.length)} of ${count(matched.length)} functions matching ${check.glob} ran (${percent(share, check.minPercent)})`;
  if (share >= check.minPercent) return { passed: true, detail: figure };
  const never = matched.filter((fn) => !fn.ran).map((fn) => fn.name);
  const wanted = check.minPercent === 100 ? 'all of them' : `at least ${check.minPercent}%`;
  return { passed: false, reason: `${figure}, ${wanted} expected; never ran: ${listed(never)}` };
}

/** `coverage: 1,234 of 5,678 functions (21.7%)`, with the lines when the image has a line table. */
export function coverageSummary(coverage: GuestCoverage): string {
  const totals = coverageTotals(coverage);
  const functions = `${count(totals.functionsRan)} of ${count(totals.functions)} functions (${percent(share(totals.functionsRan, totals.functions))})`;
  const lines = totals.lines > 0 ? `, ${count(totals.linesRan)} of ${count(totals.lines)} lines (${percent(share(totals.linesRan, totals.lines))})` : '';
  return `coverage: ${functions}${lines}`;
}

function matching(coverage: GuestCoverage, glob: string): FunctionCoverage[] {
  const regex = parseSymbolGlob(glob).regex;
  return coverage.functions.filter((fn) => regex.test(fn.name));
}

function entered(fn: FunctionCoverage): string {
  return fn.entries > 0 ? `${fn.name} (entered ${count(fn.entries)} time${fn.entries === 1 ? '' : 's'})` : fn.name;
}

function listed(names: readonly string[]): string {
  const shown = names.slice(0, LISTED).join(', ');
  return names.length > LISTED ? `${shown} and ${count(names.length - LISTED)} more` : shown;
}

function share(part: number, whole: number): number {
  return whole === 0 ? 0 : (part / whole) * 100;
}

/** One decimal, or as many more as it takes not to print the limit it is judged against (89.96% under 90%). */
function percent(value: number, limit?: number): string {
  let digits = 1;
  while (limit !== undefined && digits < 6 && Number(value.toFixed(digits)) === limit && value !== limit) digits++;
  return `${value.toFixed(digits)}%`;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}
