// Relative links and images of a Markdown file, as GitHub and npm's registry page resolve them.
import { posix } from 'node:path';

export interface MarkdownLink {
  /** As written, e.g. `../schema/scenario.schema.json#L3`. */
  target: string;
  /** The file it names, relative to the package root, e.g. `schema/scenario.schema.json`. */
  file: string;
  line: number;
}

const INLINE = /!?\[(?:[^[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const REFERENCE = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/;

/** Links outside fenced code blocks and code spans; URLs with a scheme and in-page anchors are left out. */
export function relativeLinks(markdownPath: string, text: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  let fenced = false;
  text.split('\n').forEach((raw, i) => {
    if (/^\s*(```|~~~)/.test(raw)) fenced = !fenced;
    if (fenced) return;
    const line = raw.replace(/`[^`]*`/g, '');
    const targets = [...line.matchAll(INLINE)].map((m) => m[1]!);
    const reference = REFERENCE.exec(line);
    if (reference) targets.push(reference[1]!);
    for (const target of targets) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
      const path = decodeURIComponent(target.replace(/[#?].*$/, ''));
      links.push({ target, file: posix.normalize(posix.join(posix.dirname(markdownPath), path)), line: i + 1 });
    }
  });
  return links;
}
