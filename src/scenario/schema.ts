// The scenario format, defined once: the validator and the editor JSON Schema both come from here.
import { arr, bool, int, keyed, obj, oneOfStrings, str, union, type ObjectNode, type SchemaNode } from './schema-dsl.js';
import { STAGE_NAMES } from './stages.js';
import { breakpointExpectation, faultsSchema, watchExpectation } from './debug-schema.js';
import { timingSchema } from './timing-schema.js';
import { coverageSchema, profileSchema } from './coverage-schema.js';
import { crashSchema, formatsSchema, lineResultExpectation, resultExpectation } from './results-schema.js';
import { STREAMS, type Stream } from './model.js';
import { ARCHES, ARCH_PROFILES } from '../arch/profiles.js';

export const CHANNELS = ['console', 'debugcon', 'firmware', 'virtio'] as const;
export const MACHINE_TYPES = [...new Set(ARCHES.flatMap((arch) => ARCH_PROFILES[arch].machineTypes))];

/** Where each architecture attaches a channel, for descriptions: `<arch>: <the profile's where>; ...`. */
function attachedWhere(channel: 'debugcon' | 'codes' | 'firmware'): string {
  return ARCHES.map((arch) => `${arch}: ${ARCH_PROFILES[arch].channels[channel]?.where ?? 'none'}`).join('; ');
}
export const ACCELS = ['auto', 'tcg', 'kvm'] as const;
const ARCH_ALIASES = Object.fromEntries(ARCHES.flatMap((arch) => ARCH_PROFILES[arch].otherNames.map((other) => [other, arch])));

const pattern: SchemaNode = union('a text (matched as a substring of a line) or a map {regex: ..., flags: ...}', [
  str('Text that must appear within one line.', { minLength: 1 }),
  obj(
    {
      regex: str('A JavaScript regular expression matched against each line.', { minLength: 1 }),
      flags: str('Regular expression flags, e.g. "i".', { pattern: '^[imsu]*$', patternHint: 'regex flags from i, m, s, u' }),
    },
    ['regex'],
  ),
]);

const rowPattern: SchemaNode = union('a text (matched as a substring of one screen row) or a map {regex: ..., flags: ...}', [
  str('Text that must appear within one row of the screen.', { minLength: 1 }),
  obj(
    {
      regex: str('A JavaScript regular expression matched against each row of the screen.', { minLength: 1 }),
      flags: str('Regular expression flags, e.g. "i".', { pattern: '^[imsu]*$', patternHint: 'regex flags from i, m, s, u' }),
    },
    ['regex'],
  ),
]);
const screenChannel = oneOfStrings(CHANNELS, 'The channel drawn as a screen (default console).');

const ordering = {
  id: str('A name other expectations can refer to with `after`.', { pattern: '^[A-Za-z][\\w-]*$', patternHint: 'a name of letters, digits, - and _' }),
  after: str('Only events after the expectation with this id was met count.', { minLength: 1 }),
  timeout: { kind: 'number', description: 'Seconds it may take once it can be met (from the start, or from when the one it comes after was met).', exclusiveMinimum: 0, maximum: 3600 } as SchemaNode,
};

const textExpectation = (key: string, description: string): ObjectNode =>
  obj({ [key]: pattern, ...ordering }, [key], description);

const code: SchemaNode = union(`a debug-port code 0..255 or a stage name (${STAGE_NAMES.join(', ')})`, [
  int(`An exact stage code, one byte (${attachedWhere('codes')}).`, 0, 255),
  oneOfStrings(STAGE_NAMES, 'Any code within the stage range.'),
]);

const neverPattern: SchemaNode = union('a text or a map {text|regex|code, flags, channel}', [
  str('Text that must never appear on the console.', { minLength: 1 }),
  obj({
    text: str('Text that must never appear within a line.', { minLength: 1 }),
    regex: str('A regular expression that must never match a line.', { minLength: 1 }),
    code: { ...code, description: 'A stage code that must never be written (a stage name: any code of its range).' },
    screen: { ...rowPattern, description: 'What must never appear within one row of the channel\'s screen.' },
    flags: str('Regular expression flags.', { pattern: '^[imsu]*$', patternHint: 'regex flags from i, m, s, u' }),
    channel: oneOfStrings(CHANNELS, 'The text channel to watch (default console); a code is always read from the stage codes.'),
  }),
]);

