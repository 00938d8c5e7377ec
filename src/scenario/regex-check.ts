// A scenario's regular expressions must compile and match in bounded time; the error says where and why.
import { userRegexProblem } from '../regex/user-regex.js';
import { report, type ValidationContext } from './validate.js';

/** True when `source` with `flags` is fit to match (user-regex.ts); otherwise reports at `node` (key `path`) and returns false. */
export function checkRegex(ctx: ValidationContext, node: unknown, path: string, source: string, flags: string): boolean {
  const problem = userRegexProblem(source, flags);
  if (problem) report(ctx, 'invalid-value', node, path, problem.message, problem.hint);
  return problem === undefined;
}
