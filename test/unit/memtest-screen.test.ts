// scenarios/real/memtest86plus.yaml's own patterns on memtest86+'s recorded console, drawn check by
// check as the runner draws it: the same verdicts as on real QEMU, and the end at test #10.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { ScenarioMonitor } from '../../src/match/scenario-monitor.js';
import { TerminalScreen } from '../../src/screen/terminal-screen.js';

const file = new URL('../../scenarios/real/memtest86plus.yaml', import.meta.url);
const MEMTEST = new Uint8Array(readFileSync(new URL('../fixtures/screen/memtest86plus-to-bit-fade.raw', import.meta.url)));

test('the recorded run meets every expectation and ends where test #10 begins', async () => {
  const [doc] = loadScenarioFile({ displayPath: 'memtest86plus.yaml', absolutePath: file.pathname, text: readFileSync(file, 'utf8') });
  if (!doc?.ok) throw new Error(JSON.stringify(doc));
  const monitor = new ScenarioMonitor(doc.scenario);
  const screen = new TerminalScreen(doc.scenario.screens.console!);
  screen.onChange((rows, t) => monitor.screen('console', rows, t));
  // memtest's updates, one chunk each (each redraws row 8 first), checked one by one.
  const updates = [...MEMTEST.keys()].filter((i) => i > 0 && MEMTEST[i] === 0x1b && new TextDecoder().decode(MEMTEST.subarray(i, i + 6)) === '\u001b[8;1H');
  const cuts = [0, ...updates.slice(1), MEMTEST.length];
  for (let n = 0; n + 1 < cuts.length; n++) {
    screen.write(MEMTEST.subarray(cuts[n], cuts[n + 1]), n);
    await screen.drawn();
  }
  expect(cuts.length).toBeGreaterThan(30);
  screen.dispose();
  expect(doc.scenario.expectations.map((_, i) => monitor.verdictOf(i).status)).toEqual(['passed', 'passed', 'passed', 'passed']);
  expect(monitor.finished?.cause).toMatch(/^the guest ended first: console screen row 4: "L2 Cache: +512KB +\| Test #10 \[Bit fade test, 2 patterns\]"/);
});
