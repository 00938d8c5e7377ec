// Problems found in a scenario file, as values that carry their position and a way out.

export type ScenarioIssueCode =
  | 'yaml-syntax'
  | 'empty-file'
  | 'not-text'
  | 'unknown-key'
  | 'missing-key'
  | 'wrong-type'
  | 'invalid-value'
  | 'duplicate-name'
  | 'unknown-id';

export interface ScenarioIssue {
  code: ScenarioIssueCode;
  file: string;
  /** 1-based line and column of the offending key or value. */
  line: number;
  col: number;
  /** Config path like `expect[3].console`; empty for the document itself. */
  path: string;
  message: string;
  /** What to do about it. */
  hint?: string;
}

/** `file:line:col: path: message (hint)` — the form compilers use, so editors can jump to it. */
export function formatIssue(issue: ScenarioIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.col}`;
  const path = issue.path ? `${issue.path}: ` : '';
  const hint = issue.hint ? ` ${issue.hint}` : '';
  return `${where}: ${path}${issue.message}${hint}`;
}

export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base ? `${base}.${key}` : key;
}
