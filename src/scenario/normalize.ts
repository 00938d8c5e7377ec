// Turns validated plain values into the scenario model: patterns compiled, orderings resolved.
import { isSeq, type Node } from 'yaml';
import { childNode } from './yaml-nodes.js';
import { DEFAULT_OUTPUT_LIMIT, DEFAULT_TIMEOUT_S, STREAMS, TEXT_CHANNELS, type Channel, type EndCondition, type ExitExpectation, type Expectation, type Firmware, type Machine, type Pattern, type Scenario, type Stream } from './model.js';
import type { CodeMatch, StageName } from './stages.js';
import { positionOf, report, type ValidationContext } from './validate.js';
import { joinPath } from './issues.js';
import { dirnameOf, resolvePath } from './resolve-path.js';
import { checkRegex } from './regex-check.js';
import { normalizeTiming } from './normalize-timing.js';
import { checkSymbolsNamed, checkVcpus, normalizeBreakpoint, normalizeFaults, normalizeWatch } from './normalize-debug.js';
import { normalizeCrash, normalizeFormats, normalizeResults } from './normalize-results.js';
import { normalizeScreens } from './normalize-screen.js';
import { checkChannelsFit, checkExitFits, normalizeMachine } from './normalize-machine.js';
import { ARCH_PROFILES, type ArchProfile } from '../arch/profiles.js';
import { normalizeSnapshot } from './normalize-snapshot.js';
import { normalizeCoverage, normalizeProfile } from './normalize-coverage.js';
import { normalizeGuestStub } from './normalize-guest-stub.js';

type Plain = Record<string, unknown>;

