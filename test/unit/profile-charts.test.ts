// The ranked profile charts a timeline page draws under the timeline: one per profile, a row per function.
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TimelineRecord } from '../../src/report/timeline-record.js';
import { timelinePage } from '../../reporters/html/timeline-html.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/timeline');
const base = JSON.parse(readFileSync(join(FIXTURES, 'boot-stages-passed.json'), 'utf8')) as TimelineRecord;

describe('profile charts on a timeline page', () => {
  const page = timelinePage({
    ...base,
    profiles: [
      { title: 'the whole run', total: 1000, top: [{ name: 'act_loop', instructions: 700, share: 0.7 }, { name: '<outside>', instructions: 300, share: 0.3 }] },
      { title: 'stage kernel', total: 0, top: [] },
    ],
  });

  test('a heading per profile with its instructions, a row per function with its share, a bar as long and the count', () => {
    expect(page).toContain('<h2>Profile of the whole run: 1,000 instructions</h2>');
    expect(page).toContain('<td>act_loop</td><td class="number">70.0%</td><td><svg class="share" width="320" height="12" role="img" aria-label="70.0%"><rect width="224" height="12" fill="#4682b4"><title>act_loop: 700 instructions</title></rect></svg></td><td class="number">700</td>');
    expect(page).toContain('<td>&lt;outside&gt;</td>');
    expect(page).toContain('<h2>Profile of stage kernel: 0 instructions</h2>');
    expect(page).toContain('no instructions counted in it');
  });

  test('a record without profiles draws none', () => {
    expect(timelinePage(base)).not.toContain('Profile of');
  });
});
