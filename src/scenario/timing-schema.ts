// The timing part of the scenario format: limits on the time between points of a run, or of a stage.
import { arr, obj, oneOfStrings, str, union, type SchemaNode } from './schema-dsl.js';
import { STAGE_NAMES } from './stages.js';

const DURATION_PATTERN = '^[0-9]+(\\.[0-9]+)?(ms|s)$';

const duration: SchemaNode = union('a duration like 250ms or 1.5s, or a number of ms', [
  { kind: 'number', description: 'Milliseconds.', minimum: 0 },
  str('A duration with its unit.', { pattern: DURATION_PATTERN, patternHint: 'a duration like 250ms or 1.5s' }),
]);

const point = str(`start, exit, a stage name (${STAGE_NAMES.join(', ')}), or the id of an expectation or a fault.`, { minLength: 1 });

export const timingSchema: SchemaNode = arr(obj(
  {
    from: point,
    to: point,
    stage: oneOfStrings(STAGE_NAMES, 'A stage whose duration is limited: from its first stage code to the first code of a later stage (or the end).'),
    statistic: oneOfStrings(['median', 'p90', 'max'], 'With repeat: the figure over the runs held to the limits (default median).'),
    clock: union('host, guest, or a guest clock {regex, hz}', [
      oneOfStrings(['host', 'guest'], 'host (default): when vitest-guest saw each point; guest: the [ seconds.micros ] prefix of the lines that met the expectations measured (Linux printk, Unikraft ukdebug).'),
      obj({
        regex: str('Finds the time on the lines that met the expectations measured: one named group, s, ms, us or ns (a time in that unit) or ticks (a count, with hz).', { minLength: 1 }),
        hz: { kind: 'number', description: 'With a ticks group: how many ticks a second (a TSC\'s frequency, say).', exclusiveMinimum: 0 },
      }, ['regex'], 'A guest clock the guest prints in its own words, e.g. {regex: "tsc=(?<ticks>\\d+)", hz: 2000000000}.'),
    ]),
    baseline: str('At most this much slower than the figure `vitest-guest baseline` recorded, like 20%.', { pattern: '^[0-9]+(\\.[0-9]+)?%$', patternHint: 'a share like 20%' }),
    min: duration,
    max: union('a duration like 250ms or 1.5s, a number of ms, or a share of the whole run like 40%', [
      { kind: 'number', description: 'Milliseconds.', minimum: 0 },
      str('A duration with its unit, or a percentage of the whole run.', { pattern: `${DURATION_PATTERN}|^[0-9]+(\\.[0-9]+)?%$`, patternHint: 'a duration like 250ms or 1.5s, or a share like 40%' }),
    ]),
  },
  [],
  'A timing assertion: `from`/`to` points, or a `stage`; with `max`, `min`, `baseline`, or several.',
), 'Limits on the time between points of the run (host clock, ms since the guest was resumed).');
