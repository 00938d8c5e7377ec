// `uktest:`, `ktap:` and the scenario's own formats: the guest's test cases, selected, counted, each
// ending with the status asked for.
import type { Expectation } from '../../scenario/model.js';
import { caseId, type GuestCase } from '../../results/guest-case.js';
import type { ObservedEvent } from '../observed-event.js';
import { compileCaseSelector, oneCaseName, selectsOneCase } from '../case-selector.js';
import { casesText } from '../expectation-title.js';
import { CountedRule } from './counted.js';
import type { RuleOutcome, RunEnd } from './rule.js';

export class GuestCasesRule extends CountedRule {
  readonly matches: (event: ObservedEvent) => boolean;
  private readonly oneCase: boolean;

  constructor(private readonly expectation: Extract<Expectation, { kind: 'results' }>) {
    super(expectation.count);
    const e = expectation;
    const selected = compileCaseSelector(e.select);
    this.oneCase = selectsOneCase(e.select);
    // "These cases pass" lets cases the guest skipped be (KUnit's reading); one named case must pass.
    const skipsIgnored = e.status === 'passed' && !this.oneCase;
    this.matches = (event) => event.source === 'results' && event.resultChannel === e.channel && event.guestCase!.format === e.format
      && selected(event.guestCase!) && !(skipsIgnored && event.guestCase!.status === 'skipped');
  }

  /**
   * A selected case ending with another status fails at once, as does one case too many. One named
   * case passes when it ends; a selection of several stays open to the end of the run, since a later
   * case may still fail.
   */
  observe(event: ObservedEvent): RuleOutcome {
    const e = this.expectation;
    const guestCase = event.guestCase!;
    const id = caseId(guestCase.suite, guestCase.case);
    this.countAt(event.t);
    this.metLine = event.caseLine;
    if (guestCase.status !== e.status) return { kind: 'decided', verdict: { status: 'failed', t: event.t, reason: `${e.format} case ${id} ${guestCase.status}, expected ${e.status}${failureText(guestCase)}` } };
    if (this.aboveMax) return { kind: 'decided', verdict: { status: 'failed', t: event.t, reason: `${this.hits} cases ran, expected ${casesText(e.count)}; the last was ${id}` } };
    if (this.oneCase && e.count.max === undefined && this.hits >= e.count.min) return { kind: 'decided', verdict: { status: 'passed', t: event.t, detail: `${id} ${guestCase.status} at +${event.t.toFixed(1)} ms` } };
    return this.hits === e.count.min ? { kind: 'met-for-now' } : { kind: 'counted' };
  }

  /** A selection of several guest cases is only complete when the guest's output is. */
  override keepsRunOpen(casesOver: boolean): boolean {
    return !casesOver && !this.oneCase;
  }

  protected shortReason(end: RunEnd): string {
    const e = this.expectation;
    if (this.hits === 0 && this.oneCase) return `${e.format} case ${oneCaseName(e.select)} did not run (${end.cause})`;
    return end.clean ? `${this.hits} case${this.hits === 1 ? '' : 's'} ran, expected ${casesText(e.count)} (${end.cause})` : `not counted: ${end.cause}`;
  }
}

/** The guest's first failure message for a case, as a suffix of the failure reason. */
function failureText(guestCase: GuestCase): string {
  const first = guestCase.failures[0];
  if (!first) return '';
  const where = first.file ? ` (${first.file}${first.line !== undefined ? `:${first.line}` : ''})` : '';
  const more = guestCase.failures.length > 1 ? ` and ${guestCase.failures.length - 1} more` : '';
  return `: ${first.message}${where}${more}`;
}
