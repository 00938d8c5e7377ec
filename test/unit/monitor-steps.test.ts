// Interactive steps in the monitor: sends fire when what they wait for is met, replies count only
// after them, prompts match before their line ends, and step timeouts fail a conversation early.
import { describe, expect, test } from 'vitest';
import type { Verdict } from '../../src/match/verdict.js';
import { monitorFor } from './support/monitor.js';
import { oneScenario } from './support/one-scenario.js';

const reason = (verdict: Verdict): string => (verdict.status === 'failed' ? verdict.reason : `(${verdict.status})`);

function conversation(...extra: string[]) {
  const m = monitorFor('expect:', "  - console: '/ # '", '  - send: "uname -r\\n"', "  - console: { regex: '^\\d+\\.\\d+' }", ...extra);
  const sent: string[] = [];
  m.onSend((channel, text) => sent.push(`${channel} ${JSON.stringify(text)}`));
  return { m, sent };
}

describe('send steps', () => {
  test('a send goes out when the prompt is met, and the reply must follow it', () => {
    const { m, sent } = conversation();
    m.line('console', '6.1.0 printed too early', 1);
    expect(sent).toEqual([]);
    m.partialLine('console', '/ # ', 2);
    expect(sent).toEqual(['console "uname -r\\n"']);
    expect(m.verdictOf(1)).toEqual({ status: 'passed', t: 2, detail: 'sent at +2.0 ms' });
    expect(m.verdictOf(2).status).toBe('pending');
    m.line('console', '/ # uname -r', 3);
    m.line('console', '6.1.0-28-amd64', 4);
    expect(m.verdictOf(2).status).toBe('passed');
    expect(m.finished?.reason).toBe('verdict-known');
    // Matching lines are on the timeline whether or not they counted: the early one, the prompt twice, the reply.
    expect(m.timeline.events.map((e) => e.kind)).toEqual(['line', 'line', 'send', 'line', 'line']);
  });

  test('only prompts look at unfinished lines; other expectations wait for the whole line', () => {
    const m = monitorFor('expect:', "  - console: { regex: '^ready$' }", "  - console: '/ # '", '  - send: "x"');
    m.partialLine('console', 'ready', 1);
    expect(m.verdictOf(0).status).toBe('pending');
    expect(m.promptChannels).toEqual(new Set(['console']));
    m.line('console', 'ready now', 2);
    expect(m.verdictOf(0).status).toBe('pending');
  });

  test('sends in a row go out together; a failed wait leaves the send unsent', () => {
    const m = monitorFor('expect:', '  - console: login', '  - send: "root\\n"', '  - send: "id\\n"', '  - console: uid=0');
    const sent: string[] = [];
    m.onSend((_, text) => sent.push(text));
    m.line('console', 'login:', 1);
    expect(sent).toEqual(['root\n', 'id\n']);

    const never = monitorFor('expect:', '  - console: login', '  - send: "root\\n"');
    never.timeout(10_000);
    expect(reason(never.verdictOf(1))).toBe('not checked: expect[0] (which must come first) was not met');
  });

  test('a step timeout counts from when its predecessor was met, fails the step and what waits on it', () => {
    const { m } = conversation('    timeout: 1', '  - send: "exit\\n"');
    m.partialLine('console', '/ # ', 100);
    m.tick(1000);
    expect(m.verdictOf(2).status).toBe('pending');
    m.tick(1101);
    expect(reason(m.verdictOf(2))).toBe('not seen within 1 s of expect[1] being met at +100.0 ms');
    expect(reason(m.verdictOf(3))).toBe('not checked: expect[2] (which must come first) was not met');
    expect(m.finished?.reason).toBe('verdict-known');
  });

  test('a timeout without a predecessor counts from the start', () => {
    const m = monitorFor('exit: any', 'expect:', '  - console: booted', '    timeout: 0.5');
    m.tick(499);
    expect(m.verdictOf(0).status).toBe('pending');
    m.tick(501);
    expect(reason(m.verdictOf(0))).toBe('not seen within 0.5 s of the start');
  });
});

describe('send in the scenario', () => {
  const { ok, issue } = oneScenario('s.yaml', ['name: s', 'guest: { kernel: k.elf }', 'exit: any']);

  test('a send waits for the item before it; the item after it waits for the send', () => {
    const [, send, reply, other] = ok('expect:', '  - console: "$ "', '  - send: "ls\\n"', '  - console: bin', '  - console: unrelated').expectations;
    expect(send).toMatchObject({ kind: 'send', channel: 'console', text: 'ls\n', after: 0 });
    expect(reply).toMatchObject({ after: 1 });
    expect(other!.after).toBeUndefined();
  });

  test('a send first in the list, or after a never, has nothing to wait for', () => {
    expect(issue('expect:', '  - send: "ls\\n"')).toMatchObject({ path: 'expect[0]', line: 5, col: 5, message: 'a send needs an expectation listed right before it to wait for.' });
    expect(issue('expect:', '  - never: panic', '  - send: "ls\\n"')).toMatchObject({ path: 'expect[1]', line: 6 });
    expect(issue('expect:', '  - console: x', '  - send: ""')).toMatchObject({ path: 'expect[1].send' });
    expect(issue('expect:', '  - console: x', '    timeout: 0')).toMatchObject({ path: 'expect[0].timeout' });
  });
});
