// A run's profiles as ranked bar charts under its timeline: for the whole run and for each stage, the
// functions that executed the most guest instructions, a bar each as long as its share.
import type { ProfileChart } from '../../src/report/timeline-record.js';
import { escapeHtml } from './html-text.js';

/** Widest bar, px: a function with the whole of the instructions. */
const BAR_PX = 320;

export function profileCharts(charts: readonly ProfileChart[]): string {
  return charts.map(chart).join('\n');
}

function chart({ title, total, top }: ProfileChart): string {
  const rows = top.map(({ name, instructions, share }) => [
    '<tr>',
    `<td>${escapeHtml(name)}</td>`,
    `<td class="number">${(share * 100).toFixed(1)}%</td>`,
    `<td><svg class="share" width="${BAR_PX}" height="12" role="img" aria-label="${(share * 100).toFixed(1)}%"><rect width="${Math.max(1, Math.round(share * BAR_PX))}" height="12" fill="#4682b4"><title>${escapeHtml(`${name}: ${instructions.toLocaleString('en-US')} instructions`)}</title></rect></svg></td>`,
    `<td class="number">${instructions.toLocaleString('en-US')}</td>`,
    '</tr>',
  ].join(''));
  const body = rows.length > 0 ? rows.join('\n') : '<tr><td colspan="4" class="note">no instructions counted in it</td></tr>';
  return [
    `<h2>Profile of ${escapeHtml(title)}: ${total.toLocaleString('en-US')} instructions</h2>`,
    '<table class="profile">',
    '<tr><th>function</th><th>share</th><th></th><th>instructions</th></tr>',
    body,
    '</table>',
  ].join('\n');
}
