// A resumed run's monitor: the prefix met by the saving run, its events first and marked, the send after
// the point fired at once, later expectations judged on the resumed clock; a point that is a prompt.
import { describe, expect, test } from 'vitest';
import { monitorFor } from './support/monitor.js';
import type { TimelineEvent } from '../../src/timeline/timeline.js';
import { formatEvent } from '../../src/timeline/timeline.js';

const SUITE = ['snapshot: { at: shell }', 'expect:', '  - code: kernel', '  - id: shell', "    console: '/ # '", '  - send: "uname -r\\n"', "  - console: { regex: '^6\\.' }", '  - never: panic'];
const savedEvents: TimelineEvent[] = [
  { kind: 'code', t: 12, code: 0x40, stage: 'kernel' },
  { kind: 'line', t: 3130, channel: 'console', text: '/ # ', matched: [1] },
];
const saved = { met: [{ index: 0, t: 12, detail: 'code 0x40' }, { index: 1, t: 3130, detail: 'matched "/ # "' }], events: savedEvents };

describe('restorePrefix', () => {
  test('the prefix passes as the saving run met it, marked; the send after the point goes out at once', () => {
    const m = monitorFor(...SUITE);
    const sent: string[] = [];
    m.onSend((_, text) => sent.push(text));
    m.restorePrefix(saved, '33bc2cc568aa');
    expect(m.verdictOf(0)).toEqual({ status: 'passed', t: 12, detail: 'code 0x40 (from snapshot 33bc2cc568aa)' });
    expect(m.verdictOf(1)).toEqual({ status: 'passed', t: 3130, detail: 'matched "/ # " (from snapshot 33bc2cc568aa)' });
    expect(sent).toEqual(['uname -r\n']);
    expect(m.timeline.events.slice(0, 2).map(formatEvent)).toEqual([
      '+    12.0 ms  codes   0x40 (kernel) (from snapshot 33bc2cc568aa)',
      '+  3130.0 ms  console  "/ # " (expect[1]) (from snapshot 33bc2cc568aa)',
    ]);
    // The stage the saving run entered is the resumed run's too.
    expect(m.stageSpans()).toEqual([{ stage: 'kernel', start: 12 }]);
    m.line('console', '6.1.0-28-amd64', 3300);
    expect(m.verdictOf(3).status).toBe('passed');
    expect(m.finished?.reason).toBe('verdict-known');
  });

  test('only output after the resume answers: a reply is judged on the resumed clock', () => {
    const m = monitorFor(...SUITE.slice(0, -1), '    timeout: 1');
    m.restorePrefix(saved, '33bc2cc568aa');
    m.tick(3130 + 999);
    expect(m.verdictOf(3).status).toBe('pending');
    m.tick(3130 + 1001);
    expect(m.verdictOf(3)).toMatchObject({ status: 'failed', reason: 'not seen within 1 s of expect[2] being met at +3130.0 ms' });
  });
});

describe('the point as a prompt', () => {
  test('a text point matches before its line ends, with no send after it (the saving run boots the prefix alone)', () => {
    const m = monitorFor('snapshot: { at: shell }', 'expect:', '  - id: shell', "    console: '/ # '");
    expect(m.promptChannels).toEqual(new Set(['console']));
    m.partialLine('console', '/ # ', 5);
    expect(m.verdictOf(0).status).toBe('passed');
  });
});
