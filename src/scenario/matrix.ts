// `matrix: { arch: [...] }`: one scenario document, one run per architecture. Each run is the document with
// machine.arch set, named `NAME (arch)`, and `${arch}` in its guest paths and cmdline replaced by the arch.
import type { Node } from 'yaml';
import type { Arch } from '../arch/profiles.js';
import { DEFAULT_MACHINE } from './model.js';
import { childNode } from './yaml-nodes.js';
import { positionOf, report, type ValidationContext } from './validate.js';
import { closest } from './did-you-mean.js';
import type { ScenarioIssue } from './issues.js';

type Plain = Record<string, unknown>;

/** One scenario a document stands for: the document itself, or one architecture of its matrix. */
export interface ScenarioRun {
  /** Set for a run of a matrix. */
  arch?: Arch;
  /** The plain scenario with `name`, machine.arch and the guest's `${arch}` filled in for this run. */
  raw: Plain;
}

/** Where `${arch}` is replaced: guest keys as paths under guest:, with the pflash pair inside firmware. */
const ARCH_VARIABLE_KEYS = [['kernel'], ['initrd'], ['symbols'], ['cmdline'], ['firmware'], ['firmware', 'pflash'], ['firmware', 'vars']] as const;
const VARIABLE = /\$\{([^}]*)\}/g;

/**
 * A scenario's own architecture choice replaces the defaults' one, whichever form each takes: `machine.arch`
 * in the scenario leaves the defaults' matrix out, and a matrix in the scenario the defaults' machine.arch.
 */
export function withOwnArchChoice(defaults: Plain, scenario: Plain, merged: Plain): Plain {
  const ownArch = (scenario.machine as Plain | undefined)?.arch !== undefined;
  if (ownArch && scenario.matrix === undefined) {
    const { matrix: _fromDefaults, ...rest } = merged;
    return rest;
  }
  if (scenario.matrix !== undefined && !ownArch && (defaults.machine as Plain | undefined)?.arch !== undefined) {
    const { arch: _fromDefaults, ...machine } = merged.machine as Plain;
    return { ...merged, machine };
  }
  return merged;
}

/** A document (a scenario or a `defaults:` map) that names its architecture twice is refused at machine.arch. */
export function checkOneArchChoice(ctx: ValidationContext, node: Node | null | undefined, value: Plain): boolean {
  if (value.matrix === undefined || (value.machine as Plain | undefined)?.arch === undefined) return true;
  const { line } = positionOf(ctx, childNode(node, 'matrix'));
  report(ctx, 'invalid-value', childNode(childNode(node, 'machine'), 'arch'), 'machine.arch', `the matrix at line ${line} already sets machine.arch for each of its runs.`,
    'Remove machine.arch, or the matrix: a scenario runs on one architecture, or on each of a matrix.');
  return false;
}

/**
 * The runs of a validated, defaults-merged scenario: one per matrix architecture, else the scenario itself.
 * `${...}` naming anything but `arch` is refused at its key (in the scenario, else in the defaults document).
 */
export function scenarioRuns(ctx: ValidationContext, scenarioNode: Node, defaultsNode: Node | undefined, merged: Plain): ScenarioRun[] | undefined {
  if (!checkVariables(ctx, scenarioNode, defaultsNode, (merged.guest ?? {}) as Plain)) return undefined;
  const { matrix, ...scenario } = merged;
  const arches = (matrix as { arch: Arch[] } | undefined)?.arch;
  if (!arches) {
    const arch = ((scenario.machine as Plain | undefined)?.arch as Arch | undefined) ?? DEFAULT_MACHINE.arch;
    return [{ raw: { ...scenario, guest: withArch(scenario.guest as Plain | undefined, arch) } }];
  }
  return arches.map((arch) => ({
    arch,
    raw: {
      ...scenario,
      name: `${scenario.name as string} (${arch})`,
      machine: { ...(scenario.machine as Plain | undefined), arch },
      guest: withArch(scenario.guest as Plain | undefined, arch),
    },
  }));
}

/**
 * Issues of one run of a matrix that the other runs do not share say which architecture they came from; an
 * issue every run has is the document's, said once as it is.
 */
export function markRunIssues(runs: readonly { arch?: Arch; issues: ScenarioIssue[] }[]): void {
  const key = (issue: ScenarioIssue) => JSON.stringify([issue.line, issue.col, issue.path, issue.message, issue.hint]);
  const counts = new Map<string, number>();
  for (const run of runs) for (const k of new Set(run.issues.map(key))) counts.set(k, (counts.get(k) ?? 0) + 1);
  for (const run of runs) {
    if (run.arch === undefined) continue;
    for (const issue of run.issues) {
      if (counts.get(key(issue)) !== runs.length) issue.message = `on ${run.arch} (matrix): ${issue.message}`;
    }
  }
}

function withArch(guest: Plain | undefined, arch: Arch): Plain | undefined {
  if (!guest) return guest;
  const replace = (value: unknown): unknown => (typeof value === 'string' ? value.replace(VARIABLE, arch) : value);
  const out: Plain = Object.fromEntries(Object.entries(guest).map(([key, value]) => [key, replace(value)]));
  if (isPlain(guest.firmware)) out.firmware = Object.fromEntries(Object.entries(guest.firmware).map(([key, value]) => [key, replace(value)]));
  return out;
}

function checkVariables(ctx: ValidationContext, scenarioNode: Node, defaultsNode: Node | undefined, guest: Plain): boolean {
  let ok = true;
  for (const keys of ARCH_VARIABLE_KEYS) {
    const value = keys.reduce<unknown>((at, key) => (isPlain(at) ? at[key] : undefined), guest);
    if (typeof value !== 'string') continue;
    for (const [, name] of value.matchAll(VARIABLE)) {
      if (name === 'arch') continue;
      ok = false;
      const path = ['guest', ...keys].join('.');
      const suggestion = closest(name!, ['arch']);
      report(ctx, 'invalid-value', keyNode(scenarioNode, keys) ?? keyNode(defaultsNode, keys) ?? scenarioNode, path,
        `"\${${name}}" is not a variable: \${arch} is the only one, replaced by the architecture each run boots.`,
        suggestion ? `Did you mean "\${${suggestion}}"?` : 'Write the value out, or use ${arch}.');
    }
  }
  return ok;
}

function keyNode(documentNode: Node | undefined, keys: readonly string[]): Node | undefined {
  return keys.reduce<Node | undefined>((node, key) => childNode(node, key), childNode(documentNode, 'guest'));
}

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null;
}