export function normalizeScenario(ctx: ValidationContext, node: Node, raw: Plain, file: string): Scenario | undefined {
  const baseDir = dirnameOf(file);
  const location = { file: ctx.file, ...positionOf(ctx, node) };
  const guestRaw = (raw.guest ?? {}) as Plain;
  if (typeof guestRaw.kernel !== 'string' && guestRaw.firmware === undefined) {
    report(ctx, 'missing-key', childNode(node, 'guest') ?? node, 'guest', 'missing required key "kernel" or "firmware".',
      'Name the kernel image or the firmware image (guest.firmware, QEMU\'s -bios), relative to this file, under guest: or in a defaults document.');
    return undefined;
  }
  const kernelOnly = ['initrd', 'cmdline'].find((key) => guestRaw[key] !== undefined);
  if (typeof guestRaw.kernel !== 'string' && kernelOnly) {
    const guestNode = childNode(node, 'guest');
    report(ctx, 'invalid-value', childNode(guestNode, kernelOnly) ?? guestNode ?? node, joinPath('guest', kernelOnly), `"${kernelOnly}" is for a kernel, and this guest names none (only a firmware).`,
      'Add guest.kernel (QEMU loads it beside the firmware), or remove it.');
    return undefined;
  }
  const machine = normalizeMachine(ctx, childNode(node, 'machine'), (raw.machine ?? {}) as Plain);
  if (!machine) return undefined;
  const profile = ARCH_PROFILES[machine.arch];
  const expectNode = childNode(node, 'expect');
  const formats = normalizeFormats(ctx, childNode(node, 'formats'), (raw.formats ?? {}) as Record<string, Plain>);
  const expectations = normalizeExpectations(ctx, expectNode, (raw.expect ?? []) as Plain[], raw.ordered === true, (formats ?? []).map((f) => f.name), profile.registers);
  const faults = normalizeFaults(ctx, childNode(node, 'faults'), (raw.faults ?? []) as Plain[]);
  const exit = raw.exit === undefined ? undefined : normalizeExit(ctx, childNode(node, 'exit') ?? node, raw.exit, profile);
  if (!expectations || !formats) return undefined;
  const timing = normalizeTiming(ctx, childNode(node, 'timing'), (raw.timing ?? []) as Plain[], expectations, faults);
  if (!timing) return undefined;
  const crash = normalizeCrash(ctx, node, raw.crash);
  const outputLimits = normalizeOutputLimits(ctx, childNode(node, 'output-limit'), raw['output-limit']);
  if (!outputLimits) return undefined;
  const end = normalizeEnd(ctx, childNode(node, 'end'), (raw.end ?? []) as Plain[]);
  const screens = normalizeScreens(ctx, (raw.screens ?? {}) as Plain, expectations, end);
  if (!screens) return undefined;
  if (expectations.length === 0 && exit === undefined && crash.kind !== 'expected') {
    report(ctx, 'missing-key', node, '', 'the scenario checks nothing.', 'Add an expect: list, an exit:, or both.');
    return undefined;
  }
  if (!checkExitFits(ctx, childNode(node, 'exit'), exit, profile) || !checkChannelsFit(ctx, expectations, end, profile)) return undefined;
  if (!checkVcpus(ctx, expectNode, expectations, machine.cpus)) return undefined;
  const hasSymbols = typeof guestRaw.kernel === 'string' || typeof guestRaw.symbols === 'string';
  if (!hasSymbols && !checkSymbolsNamed(ctx, expectNode, childNode(node, 'faults'), expectations, faults)) return undefined;
  const snapshot = normalizeSnapshot(ctx, childNode(node, 'snapshot'), raw.snapshot, expectations, (raw.debugger as { stub?: string } | undefined)?.stub === 'guest');
  if (snapshot === null) return undefined;
  const guestStub = normalizeGuestStub(ctx, childNode(node, 'debugger'), raw.debugger, expectNode, expectations, childNode(node, 'faults'), faults, profile);
  if (guestStub === null) return undefined;
  const coverage = normalizeCoverage(ctx, childNode(node, 'coverage'), raw.coverage);
  const guestProfile = normalizeProfile(ctx, childNode(node, 'profile'), raw.profile, expectations, faults);
  if (guestProfile === null) return undefined;
  if ((coverage || guestProfile) && typeof raw.repeat === 'number' && raw.repeat > 1) {
    report(ctx, 'invalid-value', childNode(node, 'repeat') ?? node, 'repeat', `${coverage ? 'coverage' : 'profile'} counts one run, and repeat: boots the guest ${raw.repeat} times.`,
      'Remove repeat:, or measure in a scenario of its own.');
    return undefined;
  }
  if ((coverage || guestProfile) && guestStub) {
    const key = coverage ? 'coverage' : 'profile';
    report(ctx, 'invalid-value', childNode(node, key) ?? node, key, `${key} comes from QEMU's TCG plugin, which a run through the guest's own stub (debugger: { stub: guest }) does not load.`,
      `Measure ${key} in a scenario of its own, without debugger: { stub: guest }.`);
    return undefined;
  }
  if ((coverage || guestProfile) && !hasSymbols) {
    report(ctx, 'missing-key', childNode(node, coverage ? 'coverage' : 'profile') ?? node, 'guest.symbols',
      `${coverage ? 'coverage' : 'profile'} names the guest's functions, and this guest has no kernel ELF to read them from.`,
      'Add guest.symbols: the firmware\'s ELF with symbols, or its System.map.');
    return undefined;
  }
  const optionalPath = (value: unknown) => (typeof value === 'string' ? resolvePath(baseDir, value) : undefined);
  return {
    name: raw.name as string,
    location,
    guest: {
      kernel: optionalPath(guestRaw.kernel),
      firmware: normalizeFirmware(baseDir, guestRaw.firmware),
      initrd: optionalPath(guestRaw.initrd),
      cmdline: guestRaw.cmdline as string | undefined,
      symbols: optionalPath(guestRaw.symbols),
    },
    machine,
    timeout: (raw.timeout as number | undefined) ?? DEFAULT_TIMEOUT_S,
    exit,
    end,
    crash,
    formats,
    timing,
    baselineFile: `${file.replace(/\.ya?ml$/, '')}.baseline.json`,
    repeat: (raw.repeat as number | undefined) ?? 1,
    outputLimits,
    screens,
    expectations,
    faults,
    ...(snapshot ? { snapshot } : {}),
    ...(coverage ? { coverage } : {}),
    ...(guestProfile ? { profile: guestProfile } : {}),
    ...(guestStub ? { guestStub } : {}),
  };
}

function normalizeFirmware(baseDir: string, raw: unknown): Firmware | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw === 'string') return { kind: 'bios', path: resolvePath(baseDir, raw) };
  const { pflash, vars } = raw as { pflash: string; vars?: string };
  return { kind: 'pflash', code: resolvePath(baseDir, pflash), ...(vars === undefined ? {} : { vars: resolvePath(baseDir, vars) }) };
}

/** `64M` for every stream, or `{console: 1M, virtio: 16M}` for some (the others keep the default). */
function normalizeOutputLimits(ctx: ValidationContext, node: Node | undefined, raw: unknown): Record<Stream, number> | undefined {
  const named = typeof raw === 'object' && raw !== null ? (raw as Partial<Record<Stream, string>>) : {};
  if (typeof raw === 'object' && Object.keys(named).length === 0) {
    report(ctx, 'invalid-value', node, 'output-limit', 'the map names no channel.',
      `Name some, e.g. { console: 1M }, or give one size for every channel: output-limit: 1M. Channels: ${STREAMS.join(', ')}.`);
    return undefined;
  }
  const each = typeof raw === 'string' ? sizeInBytes(raw) : DEFAULT_OUTPUT_LIMIT;
  return Object.fromEntries(STREAMS.map((s) => [s, named[s] === undefined ? each : sizeInBytes(named[s])])) as Record<Stream, number>;
}

