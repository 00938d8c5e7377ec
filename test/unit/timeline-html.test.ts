import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TimelineRecord } from '../../src/report/timeline-record.js';
import { timelinePage } from '../../reporters/html/timeline-html.js';
import { timelineIndexPage } from '../../reporters/html/timeline-index-html.js';
import { escapeHtml } from '../../reporters/html/html-text.js';
import { niceStep, timeAxis } from '../../reporters/html/time-axis.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/timeline');
const record = (name: string): TimelineRecord => JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as TimelineRecord;

interface Drawn { classes: string[]; attrs: Record<string, string>; title?: string }

/** The SVG elements of a page whose class list has `cls`, with their attributes and `<title>` text (unescaped). */
function drawn(html: string, cls: string): Drawn[] {
  const found: Drawn[] = [];
  for (const m of html.matchAll(/<(rect|g|line|text) ([^>]*?)\/?>(?:<title>([^<]*)<\/title>)?/g)) {
    const attrs = Object.fromEntries([...m[2]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!]));
    const classes = (attrs.class ?? '').split(' ');
    if (classes.includes(cls)) found.push({ classes, attrs, ...(m[3] !== undefined ? { title: unescape(m[3]) } : {}) });
  }
  return found;
}

function unescape(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

describe('timelinePage: one run', () => {
  const passed = record('boot-stages-passed');
  const page = timelinePage(passed);

  test('a bar per stage, in boot order, each as wide as its stage lasted', () => {
    const bars = drawn(page, 'stage-bar');
    expect(bars.map((b) => b.classes[1])).toEqual(['stage-firmware', 'stage-bootloader', 'stage-kernel', 'stage-userspace']);
    // firmware 20 ms, bootloader 40, kernel 150, userspace from 210 to the end of the 260 ms run.
    const pxPerMs = bars.map((b, i) => Number(b.attrs.width) / [20, 40, 150, 50][i]!);
    for (const ratio of pxPerMs) expect(ratio).toBeCloseTo(pxPerMs[0]!, 1);
    expect(Number(bars[2]!.attrs.x) - Number(bars[0]!.attrs.x)).toBeCloseTo(60 * pxPerMs[0]!, 0);
    expect(new Set(bars.map((b) => b.attrs.fill)).size).toBe(4);
  });

  test('each bar is labelled with its start and duration, and says so on hover', () => {
    expect(drawn(page, 'stage-bar').map((b) => b.title)).toEqual([
      'firmware: from +0.0 ms to +20.0 ms, 20.0 ms',
      'bootloader: from +20.0 ms to +60.0 ms, 40.0 ms',
      'kernel: from +60.0 ms to +210.0 ms, 150.0 ms',
      'userspace: from +210.0 ms to +260.0 ms (the end of the run), 50.0 ms',
    ]);
    expect(page).toContain('>+60.0 ms, 150.0 ms</text>');
    expect(page).toContain('>+210.0 ms, 50.0 ms (to the end)</text>');
  });

  test('a mark per event, its title giving time, kind, text and the expectation it met', () => {
    const marks = drawn(page, 'mark');
    expect(marks).toHaveLength(passed.events.length);
    expect(marks.filter((m) => m.classes.includes('kind-code'))).toHaveLength(4);
    expect(marks.find((m) => m.classes.includes('met'))!.title).toBe('line at +240.2 ms: console "userspace ready" (expect[0])\nmet expect[0]: console "userspace ready"');
    expect(marks.find((m) => m.classes.includes('kind-exit'))!.title).toBe('exit at +258.7 ms: exit debug-exit value 0 (QEMU status 1)');
    expect(marks.find((m) => m.classes.includes('kind-code'))!.title).toBe('code at +0.0 ms: codes 0x00 (firmware)');
  });

  test('ms ticks along the axis', () => {
    const ticks = drawn(page, 'tick');
    expect(ticks.length).toBeGreaterThanOrEqual(5);
    expect(page).toContain('>0 ms</text>');
    expect(page).toContain('>250 ms</text>');
  });

  test('guest text cannot become markup', () => {
    expect(page).not.toMatch(/<script/i);
    expect(page).toContain('&lt;script&gt;alert(\\&quot;boot\\&quot;)&lt;/script&gt; &amp; more');
    expect(escapeHtml('bell\u0007 nul\u0000 tab\tnewline\n')).toBe('bell\ufffd nul\ufffd tab\tnewline\n');
  });

  test('the header names the scenario, its file, the machine it ran on and its verdict', () => {
    expect(page).toContain('<h1>boot-timing <span class="verdict passed">passed</span></h1>');
    expect(page).toContain('scenarios/boot-timing.yaml on x86_64 (pc): 260.0 ms.');
    expect(page).toContain('<a href="index.html">All scenarios</a>');
  });

  test('a run without stage codes says where the architecture reads them', () => {
    const none = { ...passed, stages: [] };
    expect(timelinePage(none)).toContain('<p class="note">The guest wrote no boot-stage codes to I/O port 0x80.</p>');
    const arm = timelinePage({ ...none, scenario: 'matrix (aarch64)', machine: { arch: 'aarch64', type: 'virt' } });
    expect(arm).toContain('scenarios/boot-timing.yaml on aarch64 (virt): 260.0 ms.');
    expect(arm).toContain('<p class="note">The guest wrote no boot-stage codes to a pci-serial UART (1b36:0002).</p>');
  });
});

describe('timelinePage: repeated runs', () => {
  const repeated = record('repeated-kernel-spread');
  const page = timelinePage(repeated);

  test('each stage gets its spread over the runs, with the median', () => {
    const spreads = drawn(page, 'stage-spread');
    expect(spreads.map((s) => s.classes[1])).toEqual(['stage-firmware', 'stage-kernel', 'stage-userspace']);
    // kernel: starts 9, 10, 10, 11, 12; ends 119, 125, 130, 136, 152; lasts 110, 115, 120, 125, 140 ms.
    expect(spreads[1]!.title).toBe('kernel over 5 runs: starts at +10.0 ms median (9.0 ms to 12.0 ms), ends at +130.0 ms median (119.0 ms to 152.0 ms), lasts 120.0 ms median (110.0 ms to 140.0 ms)');
    // userspace ran in 4 runs; in one it lasted to that run's end (160 ms).
    expect(spreads[2]!.title).toContain('userspace over 4 of 5 runs:');
    expect(spreads[2]!.title).toContain('lasts 10.0 ms median (10.0 ms to 24.0 ms)');
    expect(page).toContain('>5 runs: median 120.0 ms (110.0 ms to 140.0 ms)</text>');
  });

  test('the whiskers span min to max and the median tick sits between', () => {
    const bands = drawn(page, 'spread-band');
    const medians = drawn(page, 'spread-median');
    // Two whiskers a stage (its start and its end), three stages with runs.
    expect(bands).toHaveLength(6);
    expect(medians).toHaveLength(6);
    const kernelEnd = bands[3]!;
    const [x, width, median] = [Number(kernelEnd.attrs.x), Number(kernelEnd.attrs.width), Number(medians[3]!.attrs.x1)];
    // The axis reaches the slowest run (170 ms); the ends spread 119..152 ms, median 130.
    const pxPerMs = width / (152 - 119);
    expect(median - x).toBeCloseTo((130 - 119) * pxPerMs, 0);
  });

  test('a stage with no run data (custom only in the reported run) has a bar and no spread', () => {
    expect(drawn(page, 'stage-bar').map((b) => b.classes[1])).toContain('stage-custom');
    expect(drawn(page, 'stage-spread').map((s) => s.classes[1])).not.toContain('stage-custom');
  });
});

describe('timelinePage: events left out', () => {
  test('the gap is hatched between the kept head and tail, and counted', () => {
    const base = record('boot-stages-passed');
    const page = timelinePage({ ...base, gap: { after: 3, count: 1702 } });
    const gap = drawn(page, 'event-gap');
    expect(gap).toHaveLength(1);
    expect(gap[0]!.title).toBe('1702 events between +60.0 ms and +61.5 ms are not shown');
    expect(page).toContain('1702 events in the middle of the run are not shown (hatched)');
  });
});

describe('timelineIndexPage', () => {
  test('a row per scenario with its file, verdict, duration and a link to its page', () => {
    const passed = record('boot-stages-passed');
    const repeated = record('repeated-kernel-spread');
    const page = timelineIndexPage([
      { record: passed, href: 'boot-timing.html' },
      { record: { ...repeated, scenario: 'x<y>', verdict: 'failed' }, href: 'x-y.html' },
    ]);
    expect(page).toContain('2 scenarios, 1 failed.');
    expect(page).toContain('<tr><td>scenarios/boot-timing.yaml</td><td><a href="boot-timing.html">boot-timing</a></td><td>x86_64 (pc)</td><td><span class="verdict passed">passed</span></td><td class="number">260.0 ms</td><td><a href="boot-timing.html">timeline</a></td><td></td></tr>');
    expect(page).toContain('<a href="x-y.html">x&lt;y&gt;</a>');
    expect(page).toContain('<td class="number">150.0 ms (5 runs)</td>');
  });

  const failedWith = (test: string, reason: string): string => timelineIndexPage([
    { record: { ...record('boot-stages-passed'), verdict: 'failed', failure: { test, reason } }, href: 'boot-timing.html' },
  ]);
  const failureCells = (page: string): string[] => [...page.matchAll(/<td class="failure"[^>]*>[^<]*<\/td>/g)].map((m) => m[0]);

  test("a failed scenario's row says why: its first failure's test and reason", () => {
    const page = failedWith('exit: debug-exit 0', 'expected debug-exit value 0 (QEMU status 1), got debug-exit value 3 (QEMU status 7)');
    expect(page).toContain('<th>First failure</th>');
    expect(failureCells(page)).toEqual([
      '<td class="failure" title="exit: debug-exit 0: expected debug-exit value 0 (QEMU status 1), got debug-exit value 3 (QEMU status 7)">'
        + 'exit: debug-exit 0: expected debug-exit value 0 (QEMU status 1), got debug-exit value 3 (QEMU status 7)</td>',
    ]);
  });

  test('a reason of several lines is shown on one, and one too long is cut, whole in the tooltip', () => {
    const lines = failedWith('console "ready"', 'not seen before the 2 s timeout;\n  last console lines:\n\t| booting');
    expect(failureCells(lines)).toEqual(['<td class="failure" title="console &quot;ready&quot;: not seen before the 2 s timeout; last console lines: | booting">'
      + 'console &quot;ready&quot;: not seen before the 2 s timeout; last console lines: | booting</td>']);
    const long = failedWith('console "ready"', `not seen; it printed ${'x'.repeat(300)} instead`);
    const [shown, tooltip] = [/>([^<]*)<\/td>$/.exec(failureCells(long)[0]!)![1]!, /title="([^"]*)"/.exec(failureCells(long)[0]!)![1]!];
    expect(unescape(shown)).toHaveLength(160);
    expect(unescape(shown)).toMatch(/^console "ready": not seen; it printed x+…$/);
    expect(tooltip).toMatch(/ x{300} instead$/);
  });

  test('guest text in a reason is escaped, control characters too', () => {
    const page = failedWith('never "panic"', 'seen at +12.0 ms: <script>alert("x")</script> & \u001b[31mred');
    expect(failureCells(page)[0]).toContain('>never &quot;panic&quot;: seen at +12.0 ms: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; \ufffd[31mred</td>');
    expect(page).not.toContain('<script>');
  });
});

describe('timeAxis', () => {
  test('ticks at 1, 2 or 5 x 10^k ms from 0 to the end', () => {
    expect(niceStep(32.5)).toBe(50);
    expect(niceStep(20)).toBe(20);
    expect(niceStep(0.13)).toBe(0.2);
    expect(timeAxis(260, 0, 100).ticks).toEqual([0, 50, 100, 150, 200, 250]);
    expect(timeAxis(0, 0, 100).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});
