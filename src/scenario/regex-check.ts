// A scenario's regular expressions must compile; the error says where and why, with YAML's quoting trap.
import { report, type ValidationContext } from './validate.js';

/** True when `source` compiles with `flags`; otherwise reports at `node` (key `path`) and returns false. */
export function checkRegex(ctx: ValidationContext, node: unknown, path: string, source: string, flags: string): boolean {
  try {
    new RegExp(source, flags);
    return true;
  } catch (error) {
    report(ctx, 'invalid-value', node, path, `the regular expression does not compile: ${(error as Error).message}.`,
      'Remember that YAML double quotes need \\\\ for one backslash; single quotes do not.');
    return false;
  }
}
