// A console read as a screen, on the reference guest writing cursor-addressed text (raw=HEX): rows are
// matched as drawn, overwritten text is gone, and text the byte stream runs together from two rows
// matches nothing, on the screen or as lines.
import { describe, expect, test } from 'vitest';
import { runScenario } from '../../src/runner/run-scenario.js';
import { failureMessage } from '../../src/vitest/failure-message.js';
import { isolateRuns } from './support/isolated-runs.js';
import { scenarioFrom } from './support/scenario.js';

isolateRuns('screen');

const hex = (text: string): string => Buffer.from(text, 'latin1').toString('hex');
// Clear the screen; "Errors: 7" at row 5, column 10; "Test #10" under it; then the 7 overwritten with 0.
const DRAWING = hex('\u001b[2J\u001b[5;10HErrors: 7\u001b[6;10HTest #10\u001b[5;18H0\u001b[25;1H');

describe('a console read as a screen', () => {
  test('rows as drawn: the overwritten count reads 0, and a pattern spanning two rows matches none', async () => {
    const result = await runScenario(scenarioFrom(`
name: screen-rows
guest: { kernel: reference, cmdline: 'raw=${DRAWING} exit=0' }
timeout: 10
exit: { debug-exit: 0 }
expect:
  - screen: { regex: '^ {9}Errors: 0$' }
  - screen: 'Test #10'
  - never: { screen: { regex: 'Errors: \\d.*Test' } }
`));
    expect([...result.verdicts.map((v) => v.status), result.exitVerdict.status]).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(result.verdicts[0]).toMatchObject({ detail: expect.stringMatching(/^console screen row 5: " {9}Errors: 0" at \+/) });
    expect(result.screens.console!.rows.slice(3, 7)).toEqual(['', '         Errors: 0', '         Test #10', '']);
  });

  test('the same bytes read as lines: a move to another row ends the line, so no line pieces two rows together', async () => {
    const result = await runScenario(scenarioFrom(`
name: lines
guest: { kernel: reference, cmdline: 'raw=${DRAWING} print=after exit=0' }
timeout: 10
exit: { debug-exit: 0 }
expect:
  - console: 'Test #10'
  - console: 'Errors: 7'
  - never: { regex: 'Errors: \\d.*Test' }
`));
    expect([...result.verdicts.map((v) => v.status), result.exitVerdict.status]).toEqual(['passed', 'passed', 'passed', 'passed']);
    // Lines keep what was drawn over later from another row: "Errors: 7" is a line, though the screen reads "Errors: 0".
    expect(result.recentLines.console).toContain('Errors: 7');
    expect(result.recentLines.console).not.toContain('Errors: 0');
  });

  test('an end on the screen ends the run; what is not on it fails, showing the screen as drawn', async () => {
    const result = await runScenario(scenarioFrom(`
name: screen-end
guest: { kernel: reference, cmdline: 'raw=${DRAWING}${hex('\u001b[8;10Hdone')} hang' }
timeout: 10
end: [ { screen: 'done' } ]
expect:
  - screen: 'Errors: 7Test #10'
`));
    expect(result.finish.reason).toBe('guest-end');
    expect(result.finish.t).toBeLessThan(5000);
    const verdict = result.verdicts[0]!;
    // What the byte stream ran together from two rows is on no row.
    expect(verdict).toMatchObject({ status: 'failed', reason: 'not seen: the guest ended first: console screen row 8: "         done" (end: screen "done")' });
    const message = failureMessage(verdict.status === 'failed' ? verdict.reason : '', { file: 'inline.yaml', line: 7, col: 5 }, result);
    expect(message).toContain([
      'The console screen (80 x 25) when the run ended:',
      `     +${'-'.repeat(80)}+`,
      `   1 |${' '.repeat(80)}|`,
    ].join('\n'));
    expect(message).toContain(`   5 |${'         Errors: 0'.padEnd(80)}|\n   6 |${'         Test #10'.padEnd(80)}|\n   7 |${' '.repeat(80)}|\n   8 |${'         done'.padEnd(80)}|`);
    // The console's lines are pieces of rows: they are not shown beside the screen.
    expect(message).not.toContain('Last console lines');
  });

  test('a screen a send waits on: the input goes out once the prompt is drawn, the reply is a row after it', async () => {
    const result = await runScenario(scenarioFrom(`
name: screen-send
guest: { kernel: reference, cmdline: 'raw=${hex('\u001b[2J\u001b[3;1H')} echo' }
timeout: 10
expect:
  - screen: { regex: '^echo>$' }
  - send: "hello\\n"
  - screen: 'echo: hello'
`));
    expect(result.verdicts.map((v) => v.status)).toEqual(['passed', 'passed', 'passed']);
    // No echo of the input: the reply follows the prompt on its row.
    expect(result.screens.console!.rows[2]).toBe('echo> echo: hello');
  });
});