export const expectationSchema = keyed(
  {
    console: textExpectation('console', `A line on the serial console (the machine's first UART: ${ARCHES.map((arch) => `${ARCH_PROFILES[arch].channels.console.where} on ${arch}`).join(', ')}).`),
    debugcon: textExpectation('debugcon', `A line on the debug console (${attachedWhere('debugcon')}).`),
    firmware: textExpectation('firmware', `A line on the firmware debug port (${attachedWhere('firmware')}; the firmware logs there).`),
    virtio: textExpectation('virtio', 'A line on the virtio console (port 0 of a virtio-serial device, added when a scenario reads it).'),
    code: obj({ code, ...ordering }, ['code'], `A stage code: a byte the guest writes to the codes channel (${attachedWhere('codes')}).`),
    never: obj({ never: neverPattern }, ['never'], 'Fails the moment the pattern appears; passes if it never does.'),
    breakpoint: breakpointExpectation(ordering),
    watch: watchExpectation(ordering),
    send: obj({
      send: str('Text sent to the guest (YAML escapes such as "\\n" and "\\x03" for Ctrl-C work in double quotes).', { minLength: 1 }),
      channel: oneOfStrings(['console'], 'Where to send it (default console).'),
      id: ordering.id,
    }, ['send'], 'Input for the guest, sent the moment the expectation listed before it is met; the one listed after it counts only output that follows.'),
    screen: obj({ screen: rowPattern, channel: screenChannel, ...ordering }, ['screen'],
      'A row of the channel\'s screen (its bytes rendered by a terminal emulator) matching this; rows are matched one by one.'),
    uktest: resultExpectation('uktest', ordering),
    ktap: resultExpectation('ktap', ordering),
    results: lineResultExpectation(ordering),
  },
  'One expected event.',
);

const exitSchema: SchemaNode = union('poweroff, reset, any, or a map {code: N}, {debug-exit: V}, {semihosting: N} or {status: N}', [
  oneOfStrings(['poweroff', 'reset', 'any'], 'poweroff: the guest powered the machine off (QEMU status 0); reset: the guest reset the machine (as its architecture does: docs/architectures.md); any: any end of the guest\'s own.'),
  obj({ code: int('The code the guest exits with through its architecture\'s status exit (docs/architectures.md), the same on every architecture of a matrix: QEMU exits with 2N+1 where that exit is isa-debug-exit, with N where the guest gives QEMU its status (semihosting, a test finisher).', 0, 0x7fffffff) }, ['code']),
  obj({ 'debug-exit': int('The value the guest writes to isa-debug-exit; QEMU exits with (V << 1) | 1.', 0, 0x7fffffff) }, ['debug-exit']),
  obj({ semihosting: int('The code the guest passes to semihosting SYS_EXIT/SYS_EXIT_EXTENDED (aarch64, riscv64); QEMU exits with its low 8 bits.', 0, 0x7fffffff) }, ['semihosting']),
  obj({ status: int('The exact QEMU exit status.', 0, 255) }, ['status']),
]);

const endCondition = keyed(
  {
    console: obj({ console: pattern }, ['console'], 'The run ends at a serial console line matching this.'),
    debugcon: obj({ debugcon: pattern }, ['debugcon'], 'The run ends at a debug console line matching this.'),
    firmware: obj({ firmware: pattern }, ['firmware'], 'The run ends at a firmware port line matching this.'),
    virtio: obj({ virtio: pattern }, ['virtio'], 'The run ends at a virtio console line matching this.'),
    screen: obj({ screen: rowPattern, channel: screenChannel }, ['screen'], 'The run ends when a row of the channel\'s screen matches this.'),
    code: obj({ code }, ['code'], 'The run ends at this stage code (a stage name: any code of its range).'),
    quiet: obj({ quiet: { kind: 'number', description: 'Seconds without output on any channel (a guest halted for good).', exclusiveMinimum: 0, maximum: 3600 } as SchemaNode }, ['quiet']),
    qmp: obj({ qmp: str('A QMP event name, e.g. SUSPEND or GUEST_PANICKED.', { pattern: '^[A-Z][A-Z0-9_]*$', patternHint: 'an upper-case QMP event name' }) }, ['qmp']),
  },
  'What else ends the run as the guest\'s own end.',
);

