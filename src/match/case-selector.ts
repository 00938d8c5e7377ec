// Which guest test cases a `uktest`/`ktap` expectation covers, and how that is named in titles.
import type { CaseSelector } from '../scenario/model.js';
import type { GuestCase } from '../results/guest-case.js';
import { caseId } from '../results/guest-case.js';

export type CasePredicate = (guestCase: Pick<GuestCase, 'suite' | 'case'>) => boolean;

/**
 * Case names hold `/`, spaces and dots (KUnit parameterised cases: `test_x/param 1`), so these globs
 * are not path globs: `*` crosses every character.
 */
export function compileCaseSelector(selector: CaseSelector): CasePredicate {
  if (selector.kind === 'all') return () => true;
  const regex = globRegex(selector.pattern);
  return selector.kind === 'suite'
    ? (c) => regex.test(c.suite)
    : (c) => regex.test(caseId(c.suite, c.case));
}

/** A selector without wildcards names one case: it is decided by that case alone. */
export function selectsOneCase(selector: CaseSelector): boolean {
  return selector.kind === 'case' && !/[*?]/.test(selector.pattern);
}

export function describeSelector(selector: CaseSelector): string {
  switch (selector.kind) {
    case 'all': return 'all cases';
    case 'suite': return `suite ${selector.pattern}`;
    case 'case': return selector.pattern;
  }
}

function globRegex(pattern: string): RegExp {
  const source = [...pattern].map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 's');
}
