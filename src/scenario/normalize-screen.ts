// Channels drawn as a terminal screen: their sizes, and the refusal of line matching on them.
import { DEFAULT_SCREEN_SIZE, TEXT_CHANNELS, type Channel, type EndCondition, type Expectation, type ScreenSize, type SourceLocation } from './model.js';
import type { ValidationContext } from './validate.js';

type Plain = Record<string, unknown>;

/**
 * A channel is a screen when `screens:` names it or a `screen` item (expectation, never, end) reads it.
 * Its bytes then draw rows in place: the text between two newlines pieces together parts of different
 * rows, so anything that would match it as lines is refused at its YAML line.
 */
export function normalizeScreens(ctx: ValidationContext, raw: Plain, expectations: readonly Expectation[], end: readonly EndCondition[]): Partial<Record<Channel, ScreenSize>> | undefined {
  const why = new Map<Channel, string>();
  for (const channel of TEXT_CHANNELS) if (raw[channel] !== undefined) why.set(channel, 'it is under screens:');
  for (const e of expectations) {
    if ((e.kind === 'screen' || (e.kind === 'never' && e.channel !== 'codes' && e.screen)) && !why.has(e.channel)) why.set(e.channel, `expect[${e.index}] (line ${e.location.line}) reads its screen`);
  }
  end.forEach((e, i) => { if (e.kind === 'screen' && !why.has(e.channel)) why.set(e.channel, `end[${i}] (line ${e.location.line}) reads its screen`); });

  const before = ctx.issues.length;
  const refuse = (channel: Channel, path: string, location: SourceLocation, what: string, instead: string): void => {
    ctx.issues.push({
      code: 'invalid-value', file: ctx.file, line: location.line, col: location.col, path,
      message: `${what} on ${channel}, which this scenario reads as a screen (${why.get(channel)}): its bytes draw rows in place, so the text between newlines pieces together different rows.`,
      hint: `Match one row of the screen with ${instead}.`,
    });
  };
  for (const e of expectations) {
    const path = `expect[${e.index}]`;
    if (e.kind === 'text' && why.has(e.channel)) refuse(e.channel, path, e.location, 'a line expectation', `screen: ... (channel: ${e.channel})`);
    else if (e.kind === 'never' && e.channel !== 'codes' && !e.screen && why.has(e.channel)) refuse(e.channel, path, e.location, 'a never on lines', `never: { screen: ..., channel: ${e.channel} }`);
    else if (e.kind === 'results' && why.has(e.channel)) refuse(e.channel, path, e.location, `${e.format} results read from lines`, 'screen: ...; a guest that reports results by lines needs a channel that is not a screen');
  }
  end.forEach((e, i) => {
    if (e.kind === 'line' && why.has(e.channel)) refuse(e.channel, `end[${i}]`, e.location, 'an end on a line', `end: [ { screen: ..., channel: ${e.channel} } ]`);
  });
  if (ctx.issues.length > before) return undefined;

  return Object.fromEntries([...why.keys()].map((channel) => {
    const size = (raw[channel] ?? {}) as Partial<ScreenSize>;
    return [channel, { rows: size.rows ?? DEFAULT_SCREEN_SIZE.rows, cols: size.cols ?? DEFAULT_SCREEN_SIZE.cols }];
  }));
}
