// The screens a scenario draws its channels on. @xterm/headless is loaded only when there is one: it
// takes a Vitest worker ~65 ms to load, which a worker whose scenarios only read lines need not pay.
import type { Channel, ScreenSize } from '../scenario/model.js';
import type { TerminalScreen } from './terminal-screen.js';

export async function openScreens(sizes: Partial<Record<Channel, ScreenSize>>): Promise<Partial<Record<Channel, TerminalScreen>>> {
  const wanted = Object.entries(sizes);
  if (wanted.length === 0) return {};
  const { TerminalScreen } = await import('./terminal-screen.js');
  return Object.fromEntries(wanted.map(([channel, size]) => [channel, new TerminalScreen(size)]));
}
