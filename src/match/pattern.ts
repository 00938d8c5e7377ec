// Pattern -> line predicate, and how a pattern is named in test titles.
import type { Pattern } from '../scenario/model.js';
import { userRegex } from '../regex/user-regex.js';

export type LinePredicate = (line: string) => boolean;

export function compilePattern(pattern: Pattern): LinePredicate {
  if (pattern.kind === 'text') return (line) => line.includes(pattern.text);
  // No g/y flags are allowed by the schema, so test() keeps no state between lines.
  const regex = userRegex(pattern.source, pattern.flags);
  return (line) => regex.test(line);
}

export function describePattern(pattern: Pattern): string {
  return pattern.kind === 'text' ? JSON.stringify(pattern.text) : `/${pattern.source}/${pattern.flags}`;
}