/** `512K`, `64M`, `1G` (validated by the schema) -> bytes. */
function sizeInBytes(text: string): number {
  const unit = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[text.at(-1) as 'K' | 'M' | 'G'];
  return Number(text.slice(0, -1)) * unit;
}

function normalizeEnd(ctx: ValidationContext, seqNode: Node | undefined, raws: Plain[]): EndCondition[] {
  const items = isSeq(seqNode) ? (seqNode.items as Node[]) : [];
  return raws.flatMap((raw, index): EndCondition[] => {
    const node = items[index];
    const location = { file: ctx.file, ...positionOf(ctx, node) };
    if (typeof raw.quiet === 'number') return [{ kind: 'quiet', seconds: raw.quiet, location }];
    if (typeof raw.qmp === 'string') return [{ kind: 'qmp', event: raw.qmp, location }];
    if (raw.code !== undefined) return [{ kind: 'code', code: raw.code as CodeMatch, location }];
    if (raw.screen !== undefined) {
      const pattern = toPattern(ctx, childNode(node, 'screen'), raw.screen, joinPath(joinPath('end', index), 'screen'));
      return pattern ? [{ kind: 'screen', channel: (raw.channel as Channel | undefined) ?? 'console', pattern, location }] : [];
    }
    const channel = TEXT_CHANNELS.find((c) => raw[c] !== undefined)!;
    const pattern = toPattern(ctx, childNode(node, channel), raw[channel], joinPath(joinPath('end', index), channel));
    return pattern ? [{ kind: 'line', channel, pattern, location }] : [];
  });
}

function normalizeExit(ctx: ValidationContext, node: Node, raw: unknown, profile: ArchProfile): ExitExpectation {
  const location = { file: ctx.file, ...positionOf(ctx, node) };
  if (raw === 'poweroff' || raw === 'reset' || raw === 'any') return { kind: raw, location };
  const map = raw as Plain;
  // The guest's own code, read the way its architecture's status exit reports it.
  if (typeof map.code === 'number') {
    return profile.statusExit.kind === 'isa-debug-exit' ? { kind: 'debug-exit', value: map.code, location } : { kind: 'status', status: map.code & 0xff, location };
  }
  if (typeof map['debug-exit'] === 'number') return { kind: 'debug-exit', value: map['debug-exit'], location };
  if (typeof map.semihosting === 'number') return { kind: 'semihosting', code: map.semihosting, location };
  return { kind: 'status', status: map.status as number, location };
}

function normalizeExpectations(ctx: ValidationContext, seqNode: Node | undefined, raws: Plain[], ordered: boolean, formats: readonly string[], registers: readonly string[]): Expectation[] | undefined {
  const items = isSeq(seqNode) ? (seqNode.items as Node[]) : [];
  const ids = new Map<string, number>();
  const out: Expectation[] = [];
  let failed = false;
  let previousPositive: number | undefined;
  let previousSend: number | undefined;
  raws.forEach((raw, index) => {
    const node = items[index]!;
    const path = joinPath('expect', index);
    const location = { file: ctx.file, ...positionOf(ctx, node) };
    let after: number | undefined;
    if (typeof raw.after === 'string') {
      after = ids.get(raw.after);
      if (after === undefined) {
        failed = true;
        report(ctx, 'unknown-id', childNode(node, 'after'), joinPath(path, 'after'), `no earlier expectation has id "${raw.after}".`,
          ids.size ? `Known ids: ${[...ids.keys()].join(', ')}.` : 'Give an earlier expectation `id: <name>`.');
      }
    } else if (raw.send !== undefined) {
      // A send is an interactive step: it waits for the expectation listed right before it.
      const previous = raws[index - 1];
      if (!previous || previous.never !== undefined) {
        failed = true;
        report(ctx, 'invalid-value', node, path, 'a send needs an expectation listed right before it to wait for.',
          'List what the guest prints when it is ready for the input first, e.g. - console: "/ #" then - send: "uname -r\\n".');
      }
      after = index - 1;
    } else if (previousSend === index - 1 && raw.never === undefined) {
      // What comes right after a send is the reply: only output that follows the input counts.
      after = previousSend;
    } else if (ordered && previousPositive !== undefined && raw.never === undefined) {
      after = previousPositive;
    }
    const base = { index, location, after, ...(typeof raw.id === 'string' ? { id: raw.id } : {}), ...(typeof raw.timeout === 'number' ? { timeout: raw.timeout } : {}) };
    if (typeof raw.id === 'string') {
      if (ids.has(raw.id)) {
        failed = true;
        report(ctx, 'invalid-value', childNode(node, 'id'), joinPath(path, 'id'), `id "${raw.id}" is used twice.`, 'Ids must be unique within a scenario.');
      }
      ids.set(raw.id, index);
    }
    const expectation = normalizeOne(ctx, node, raw, path, base, formats, registers);
    if (!expectation) { failed = true; return; }
    if (expectation.kind !== 'never') previousPositive = index;
    if (expectation.kind === 'send') previousSend = index;
    out.push(expectation);
  });
  return failed ? undefined : out;
}

