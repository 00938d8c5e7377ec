// Scenario file text -> one result per YAML document. A broken document fails only itself.
import { LineCounter, parseAllDocuments, isAlias, isMap, isScalar, type Document, type Node } from 'yaml';
import { defaultsSchema, scenarioSchema } from './schema.js';
import { validate, positionOf, report, type ValidationContext } from './validate.js';
import { normalizeScenario } from './normalize.js';
import { childNode } from './yaml-nodes.js';
import { readAliases } from './yaml-aliases.js';
import { checkOneArchChoice, markRunIssues, scenarioRuns, withOwnArchChoice } from './matrix.js';
import type { ScenarioIssue } from './issues.js';
import type { Scenario, SourceLocation } from './model.js';

export const MAX_SCENARIO_FILE_BYTES = 1024 * 1024;

export type LoadedDocument =
  | { ok: true; scenario: Scenario }
  | { ok: false; name: string; location: SourceLocation; issues: ScenarioIssue[] };

export interface ScenarioFile {
  /** Path shown in messages, e.g. `scenarios/hello.yaml`. */
  displayPath: string;
  /** Absolute path; guest paths are resolved against its folder. */
  absolutePath: string;
  text: string;
}

type Plain = Record<string, unknown>;

/** Parses and validates every scenario document of a file. */
export function loadScenarioFile(file: ScenarioFile): LoadedDocument[] {
  const fileProblem = checkWholeFile(file);
  if (fileProblem) return [fileProblem];
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(file.text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [];
  const results: LoadedDocument[] = [];
  const names = new Map<string, SourceLocation>();
  let defaults: Plain = {};
  let defaultsNode: Node | undefined;
  for (const [i, doc] of list.entries()) {
    const fallbackName = `document ${i + 1}`;
    const aliases = readAliases(doc);
    const ctx: ValidationContext = { file: file.displayPath, lineCounter, issues: [], aliases: aliases.targets };
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        // linePos is only filled with prettyErrors; pos (offsets) always is.
        const { line, col } = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
        ctx.issues.push({ code: 'yaml-syntax', file: file.displayPath, line, col, path: '', message: `YAML syntax error: ${firstLine(error.message)}`, hint: 'Fix the YAML syntax; indentation is significant.' });
      }
      results.push(failed(ctx, fallbackName, doc));
      continue;
    }
    const contents = doc.contents as Node | null;
    const nameOrAlias = childNode(contents, 'name');
    const nameNode = isAlias(nameOrAlias) ? aliases.targets.get(nameOrAlias) : nameOrAlias;
    const given = isScalar(nameNode) ? nameNode.value : undefined;
    const name = typeof given === 'string' ? given : fallbackName;
    const aliasProblem = aliases.problem;
    if (aliasProblem) {
      report(ctx, 'yaml-syntax', aliasProblem.alias, '', aliasProblem.message, aliasProblem.hint);
      results.push(failed(ctx, name, doc));
      continue;
    }
    // A trailing `---` or a comment-only document: yaml gives an empty null scalar, not null.
    if (contents === null || (isScalar(contents) && contents.value === null && !contents.source)) continue;
    if (isMap(contents) && childNode(contents, 'defaults') !== undefined && childNode(contents, 'name') === undefined) {
      const value = validate(ctx, contents, defaultsSchema, '') as Plain | undefined;
      if (value && checkOneArchChoice(ctx, childNode(contents, 'defaults'), value.defaults as Plain)) {
        defaults = value.defaults as Plain;
        defaultsNode = childNode(contents, 'defaults');
      } else {
        results.push(failed(ctx, 'defaults', doc));
      }
      continue;
    }
    const raw = validate(ctx, contents, scenarioSchema, '') as Plain | undefined;
    const runs = raw && checkOneArchChoice(ctx, contents, raw) ? scenarioRuns(ctx, contents, defaultsNode, mergeDefaults(defaults, raw)) : undefined;
    // A matrix's runs are checked apart: each passes or fails as a scenario of its own.
    const normalized = (runs ?? []).map((run) => {
      const runCtx = run.arch === undefined ? ctx : { ...ctx, issues: [] };
      return { ...run, ctx: runCtx, issues: runCtx.issues, scenario: normalizeScenario(runCtx, contents, run.raw, file.absolutePath) };
    });
    // An invalid document's name counts too: it is a (failing) test of that name all the same.
    const previous = typeof given === 'string' ? names.get(name) : undefined;
    if (previous) {
      report(ctx, 'duplicate-name', childNode(contents, 'name'), 'name', `scenario name "${name}" is already used at line ${previous.line}.`, 'Give each scenario of a file its own name.');
    } else if (typeof given === 'string') {
      names.set(name, { file: file.displayPath, ...positionOf(ctx, contents) });
    }
    if (!runs || ctx.issues.length > 0) {
      results.push(failed(ctx, name, doc));
      continue;
    }
    markRunIssues(normalized);
    for (const run of normalized) {
      results.push(run.scenario && run.issues.length === 0 ? { ok: true, scenario: run.scenario } : failed(run.ctx, run.raw.name as string, doc));
    }
  }
  if (results.length === 0) return [emptyFile(file)];
  return results;
}

function failed(ctx: ValidationContext, name: string, doc: Document): LoadedDocument {
  return { ok: false, name, location: { file: ctx.file, ...positionOf(ctx, doc.contents) }, issues: ctx.issues };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** Defaults fill what a scenario leaves out; guest and machine merge key by key. */
function mergeDefaults(defaults: Plain, scenario: Plain): Plain {
  const merged: Plain = { ...defaults, ...scenario };
  for (const key of ['guest', 'machine']) {
    if (defaults[key] || scenario[key]) merged[key] = { ...(defaults[key] as Plain | undefined), ...(scenario[key] as Plain | undefined) };
  }
  return withOwnArchChoice(defaults, scenario, merged);
}

function checkWholeFile(file: ScenarioFile): LoadedDocument | undefined {
  const issue = (code: ScenarioIssue['code'], message: string, hint: string): LoadedDocument => ({
    ok: false, name: 'file', location: { file: file.displayPath, line: 1, col: 1 },
    issues: [{ code, file: file.displayPath, line: 1, col: 1, path: '', message, hint }],
  });
  // The limit is on bytes, as the file holds them: a char of UTF-8 text takes one to four. Under a third
  // of the limit in chars no file can reach it, and most are far under.
  const bytes = file.text.length * 3 <= MAX_SCENARIO_FILE_BYTES ? 0 : Buffer.byteLength(file.text, 'utf8');
  if (bytes > MAX_SCENARIO_FILE_BYTES) {
    return issue('not-text', `the file is ${bytes} bytes; scenario files are limited to ${MAX_SCENARIO_FILE_BYTES}.`, 'Split it into several files.');
  }
  if (file.text.includes('\u0000')) {
    return issue('not-text', 'the file holds NUL bytes: it is binary, not YAML.', 'Check that the glob only picks scenario files.');
  }
  return undefined;
}

function emptyFile(file: ScenarioFile): LoadedDocument {
  return {
    ok: false, name: 'file', location: { file: file.displayPath, line: 1, col: 1 },
    issues: [{ code: 'empty-file', file: file.displayPath, line: 1, col: 1, path: '', message: 'the file holds no scenario.', hint: 'Add a document with name:, guest: and expect:.' }],
  };
}
