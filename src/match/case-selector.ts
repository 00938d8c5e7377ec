// Which guest test cases a `uktest`/`ktap` expectation covers, and how that is named in titles.
import type { CaseSelector } from '../scenario/model.js';
import type { GuestCase } from '../results/guest-case.js';
import { caseId } from '../results/guest-case.js';
import { userRegex } from '../regex/user-regex.js';
import { escapeRegex } from '../regex/escape-regex.js';

export type CasePredicate = (guestCase: Pick<GuestCase, 'suite' | 'case'>) => boolean;

/**
 * Case names hold `/`, spaces and dots (KUnit parameterised cases: `test_x/param 1`), so these globs
 * are not path globs: `*` crosses every character. Names hold `*` and `?` too (test_bpf's
 * `#118 ALU_MUL_X: 2 * 3 = 6`): `\*`, `\?` and `\\` stand for the character itself.
 */
export function compileCaseSelector(selector: CaseSelector): CasePredicate {
  if (selector.kind === 'all') return () => true;
  const regex = userRegex(`^${globPieces(selector.pattern).map(pieceRegex).join('')}$`, 's');
  return selector.kind === 'suite'
    ? (c) => regex.test(c.suite)
    : (c) => regex.test(caseId(c.suite, c.case));
}

/** A selector without wildcards names one case: it is decided by that case alone. */
export function selectsOneCase(selector: CaseSelector): boolean {
  return oneCaseName(selector) !== undefined;
}

/** The `suite->case` a selector without wildcards names, its escapes undone. */
export function oneCaseName(selector: CaseSelector): string | undefined {
  if (selector.kind !== 'case') return undefined;
  const pieces = globPieces(selector.pattern);
  return pieces.every((p) => 'literal' in p) ? pieces.map((p) => ('literal' in p ? p.literal : '')).join('') : undefined;
}

export function describeSelector(selector: CaseSelector): string {
  switch (selector.kind) {
    case 'all': return 'all cases';
    case 'suite': return `suite ${selector.pattern}`;
    case 'case': return selector.pattern;
  }
}

type GlobPiece = { literal: string } | { wildcard: '*' | '?' };

/** Literal characters and wildcards. A backslash before anything but `*`, `?` or `\\` is itself. */
function globPieces(pattern: string): GlobPiece[] {
  const pieces: GlobPiece[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    const next = pattern[i + 1];
    if (ch === '\\' && (next === '*' || next === '?' || next === '\\')) {
      pieces.push({ literal: next });
      i++;
    } else {
      pieces.push(ch === '*' || ch === '?' ? { wildcard: ch } : { literal: ch });
    }
  }
  return pieces;
}

function pieceRegex(piece: GlobPiece): string {
  if ('wildcard' in piece) return piece.wildcard === '*' ? '.*' : '.';
  return escapeRegex(piece.literal);
}
