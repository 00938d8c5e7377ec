// Console lines read as a terminal shows them, on the reference guest writing the bytes firmware
// writes (raw=HEX): U-Boot's autoboot count backed up over with backspaces, OVMF's countdown redrawn
// in place by cursor moves, a progress line returned over with CR. (The real ones: scenarios/real/.)
import { describe, expect, test } from 'vitest';
import { runScenario } from '../../src/runner/run-scenario.js';
import { isolateRuns } from './support/isolated-runs.js';
import { scenarioFrom } from './support/scenario.js';

isolateRuns('console-drawing');

const hex = (text: string): string => Buffer.from(text, 'latin1').toString('hex');
const UBOOT = hex('Hit any key to stop autoboot:  2 \b\b\b 1 \b\b\b 0 \r\n');
const OVMF = hex('\u001b[05;01HPress \u001b[1m\u001b[37mESC\u001b[0m in 5 seconds\u001b[05;01HPress \u001b[1m\u001b[37mESC\u001b[0m in 4 seconds\r\n');
const PROGRESS = hex('progress 10%\rprogress 100%\r\n');

describe('console lines drawn over', () => {
  test('each line reads as drawn last, never as every redraw run together', async () => {
    const result = await runScenario(scenarioFrom(`
name: drawn-over
guest: { kernel: reference, cmdline: 'raw=${UBOOT} raw=${OVMF} raw=${PROGRESS} print=after exit=0' }
timeout: 10
exit: { debug-exit: 0 }
expect:
  - console: { regex: '^Hit any key to stop autoboot:  0 $' }
  - console: { regex: '^Press ESC in 4 seconds$' }
  - console: { regex: '^progress 100%$' }
  - never: { regex: '2 +1|5 seconds|10%' }
`));
    expect([...result.verdicts, result.exitVerdict].map((v) => v.status)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed']);
    expect(result.recentLines.console).toEqual(['Hit any key to stop autoboot:  0 ', 'Press ESC in 4 seconds', 'progress 100%', 'after']);
  });
});
