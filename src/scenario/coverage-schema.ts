// The coverage and profile parts of the scenario format: which of the guest's functions ran, and where its
// instructions went, counted by the TCG plugin.
import { arr, bool, int, keyed, obj, str, union, type SchemaNode } from './schema-dsl.js';

const glob = (description: string): SchemaNode => str(description, { minLength: 1 });
const SHARE_PATTERN = '^(100|[0-9]{1,2}(\\.[0-9]+)?)%$';

const coverageCheck = keyed(
  {
    functions: obj(
      {
        functions: glob('A function name or a glob of them (* ? [abc] {a,b}) that must have run.'),
        min: str('The share of the matching functions that must have run (default 100%).', { pattern: SHARE_PATTERN, patternHint: 'a share like 90%' }),
      },
      ['functions'],
      'Functions that must run: all those the glob matches, or at least `min` of them.',
    ),
    never: obj(
      { never: arr(glob('A function name or a glob that must never run (panic, BUG-path helpers).'), 'Functions none of which may run.', 1) },
      ['never'],
      'Functions that must never run.',
    ),
  },
  'A check on the coverage.',
);

export const coverageSchema: SchemaNode = union('true, a check {functions: GLOB, min: 90%} or {never: [GLOB, ...]}, or a list of checks', [
  bool('true: record which functions (and with DWARF line tables, which lines) of the guest ran, into an lcov tracefile; false: do not.'),
  coverageCheck,
  arr(coverageCheck, 'Checks on the coverage, each a test.', 1),
], 'Guest code coverage through the TCG plugin (docs/coverage-and-profiles.md).');

const point = str('start, exit, a stage name, or the id of an expectation or a fault.', { minLength: 1 });

export const profileSchema: SchemaNode = union('true, or a map {top, stages, between}', [
  bool('true: report the 10 functions that executed the most guest instructions over the run; false: do not.'),
  obj(
    {
      top: int('How many functions each profile lists (default 10).', 1, 1000),
      stages: bool('true: a profile per boot stage too (from the stage codes).'),
      between: arr(obj({ from: point, to: point }, ['from', 'to'], 'A span of the run, as a timing assertion names it.'), 'Spans of the run, each with a profile of its own.', 1),
    },
    [],
    'What the profile reports.',
  ),
], 'Guest instructions executed per function through the TCG plugin, ranked (docs/coverage-and-profiles.md).');
