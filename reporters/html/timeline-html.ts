// A scenario run's boot timeline as a self-contained HTML page (inline SVG and CSS, no scripts).
import type { TimelineRecord } from '../../src/report/timeline-record.js';
import { ARCH_PROFILES } from '../../src/arch/profiles.js';
import { timelineSvg } from './timeline-svg.js';
import { escapeHtml, msText } from './html-text.js';
import { profileCharts } from './profile-charts.js';

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 20px 0 6px; }
.facts { margin: 0 0 16px; color: #555; }
.verdict { font-weight: 600; padding: 1px 8px; border-radius: 4px; color: #fff; }
.verdict.passed { background: #2e8b57; } .verdict.failed { background: #c0392b; }
svg.timeline text { font: 12px system-ui, sans-serif; fill: #333; }
svg.timeline text.on-bar { fill: #fff; }
svg.timeline text.row-label { font-weight: 600; }
svg.timeline rect.mark:hover, svg.timeline rect.stage-bar:hover { stroke: #000; stroke-width: 1; }
.note { color: #666; }
table { border-collapse: collapse; } th, td { text-align: left; padding: 4px 12px; border-bottom: 1px solid #ddd; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
`;

/** The HTML document around a page's body. */
export function htmlPage(title: string, body: string): string {
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${escapeHtml(title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n${body}\n</body>\n</html>\n`;
}

export function verdictBadge(verdict: TimelineRecord['verdict']): string {
  return `<span class="verdict ${verdict}">${verdict}</span>`;
}

/** What a scenario ran on, e.g. `aarch64 (virt)`. */
export function machineText({ machine }: TimelineRecord): string {
  return escapeHtml(`${machine.arch} (${machine.type})`);
}

/** One scenario's page: what ran, its verdict and duration, the picture; `indexHref` links back to the summary. */
export function timelinePage(record: TimelineRecord, indexHref = 'index.html'): string {
  const runs = record.runs ? `, ${record.runs.length} runs (bars: the reported run; bands: every run, median marked)` : '';
  const gap = record.gap ? `<p class="note">${record.gap.count} events in the middle of the run are not shown (hatched); the first and last ${record.events.length} are.</p>` : '';
  const codes = ARCH_PROFILES[record.machine.arch].channels.codes;
  const stages = record.stages.length ? '' : `<p class="note">The guest wrote no boot-stage codes${codes ? ` to ${escapeHtml(codes.where)}` : ''}.</p>`;
  return htmlPage(`${record.scenario}: boot timeline`, [
    `<p><a href="${escapeHtml(indexHref)}">All scenarios</a></p>`,
    `<h1>${escapeHtml(record.scenario)} ${verdictBadge(record.verdict)}</h1>`,
    `<p class="facts">${escapeHtml(record.file)} on ${machineText(record)}: ${msText(record.durationMs)}${runs}. Host-clock ms since the guest was resumed; hover a bar or a mark for details.</p>`,
    stages,
    timelineSvg(record),
    gap,
    record.profiles ? profileCharts(record.profiles) : '',
  ].filter(Boolean).join('\n'));
}
