// Every kind of expectation and the rule that decides it: a new kind is a file of its own and a line here.
import type { Expectation } from '../../scenario/model.js';
import type { ExpectationRule } from './rule.js';
import { TextLineRule } from './text-line.js';
import { StageCodeRule } from './stage-code.js';
import { NeverRule } from './never.js';
import { DebuggerHitRule } from './debugger-hits.js';
import { SendStepRule } from './send-step.js';
import { ScreenRowRule } from './screen-row.js';
import { GuestCasesRule } from './guest-cases.js';

type Kind = Expectation['kind'];

/** One entry per kind of the model: a kind without a rule does not compile. */
export const EXPECTATION_RULES: { readonly [K in Kind]: (expectation: Extract<Expectation, { kind: K }>) => ExpectationRule } = {
  text: (e) => new TextLineRule(e),
  code: (e) => new StageCodeRule(e),
  stage: (e) => new StageCodeRule(e),
  never: (e) => new NeverRule(e),
  breakpoint: (e) => new DebuggerHitRule(e),
  watch: (e) => new DebuggerHitRule(e),
  send: (e) => new SendStepRule(e),
  screen: (e) => new ScreenRowRule(e),
  results: (e) => new GuestCasesRule(e),
};

/** A fresh rule for one expectation of one run: rules keep the counts of their run. */
export function ruleFor(expectation: Expectation): ExpectationRule {
  const create = EXPECTATION_RULES[expectation.kind] as (e: Expectation) => ExpectationRule;
  return create(expectation);
}
