// How an expectation is named in test titles and reports, e.g. `console "Hello from guest"`.
import type { CaseSelector, CrashExpectation, Expectation, ExitExpectation, HitCount } from '../scenario/model.js';
import { describeSelector } from './case-selector.js';
import { debugExitStatus } from '../results/exit-status.js';
import { describeCode } from '../scenario/stages.js';
import { describePattern } from './pattern.js';

export function expectationTitle(expectation: Expectation): string {
  switch (expectation.kind) {
    case 'text': return `${expectation.channel} ${describePattern(expectation.pattern)}`;
    case 'code': return describeCode(expectation.code);
    case 'stage': return describeCode(expectation.stage);
    case 'never': {
      if (expectation.channel === 'codes') return `never ${describeCode(expectation.code)}`;
      return `never ${expectation.channel === 'console' ? '' : `${expectation.channel} `}${expectation.screen ? 'screen ' : ''}${describePattern(expectation.pattern)}`;
    }
    case 'breakpoint': return `breakpoint ${expectation.target} ${countText(expectation.count)}${expectation.vcpu === undefined ? '' : ` on vCPU ${expectation.vcpu}`}`;
    case 'watch': return `watch ${expectation.access} ${expectation.target} ${countText(expectation.count)}`;
    case 'send': return `send ${JSON.stringify(expectation.text)}`;
    case 'screen': return `${expectation.channel === 'console' ? '' : `${expectation.channel} `}screen ${describePattern(expectation.pattern)}`;
    case 'results': {
      const count = expectation.count.min === 1 && expectation.count.max === undefined ? '' : ` (${casesText(expectation.count)})`;
      return `${resultsSubject(expectation.format, expectation.select)} ${expectation.status}${count}${expectation.channel === 'console' ? '' : ` on ${expectation.channel}`}`;
    }
  }
}

/**
 * `uktest all cases`, `ktap suite list`; a line format's cases are in a suite named after the format
 * unless the line names one, so a selector that starts with the format's name says it once: `toro->TestVirtio`.
 */
function resultsSubject(format: string, select: CaseSelector): string {
  const named = select.kind !== 'all' && (select.pattern === format || select.pattern.startsWith(`${format}->`));
  return named ? describeSelector(select) : `${format} ${describeSelector(select)}`;
}

export function crashTitle(crash: CrashExpectation): string {
  return crash.kind === 'expected' ? `crash ${crash.crash === 'any' ? '' : `${crash.crash} `}expected` : `crash ${crash.kind}`;
}

/** `at least 1 case`, `3 cases`, `2 to 5 cases`, `no case`. */
export function casesText(count: HitCount): string {
  const cases = (n: number): string => (n === 1 ? '1 case' : `${n} cases`);
  if (count.max === 0) return 'no case';
  if (count.max === undefined) return `at least ${cases(count.min)}`;
  if (count.min === count.max) return cases(count.min);
  if (count.min === 0) return `at most ${cases(count.max)}`;
  return `${count.min} to ${count.max} cases`;
}

export function exitTitle(exit: ExitExpectation): string {
  switch (exit.kind) {
    case 'poweroff': return 'exit poweroff';
    case 'any': return 'exit any';
    case 'reset': return 'exit reset';
    case 'debug-exit': return `exit debug-exit ${exit.value} (status ${debugExitStatus(exit.value)})`;
    case 'semihosting': return `exit semihosting ${exit.code} (status ${exit.code & 0xff})`;
    case 'status': return `exit status ${exit.status}`;
  }
}

/** `hit 3 times`, `hit at least once`, `never hit`, `hit 2 to 5 times`. */
export function countText(count: HitCount): string {
  const times = (n: number): string => (n === 1 ? 'once' : `${n} times`);
  if (count.max === 0) return 'never hit';
  if (count.max === undefined) return `hit at least ${times(count.min)}`;
  if (count.min === count.max) return `hit ${times(count.min)}`;
  if (count.min === 0) return `hit at most ${times(count.max)}`;
  return `hit ${count.min} to ${count.max} times`;
}
