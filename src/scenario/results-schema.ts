// The guest-results parts of the scenario format: uktest/KTAP case expectations and what a crash means.
import { obj, oneOfStrings, str, union, type ObjectNode, type SchemaNode } from './schema-dsl.js';
import { countOf } from './debug-schema.js';
import { CASE_STATUSES } from '../results/guest-case.js';
import { CRASH_KINDS } from '../results/guest-crash.js';

export const RESULT_CHANNELS = ['console', 'debugcon'] as const;

const selector = str('`all`, a suite name, or `suite->case`; `*` matches any run of characters, `?` one.', { minLength: 1 });

export const resultExpectation = (format: 'uktest' | 'ktap', ordering: Record<string, SchemaNode>): ObjectNode => obj(
  {
    [format]: selector,
    status: oneOfStrings(CASE_STATUSES, 'The status every selected case must end with (default passed).'),
    cases: countOf('case'),
    channel: oneOfStrings(RESULT_CHANNELS, 'Where the guest prints its results (default console).'),
    ...ordering,
  },
  [format],
  format === 'uktest'
    ? "The guest's own Unikraft uktest results: the selected cases must run (default: at least one) and end with `status`."
    : "The guest's own KTAP/KUnit results: the selected cases must run (default: at least one) and end with `status`.",
);

export const CRASH_EXPECTATIONS = [...CRASH_KINDS, 'reset', 'any'] as const;

export const crashSchema: SchemaNode = union('none, allowed, expected, or a map {expected: <kind>}', [
  oneOfStrings(['none', 'allowed', 'expected'], 'none (default): a crash the guest prints fails the run at once; allowed: crashes are only recorded; expected: the run must crash.'),
  obj({ expected: oneOfStrings(CRASH_EXPECTATIONS, 'The kind of crash the run must show (reset: QEMU saw a triple fault or reset).') }, ['expected']),
]);
