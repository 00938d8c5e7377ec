// A source map where each generated line points at one YAML line: enough for Vitest's locations and frames.

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function vlq(value: number): string {
  let v = value < 0 ? (-value << 1) | 1 : value << 1;
  let out = '';
  do {
    let digit = v & 31;
    v >>>= 5;
    if (v > 0) digit |= 32;
    out += BASE64[digit];
  } while (v > 0);
  return out;
}

export interface LineSourceMap {
  version: 3;
  sources: string[];
  sourcesContent: string[];
  names: string[];
  mappings: string;
}

/** `origins[i]` is the 1-based YAML line/col for generated line i, or undefined for none. */
export function lineSourceMap(source: string, content: string, origins: ({ line: number; col: number } | undefined)[]): LineSourceMap {
  let previousLine = 0;
  let previousCol = 0;
  const lines = origins.map((origin) => {
    if (!origin) return '';
    // Segment fields: generated column, source index delta, original line delta, original column delta.
    const segment = vlq(0) + vlq(0) + vlq(origin.line - 1 - previousLine) + vlq(origin.col - 1 - previousCol);
    previousLine = origin.line - 1;
    previousCol = origin.col - 1;
    return segment;
  });
  return { version: 3, sources: [source], sourcesContent: [content], names: [], mappings: lines.join(';') };
}
