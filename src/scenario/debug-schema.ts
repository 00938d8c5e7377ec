// The debugger parts of the scenario format: breakpoint and watch expectations, injected faults.
import { arr, int, mapOf, obj, oneOfStrings, str, union, type ObjectNode, type SchemaNode } from './schema-dsl.js';

/** Numbers above 2^53 lose precision in YAML, so big values are written as quoted hex strings. */
const HEX_OR_DECIMAL = '^(0x[0-9a-fA-F]+|-?[0-9]+)$';

export const bigValue: SchemaNode = union('an integer, or a quoted "0x..." string for values above 2^53', [
  int('A value that fits a safe JavaScript integer.', -(2 ** 53 - 1), 2 ** 53 - 1),
  str('A hex ("0x...") or decimal value, quoted.', { pattern: HEX_OR_DECIMAL, patternHint: 'a quoted hex "0x..." or decimal value' }),
]);

/** A symbol name, a glob over symbol names (src/symbols/symbol-glob.ts), or an address. */
const location: SchemaNode = union('a symbol name, a glob like "uk_alloc_*", or an address "0x..."', [
  str('Symbol name, glob or quoted hex address.', { minLength: 1 }),
  int('An address (quote addresses above 2^53 as "0x...").', 0, 2 ** 53 - 1),
]);

/** `count: N` / `cases: N`: exact, or a range {min, max}. */
export const countOf = (noun: 'hit' | 'case'): SchemaNode => union(`a ${noun} count N, or a map {min: N, max: N}`, [
  int(`Exactly this many ${noun}s (0: none).`, 0, 1_000_000_000),
  obj({ min: int(`At least this many ${noun}s.`, 0, 1_000_000_000), max: int(`At most this many ${noun}s.`, 0, 1_000_000_000) }),
]);

export const countSchema: SchemaNode = countOf('hit');

const checks = {
  registers: mapOf(bigValue, 'Register values every counted hit must show, by name as the GDB stub of the guest\'s architecture names them (docs/architectures.md).'),
  memory: arr(obj({
    at: location,
    size: int('Bytes to read: 1, 2, 4 or 8 (default 8).', 1, 8),
    equals: bigValue,
  }, ['at', 'equals']), 'Memory every counted hit must show (little-endian).'),
};

export const breakpointExpectation = (ordering: Record<string, SchemaNode>): ObjectNode => obj(
  {
    breakpoint: location,
    count: countSchema,
    vcpu: int('Count only the hits on this vCPU: 0 to machine.cpus - 1, in QEMU\'s order (default: every vCPU).', 0, 63),
    ...checks,
    ...ordering,
  },
  ['breakpoint'],
  'Code at a symbol, glob or address must be hit (default: at least once) through the GDB stub.',
);

export const watchExpectation = (ordering: Record<string, SchemaNode>): ObjectNode => obj(
  {
    watch: location,
    access: oneOfStrings(['write', 'read', 'access'], 'What counts as a hit (default write).'),
    size: int('Bytes watched (default: the symbol size, at most 8).', 1, 8),
    count: countSchema,
    ...ordering,
  },
  ['watch'],
  'Memory at a symbol or address must be accessed (a hardware watchpoint).',
);

export const faultSchema = obj(
  {
    function: str('The function whose return value is forced.', { minLength: 1 }),
    id: str('A name timing assertions can measure from or to: the first injection.', { minLength: 1 }),
    return: bigValue,
    mode: oneOfStrings(['skip', 'override'], 'skip: return at once without running it (default); override: let it run, then replace its return value.'),
    hits: union('all, or a map {nth: N}, {first: N} or {probability: P, seed: S}', [
      oneOfStrings(['all'], 'Every call.'),
      obj({ nth: int('Only the Nth call (1-based).', 1, 1_000_000_000) }, ['nth']),
      obj({ first: int('The first N calls.', 1, 1_000_000_000) }, ['first']),
      obj({ probability: { kind: 'number', description: 'Chance per call, 0..1.', minimum: 0, maximum: 1 }, seed: int('Seed, so runs are reproducible.', 0, 2 ** 31 - 1) }, ['probability']),
    ]),
  },
  ['function', 'return'],
  'Force a function\'s return value (fault injection).',
);

export const faultsSchema = arr(faultSchema, 'Faults injected through the GDB stub, armed before the first guest instruction.');
