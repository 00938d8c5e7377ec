// The summary page of a run's boot timelines: one table row per scenario, linking its page, and for a
// failed one why it failed.
import type { TimelineRecord } from '../../src/report/timeline-record.js';
import { htmlPage, machineText, verdictBadge } from './timeline-html.js';
import { escapeHtml, msText, oneLine } from './html-text.js';

/** Long enough for a test title and the start of its reason; the whole of it is the cell's tooltip. */
const FAILURE_CHARS = 160;

export interface TimelineIndexEntry {
  record: TimelineRecord;
  /** The scenario page, relative to the summary page. */
  href: string;
}

export function timelineIndexPage(entries: readonly TimelineIndexEntry[]): string {
  const failed = entries.filter((e) => e.record.verdict === 'failed').length;
  const rows = entries.map(({ record, href }) => [
    '<tr>',
    `<td>${escapeHtml(record.file)}</td>`,
    `<td><a href="${escapeHtml(href)}">${escapeHtml(record.scenario)}</a></td>`,
    `<td>${machineText(record)}</td>`,
    `<td>${verdictBadge(record.verdict)}</td>`,
    `<td class="number">${msText(record.durationMs)}${record.runs ? ` (${record.runs.length} runs)` : ''}</td>`,
    `<td><a href="${escapeHtml(href)}">timeline</a></td>`,
    failureCell(record),
    '</tr>',
  ].join(''));
  return htmlPage('Boot timelines', [
    '<h1>Boot timelines</h1>',
    `<p class="facts">${entries.length} scenarios, ${failed} failed.</p>`,
    '<table>',
    '<thead><tr><th>File</th><th>Scenario</th><th>Machine</th><th>Verdict</th><th>Duration</th><th>Page</th><th>First failure</th></tr></thead>',
    `<tbody>\n${rows.join('\n')}\n</tbody>`,
    '</table>',
  ].join('\n'));
}

function failureCell({ failure }: TimelineRecord): string {
  if (!failure) return '<td></td>';
  const text = `${failure.test}: ${failure.reason}`;
  return `<td class="failure" title="${escapeHtml(oneLine(text, Infinity))}">${escapeHtml(oneLine(text, FAILURE_CHARS))}</td>`;
}
