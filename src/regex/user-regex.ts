// Every regular expression a scenario holds is compiled here: console, never, end and send patterns, `formats:`
// lines, guest clocks, case selectors and symbol globs. None may stall a run. JavaScript's engine backtracks:
// `^(a+)+$` against 32 `a`s and a `!` takes minutes, in the worker's only thread, so no timer (the scenario's
// timeout included) could fire. V8 can fall back to a linear-time engine when a match backtracks too much
// (--enable-experimental-regexp-engine-on-excessive-backtracks); that engine runs only some patterns, so:
// - a pattern it cannot run (lookarounds, backreferences, the `u` flag, counted repetitions over 16) is refused
//   where the scenario writes it, saying why and what to write instead (userRegexProblem);
// - `i`, which it does not take either, is spelled out as sets of characters (ignore-case.ts);
// so every accepted pattern matches in bounded time. Measured on Node 20.20: ^(a+)+$ on that line, 4 ms.
// V8's flags are per process and hold for every thread: each process that compiles a user pattern sets them
// here, first (Vitest's workers, the CLI, the plugin's own process).
import v8 from 'node:v8';
import { spellOutIgnoreCase } from './ignore-case.js';

let linearFallback = false;

function enableLinearFallback(): void {
  if (linearFallback) return;
  v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
  // Lets the `l` flag ask whether the linear engine can run a pattern at all.
  v8.setFlagsFromString('--enable-experimental-regexp-engine');
  try {
    new RegExp('', 'l');
  } catch {
    // Else every pattern would be refused as one the linear engine cannot run, which would not be why.
    throw new Error(`V8 ${process.versions.v8} (Node ${process.versions.node}) has no linear-time regular expression engine to fall back to, and vitest-guest will not match scenario patterns without one: use Node 20.19 or later.`);
  }
  linearFallback = true;
}

export interface RegexProblem {
  message: string;
  hint: string;
}

const compiled = new Map<string, RegExp>();

/** What makes a pattern unfit (it does not compile, or could backtrack without bound), or undefined when it is fit. */
export function userRegexProblem(source: string, flags: string): RegexProblem | undefined {
  try {
    new RegExp(source, flags);
  } catch (error) {
    return { message: `the regular expression does not compile: ${(error as Error).message}.`, hint: 'Remember that YAML double quotes need \\\\ for one backslash; single quotes do not.' };
  }
  if (flags.includes('u')) {
    return {
      message: 'the u flag is not allowed: only patterns that V8\'s linear-time engine can run are, so that no pattern can stall the run by backtracking, and that engine does not take u.',
      hint: 'Remove u: without it a pattern matches UTF-16 units; write the characters themselves or their \\uXXXX ranges instead of \\u{...} and \\p{...}.',
    };
  }
  enableLinearFallback();
  try {
    new RegExp(linearSource(source, flags), `${linearFlags(flags)}l`);
    return undefined;
  } catch {
    return nonLinear(source);
  }
}

/** The RegExp for a pattern that userRegexProblem accepts; throws for any other (patterns are checked where they are read). */
export function userRegex(source: string, flags: string): RegExp {
  const key = `${flags}/${source}`;
  let regex = compiled.get(key);
  if (!regex) {
    const problem = userRegexProblem(source, flags);
    if (problem) throw new Error(`/${source}/${flags}: ${problem.message}`);
    // Not compiled with `l`: the usual engine is faster while it does not backtrack much, and hands over when it does.
    regex = new RegExp(linearSource(source, flags), linearFlags(flags));
    compiled.set(key, regex);
  }
  return regex;
}

function linearSource(source: string, flags: string): string {
  return flags.includes('i') ? spellOutIgnoreCase(source) : source;
}

function linearFlags(flags: string): string {
  return flags.replace('i', '');
}

const WHY = 'Only patterns V8\'s linear-time engine can run are allowed, so that no pattern can stall the run by backtracking (^(a+)+$ against 32 a\'s and a ! would take minutes).';

/** Why the linear engine refuses a pattern that compiles: the construct it cannot run, and what to write instead. */
function nonLinear(source: string): RegexProblem {
  const plain = source.replace(/\\./g, '__');
  if (/\(\?<?[=!]/.test(plain)) {
    return { message: `the regular expression uses a lookahead or lookbehind ((?=, (?!, (?<=, (?<!). ${WHY}`, hint: 'Match the line without it, and check what must not be there with a never: expectation or a second pattern.' };
  }
  if (/\\[1-9]|\\k</.test(source.replace(/\\\\/g, '__'))) {
    return { message: `the regular expression uses a backreference (\\1, \\k<name>). ${WHY}`, hint: 'Write the repeated text out, or match it with a set such as \\w+.' };
  }
  if (/\{\d+(,\d*)?\}/.test(plain)) {
    return {
      message: `the regular expression repeats a part more than 16 times by count ({17}, {0,80}, {16,}, or counts that multiply when nested). ${WHY} That engine spells counted repetitions out, up to 16 copies in all.`,
      hint: 'Use + or * where the exact count does not matter (.* for .{0,80}), or split the count: [0-9a-f]{16}[0-9a-f]{16} for [0-9a-f]{32}.',
    };
  }
  return { message: `the regular expression cannot be run by V8's linear-time engine. ${WHY}`, hint: 'Simplify it: sets, alternatives, *, + and ? are all fine.' };
}