const machine = obj(
  {
    arch: oneOfStrings(ARCHES, 'Guest architecture (default x86_64); several: matrix: { arch: [...] }.', ARCH_ALIASES),
    type: oneOfStrings(MACHINE_TYPES, `QEMU machine type of the architecture (${ARCHES.map((a) => `${a}: ${ARCH_PROFILES[a].machineTypes.join(', ')}`).join('; ')}); default ${ARCHES.map((a) => `${ARCH_PROFILES[a].defaults.type} on ${a}`).join(', ')}.`),
    cpus: int('Number of vCPUs.', 1, 64),
    memory: union('a size like 128M or 1G, or a number of MiB', [
      str('Memory size.', { pattern: '^[1-9][0-9]*[MG]$', patternHint: 'a size like 128M or 1G' }),
      int('Memory in MiB.', 16, 65536),
    ]),
    accel: oneOfStrings(ACCELS, 'auto picks KVM only where the host can run the guest\'s architecture with it and its CPU has hardware virtualization.'),
    cpu: str(`QEMU -cpu value: a model and optional features, as qemu-system-<arch> -cpu help lists them (default under TCG: ${ARCHES.map((a) => `${ARCH_PROFILES[a].defaultCpu.tcg} on ${a}`).join(', ')}; host under KVM).`, {
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*(,[+-]?[A-Za-z0-9._-]+(=[A-Za-z0-9._-]+)?)*$',
      patternHint: 'a QEMU CPU model with optional ,feature / ,+feature / ,-feature / ,feature=value parts',
    }),
    'debug-exit': union('a map {iobase, iosize} or false', [
      obj({ iobase: int('I/O port of isa-debug-exit.', 0, 0xffff), iosize: int('Width in bytes.', 1, 4) }, ['iobase']),
      bool('false removes the isa-debug-exit device.'),
    ]),
    qemu: arr(str('One extra QEMU argument.'), 'Extra QEMU arguments appended as they are (escape hatch).'),
  },
  [],
  'The emulated machine.',
);

const firmware: SchemaNode = union('a firmware image (QEMU -bios) or a map {pflash: CODE, vars: VARS}', [
  str('Firmware image the machine starts from, QEMU\'s -bios (e.g. OVMF.fd, u-boot.rom), relative to the scenario file.', { minLength: 1 }),
  obj(
    {
      pflash: str('Firmware code on the first flash chip (e.g. OVMF_CODE.fd), relative to the scenario file; attached read-only.', { minLength: 1 }),
      vars: str('Template of the variable store on the second flash chip (e.g. OVMF_VARS.fd): the firmware may write its variables, into a copy QEMU discards (snapshot=on), so a run never changes the file.', { minLength: 1 }),
    },
    ['pflash'],
  ),
]);

const guest = obj(
  {
    kernel: str(`Kernel image (an ELF, or a Linux boot image: ${ARCHES.map((arch) => ARCH_PROFILES[arch].linuxImage.name).join(', ')}), relative to the scenario file.`, { minLength: 1 }),
    firmware,
    initrd: str('Initial ramdisk, relative to the scenario file.', { minLength: 1 }),
    cmdline: str('Kernel command line.'),
    symbols: str('ELF file or System.map with the kernel symbols, relative to the scenario file.', { minLength: 1 }),
  },
  [],
  'The guest image: a kernel, a firmware or both (here or in a defaults document).',
);

