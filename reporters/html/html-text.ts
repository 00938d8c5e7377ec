// Text into HTML and SVG markup: guest output is arbitrary, so every string goes through here.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes markup characters, and replaces control characters (other than tab and newline), which HTML does not allow. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!).replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '\ufffd');
}

/**
 * Text on one line of at most `maxChars` characters: every run of white space (newlines too) becomes one
 * space, and what does not fit is cut, with an ellipsis.
 */
export function oneLine(text: string, maxChars: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= maxChars ? flat : `${flat.slice(0, maxChars - 1).trimEnd()}…`;
}

/** A figure in ms as the pages show it: one decimal. */
export function msText(ms: number): string {
  return `${ms.toFixed(1)} ms`;
}
