// The guest-results parts of the scenario format: uktest/KTAP case expectations and what a crash means.
import { arr, mapOf, obj, oneOfStrings, str, union, type ObjectNode, type SchemaNode } from './schema-dsl.js';
import { DEFAULT_RESULT_WORDS } from '../results/line-format.js';
import { countOf } from './debug-schema.js';
import { CASE_STATUSES } from '../results/guest-case.js';
import { CRASH_KINDS } from '../results/guest-crash.js';
import { TEXT_CHANNELS } from './model.js';

const selector = str('`all`, a suite name, or `suite->case`; `*` matches any run of characters, `?` one.', { minLength: 1 });

export const resultExpectation = (format: 'uktest' | 'ktap', ordering: Record<string, SchemaNode>): ObjectNode => obj(
  {
    [format]: selector,
    status: oneOfStrings(CASE_STATUSES, 'The status every selected case must end with (default passed).'),
    cases: countOf('case'),
    channel: oneOfStrings(TEXT_CHANNELS, 'Where the guest prints its results (default console).'),
    ...ordering,
  },
  [format],
  format === 'uktest'
    ? "The guest's own Unikraft uktest results: the selected cases must run (default: at least one) and end with `status`."
    : "The guest's own KTAP/KUnit results: the selected cases must run (default: at least one) and end with `status`.",
);

/** `results: <selector>` with `format: <name>` reads the cases of a format declared under `formats`. */
export const lineResultExpectation = (ordering: Record<string, SchemaNode>): ObjectNode => obj(
  {
    results: selector,
    format: str('The name of a format declared under `formats:`.', { minLength: 1 }),
    status: oneOfStrings(CASE_STATUSES, 'The status every selected case must end with (default passed).'),
    cases: countOf('case'),
    channel: oneOfStrings(TEXT_CHANNELS, 'Where the guest prints its results (default console).'),
    ...ordering,
  },
  ['results', 'format'],
  "The guest's own result lines, in a format declared under `formats:`.",
);

const words = (status: string, defaults: string[]): SchemaNode =>
  arr(str(`A result word meaning ${status}.`, { minLength: 1 }), `Result words meaning ${status} (default ${defaults.join(', ')}).`);

/** `formats: { name: { line, flags, passed, failed, skipped } }`. */
export const formatsSchema: SchemaNode = mapOf(obj(
  {
    line: str('A JavaScript regular expression matched against each line, with named groups: case and result (required), suite, message, measurement.', { minLength: 1 }),
    flags: str('Regular expression flags.', { pattern: '^[imsu]*$', patternHint: 'regex flags from i, m, s, u' }),
    passed: words('passed', DEFAULT_RESULT_WORDS.passed),
    failed: words('failed', DEFAULT_RESULT_WORDS.failed),
    skipped: words('skipped', DEFAULT_RESULT_WORDS.skipped),
  },
  ['line'],
  'One result-line format.',
), 'The guest\'s own result-line formats, by name (LAVA-style monitors).');

export const CRASH_EXPECTATIONS = [...CRASH_KINDS, 'reset', 'any'] as const;

export const crashSchema: SchemaNode = union('none, allowed, expected, or a map {expected: <kind>}', [
  oneOfStrings(['none', 'allowed', 'expected'], 'none (default): a crash the guest prints fails the run at once; allowed: crashes are only recorded; expected: the run must crash.'),
  obj({ expected: oneOfStrings(CRASH_EXPECTATIONS, 'The kind of crash the run must show (reset: QEMU saw the guest reset).') }, ['expected']),
]);