const size = (description: string): SchemaNode => str(description, { pattern: '^[1-9][0-9]*[KMG]$', patternHint: 'a size like 512K, 64M or 1G' });
const STREAM_NAMES: Record<Stream, string> = {
  console: 'the serial console', debugcon: 'the debug console', firmware: 'the firmware port', virtio: 'the virtio console', codes: 'the stage codes (a byte per code)',
};

const outputLimit: SchemaNode = union(`a size like 512K, 64M or 1G, or a map of sizes by channel (${STREAMS.join(', ')})`, [
  size('Bytes each channel may print before the run ends as a flood (default 64M).'),
  obj(Object.fromEntries(STREAMS.map((s) => [s, size(`Bytes ${STREAM_NAMES[s]} may print before the run ends as a flood.`)])), [],
    'Limits for some channels; the others keep the default 64M.'),
]);

const screens: SchemaNode = obj(
  Object.fromEntries(CHANNELS.map((c) => [c, obj({
    rows: int('Rows of the screen (default 25).', 2, 500),
    cols: int('Columns of the screen (default 80).', 2, 1000),
  }, [], `The size of the screen ${c} draws on.`)])),
  [],
  'Channels that draw a full-screen text UI (cursor addressing), read as a screen: screen expectations match its rows, and lines are refused on them.',
);

const matrix = obj(
  {
    arch: arr(oneOfStrings(ARCHES, 'A guest architecture.', ARCH_ALIASES), `Architectures the scenario runs on, each as a scenario of its own named "NAME (arch)" (of ${ARCHES.join(', ')}).`, 1, true),
  },
  ['arch'],
  'Run the scenario once per architecture: machine.arch is set for each, and ${arch} in guest paths and the cmdline becomes its name.',
);

const commonProperties = {
  guest,
  machine,
  matrix,
  timeout: { kind: 'number', description: 'Seconds before the run is stopped and unmet expectations fail.', exclusiveMinimum: 0, maximum: 3600 } as SchemaNode,
  ordered: bool('true: the expectations must be met in the order listed.'),
  exit: exitSchema,
  end: arr(endCondition, 'Conditions that end the run as the guest\'s own end, besides QEMU exiting (a halt, a final line).'),
  crash: crashSchema,
  formats: formatsSchema,
  'output-limit': outputLimit,
  screens,
  snapshot: obj(
    { at: str('The id of the expectation (or a stage name) where the machine is saved: the boot up to it runs once, later scenarios with the same guest, machine and expectations up to it resume from there.', { pattern: '^[A-Za-z][\\w-]*$', patternHint: 'an expectation id or a stage name' }) },
    ['at'],
    'Boot once, test many: save the machine at this point and resume every scenario with the same key from it (docs/snapshots.md).',
  ),
  coverage: coverageSchema,
  profile: profileSchema,
  debugger: obj(
    {
      stub: oneOfStrings(['qemu', 'guest'], 'Whose GDB stub breakpoints and faults go through: QEMU\'s (the default), or the guest\'s own (KGDB) on `channel` (docs/guest-stubs.md).'),
      channel: oneOfStrings(['serial1'], 'Where the guest\'s stub listens: serial1, the machine\'s second serial port (Linux: kgdboc=ttyS1), kept out of the console.'),
    },
    ['stub'],
    'The GDB stub the scenario\'s breakpoints and faults use.',
  ),
};

export const scenarioSchema = obj(
  {
    name: str('Scenario name, unique within its file; the describe block name.', { minLength: 1 }),
    ...commonProperties,
    expect: arr(expectationSchema, 'Expected events.'),
    timing: timingSchema,
    repeat: int('Boot the scenario this many times (runs go in parallel, one per core); every run must meet every expectation, timing is judged on a statistic over them.', 1, 100),
    faults: faultsSchema,
  },
  ['name'],
  'A vitest-guest scenario: a guest image, a machine and the events it must produce.',
);

/** A document holding only `defaults:` applies them to every later scenario of the file. */
export const defaultsSchema = obj({ defaults: obj(commonProperties, [], 'Values merged into every later scenario of this file.') }, ['defaults']);