type Base = Pick<Expectation, 'index' | 'location' | 'after' | 'id' | 'timeout'>;

function normalizeOne(ctx: ValidationContext, node: Node, raw: Plain, path: string, base: Base, formats: readonly string[], registers: readonly string[]): Expectation | undefined {
  for (const channel of TEXT_CHANNELS) {
    if (raw[channel] !== undefined) {
      const pattern = toPattern(ctx, childNode(node, channel), raw[channel], joinPath(path, channel));
      return pattern && { ...base, kind: 'text', channel, pattern };
    }
  }
  if (raw.send !== undefined) return { ...base, kind: 'send', channel: 'console', text: raw.send as string };
  if (raw.screen !== undefined) {
    const pattern = toPattern(ctx, childNode(node, 'screen'), raw.screen, joinPath(path, 'screen'));
    return pattern && { ...base, kind: 'screen', channel: (raw.channel as Channel | undefined) ?? 'console', pattern };
  }
  if (raw.breakpoint !== undefined) return normalizeBreakpoint(ctx, node, raw, path, base, registers);
  if (raw.watch !== undefined) return normalizeWatch(ctx, node, raw, path, base);
  if (raw.uktest !== undefined) return normalizeResults(ctx, node, raw, path, base, 'uktest', formats);
  if (raw.ktap !== undefined) return normalizeResults(ctx, node, raw, path, base, 'ktap', formats);
  if (raw.results !== undefined) return normalizeResults(ctx, node, raw, path, base, 'results', formats);
  if (raw.code !== undefined) {
    return typeof raw.code === 'number'
      ? { ...base, kind: 'code', code: raw.code }
      : { ...base, kind: 'stage', stage: raw.code as StageName };
  }
  const never = raw.never;
  const neverNode = childNode(node, 'never');
  if (typeof never === 'string') return { ...base, kind: 'never', channel: 'console', pattern: { kind: 'text', text: never } };
  const map = never as Plain;
  if (['text', 'regex', 'code', 'screen'].filter((key) => map[key] !== undefined).length !== 1) {
    report(ctx, 'invalid-value', neverNode, joinPath(path, 'never'), 'expected exactly one of "text", "regex", "code" or "screen".');
    return undefined;
  }
  if (map.screen !== undefined) {
    // A screen pattern carries its own flags: `screen: { regex, flags }`.
    if (map.flags !== undefined) {
      report(ctx, 'invalid-value', childNode(neverNode, 'flags'), joinPath(joinPath(path, 'never'), 'flags'), '"flags" beside "screen" has no pattern to apply to.',
        'Put them in the screen pattern: screen: { regex: ..., flags: i }.');
      return undefined;
    }
    const pattern = toPattern(ctx, childNode(neverNode, 'screen'), map.screen, joinPath(joinPath(path, 'never'), 'screen'));
    return pattern && { ...base, kind: 'never', channel: (map.channel as Channel | undefined) ?? 'console', pattern, screen: true };
  }
  if (map.code !== undefined) {
    // Stage codes are bytes, not lines: there is no text channel to choose and no regex to flag.
    const extra = ['channel', 'flags'].find((key) => map[key] !== undefined);
    if (extra) {
      report(ctx, 'invalid-value', childNode(neverNode, extra), joinPath(joinPath(path, 'never'), extra), `"${extra}" does not apply to a code: codes are read from the stage codes.`,
        'Remove it, or watch a text channel with text: or regex:.');
      return undefined;
    }
    return { ...base, kind: 'never', channel: 'codes', code: map.code as CodeMatch };
  }
  const pattern = toPattern(ctx, neverNode, map.text ?? { regex: map.regex, flags: map.flags }, joinPath(path, 'never'));
  return pattern && { ...base, kind: 'never', channel: (map.channel as Channel | undefined) ?? 'console', pattern };
}

function toPattern(ctx: ValidationContext, node: Node | undefined, raw: unknown, path: string): Pattern | undefined {
  if (typeof raw === 'string') return { kind: 'text', text: raw };
  const { regex, flags = '' } = raw as { regex: string; flags?: string };
  if (!checkRegex(ctx, childNode(node, 'regex') ?? node, joinPath(path, 'regex'), regex, flags)) return undefined;
  return { kind: 'regex', source: regex, flags };
}

