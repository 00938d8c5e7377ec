// A run's boot timeline as inline SVG: stage bars, then a lane of marks per kind of event, on a ms axis.
import { formatEvent, type TimelineEvent } from '../../src/timeline/timeline.js';
import type { TimelineRecord } from '../../src/report/timeline-record.js';
import { timeAxis, type TimeAxis } from './time-axis.js';
import { BAR_ROW_PX, SPREAD_ROW_PX, stageBar, stageSpread } from './stage-rows.js';
import { escapeHtml, msText } from './html-text.js';

const WIDTH_PX = 1100;
/** Room for the row names on the left. */
const PLOT_LEFT_PX = 110;
const PLOT_RIGHT_PX = WIDTH_PX - 30;
const LANE_ROW_PX = 26;
const AXIS_PX = 34;
const TOP_PX = 8;

const MARK_COLOURS: Record<TimelineEvent['kind'], string> = {
  code: '#555555', line: '#1f6fb2', hit: '#b8860b', disarmed: '#808080', fault: '#d2691e', case: '#2e8b57',
  crash: '#c0392b', send: '#6a5acd', exit: '#222222', timeout: '#c0392b', halted: '#8b4513',
};
const LANE_ORDER: TimelineEvent['kind'][] = ['code', 'line', 'hit', 'disarmed', 'fault', 'case', 'crash', 'send', 'exit', 'timeout', 'halted'];
const LANE_NAMES: Partial<Record<TimelineEvent['kind'], string>> = { code: 'codes', hit: 'hits', disarmed: 'hits', fault: 'faults', case: 'cases', crash: 'crashes', send: 'input' };

/** The picture of one record; its height follows from the stages and the kinds of events it has. */
export function timelineSvg(record: TimelineRecord): string {
  const axis = timeAxis(axisEndMs(record), PLOT_LEFT_PX, PLOT_RIGHT_PX - PLOT_LEFT_PX);
  const rows: string[] = [];
  let y = TOP_PX;
  for (const span of record.stages) {
    rows.push(stageBar(span, record.durationMs, axis, y));
    y += BAR_ROW_PX;
    const spread = record.runs ? stageSpread(span.stage, record.runs, axis, y) : '';
    if (spread) {
      rows.push(spread);
      y += SPREAD_ROW_PX;
    }
  }
  const lanesTop = y;
  for (const [name, events] of lanes(record.events)) {
    rows.push(`<text class="row-label" x="${PLOT_LEFT_PX - 10}" y="${y + 17}" text-anchor="end">${escapeHtml(name)}</text>`);
    rows.push(...events.map((event) => mark(event, record.expectations, axis, y)));
    y += LANE_ROW_PX;
  }
  if (record.gap && y > lanesTop) rows.push(gapBand(record, axis, lanesTop, y));
  const height = y + AXIS_PX;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="${WIDTH_PX}" height="${height}" viewBox="0 0 ${WIDTH_PX} ${height}" role="img" aria-label="${escapeHtml(`boot timeline of ${record.scenario}`)}">`,
    `<defs><pattern id="gap-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="3" height="6" fill="#bbbbbb"/></pattern></defs>`,
    grid(axis, y),
    ...rows,
    `</svg>`,
  ].join('\n');
}

/** The axis reaches the last thing drawn: the end of the run, a late event, the slowest repeated run. */
function axisEndMs(record: TimelineRecord): number {
  return Math.max(record.durationMs, ...record.events.map((e) => e.t), ...(record.runs ?? []).map((r) => r.durationMs));
}

/** Events by lane, lanes in a fixed order; console lines get a lane per channel. */
function lanes(events: readonly TimelineEvent[]): [string, TimelineEvent[]][] {
  const byLane = new Map<string, TimelineEvent[]>();
  const ordered = [...events].sort((a, b) => LANE_ORDER.indexOf(a.kind) - LANE_ORDER.indexOf(b.kind));
  for (const event of ordered) {
    const name = event.kind === 'line' ? event.channel : LANE_NAMES[event.kind] ?? event.kind;
    byLane.set(name, [...(byLane.get(name) ?? []), event]);
  }
  return [...byLane];
}

function mark(event: TimelineEvent, expectations: readonly string[], axis: TimeAxis, top: number): string {
  const met = 'matched' in event ? event.matched : [];
  const height = met.length ? 20 : 14;
  // The timeline's own line, without its time and column padding: `codes 0x00 (firmware)`.
  const what = formatEvent(event).replace(/^\+\s*[\d.]+ ms\s+(\S+)\s+/, '$1 ');
  const title = [`${event.kind} at +${msText(event.t)}: ${what}`, ...met.map((i) => `met expect[${i}]: ${expectations[i] ?? '?'}`)].join('\n');
  return `<rect class="mark kind-${event.kind}${met.length ? ' met' : ''}" x="${(axis.x(event.t) - 1.5).toFixed(1)}" y="${top + (LANE_ROW_PX - height) / 2}" width="3" height="${height}" fill="${MARK_COLOURS[event.kind]}"><title>${escapeHtml(title)}</title></rect>`;
}

/** Where the kept head and tail of the events meet: the events left out were in between. */
function gapBand(record: TimelineRecord, axis: TimeAxis, top: number, bottom: number): string {
  const { after, count } = record.gap!;
  const from = record.events[after - 1]?.t ?? 0;
  const to = record.events[after]?.t ?? record.durationMs;
  const x = axis.x(from);
  const title = `${count} events between +${msText(from)} and +${msText(to)} are not shown`;
  return `<rect class="event-gap" x="${x.toFixed(1)}" y="${top}" width="${Math.max(axis.x(to) - x, 3).toFixed(1)}" height="${bottom - top}" fill="url(#gap-hatch)" fill-opacity="0.6"><title>${escapeHtml(title)}</title></rect>`;
}

/** A light vertical line and a label per tick, the axis line under the rows. */
function grid(axis: TimeAxis, bottom: number): string {
  const lines = axis.ticks.map((t) => {
    const x = axis.x(t).toFixed(1);
    return `<line class="grid" x1="${x}" x2="${x}" y1="${TOP_PX}" y2="${bottom + 4}" stroke="#e3e3e3"/><text class="tick" x="${x}" y="${bottom + 20}" text-anchor="middle">${t} ms</text>`;
  });
  return [...lines, `<line class="axis" x1="${PLOT_LEFT_PX}" x2="${PLOT_RIGHT_PX}" y1="${bottom}" y2="${bottom}" stroke="#888888"/>`].join('\n');
}
