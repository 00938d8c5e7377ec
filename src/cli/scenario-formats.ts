// `parse --formats FILE --format NAME`: a result-line format declared under a scenario file's `formats:`.
import type { LoadedDocument } from '../scenario/load.js';
import { formatIssue } from '../scenario/issues.js';
import type { LineFormat } from '../results/line-format.js';
import { readScenarioFile } from './scenario-file.js';

/** The format named `name` in the file's documents, or the reason there is none (every name the file has). */
export function findLineFormat(documents: readonly LoadedDocument[], name: string, file: string): { format: LineFormat } | { error: string } {
  const broken = documents.filter((doc) => !doc.ok);
  if (broken.length > 0) return { error: broken.flatMap((doc) => doc.issues.map(formatIssue)).join('\n') };
  const formats = documents.flatMap((doc) => (doc.ok ? doc.scenario.formats : []));
  const format = formats.find((f) => f.name === name);
  if (format) return { format };
  const names = [...new Set(formats.map((f) => f.name))];
  return {
    error: names.length > 0
      ? `vitest-guest: ${file} has no format named "${name}" under formats:; it has ${names.map((n) => `"${n}"`).join(', ')}.`
      : `vitest-guest: ${file} declares no formats: (a scenario key: formats: { <name>: { line: <regex with (?<case>...) and (?<result>...)> } }).`,
  };
}

/** Reads the scenario file; says why on stderr and returns undefined when the format cannot be had. */
export async function readLineFormat(file: string, name: string, err: (line: string) => void): Promise<LineFormat | undefined> {
  const documents = await readScenarioFile(file, err);
  if (!documents) return undefined;
  const found = findLineFormat(documents, name, file);
  if ('error' in found) {
    err(found.error);
    return undefined;
  }
  return found.format;
}
