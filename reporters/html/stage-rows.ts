// The stage rows of a timeline picture: a bar per boot stage, and for repeated runs the spread under it.
import type { StageName } from '../../src/scenario/stages.js';
import { statistic } from '../../src/match/timing.js';
import type { StageSpan, TimelineRecord } from '../../src/report/timeline-record.js';
import type { TimeAxis } from './time-axis.js';
import { escapeHtml, msText } from './html-text.js';

export const STAGE_COLOURS: Record<StageName, string> = {
  firmware: '#7b5cc4',
  bootloader: '#d9822b',
  kernel: '#2f74c0',
  userspace: '#2e9a55',
  custom: '#c2416b',
};

export const BAR_ROW_PX = 32;
export const SPREAD_ROW_PX = 24;
const BAR_PX = 18;
/** Roughly how wide a character of the 12 px labels is, to keep a label off the plot's edge. */
const CHAR_PX = 6.8;

/** A bar from the stage's first code to the first code of the next stage (or the end of the run). */
export function stageBar(span: StageSpan, durationMs: number, axis: TimeAxis, top: number): string {
  const end = span.end ?? durationMs;
  const x0 = axis.x(span.start);
  const width = Math.max(axis.x(end) - x0, 1);
  const label = `+${msText(span.start)}, ${msText(end - span.start)}${span.end === undefined ? ' (to the end)' : ''}`;
  const title = `${span.stage}: from +${msText(span.start)} to +${msText(end)}${span.end === undefined ? ' (the end of the run)' : ''}, ${msText(end - span.start)}`;
  const y = top + (BAR_ROW_PX - BAR_PX) / 2;
  return [
    `<text class="row-label" x="${(axis.x(0) - 10).toFixed(1)}" y="${(y + 13).toFixed(1)}" text-anchor="end">${span.stage}</text>`,
    `<rect class="stage-bar stage-${span.stage}" x="${x0.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${BAR_PX}" rx="3" fill="${STAGE_COLOURS[span.stage]}"><title>${escapeHtml(title)}</title></rect>`,
    placeLabel(label, y + 13, axis, { from: x0, to: x0 + width }, { from: x0, to: x0 + width, cls: 'bar-label on-bar' }),
  ].join('\n');
}

/** Where each run started and ended the stage: a band from the earliest to the latest, a tick at the median. */
export function stageSpread(stage: StageName, runs: NonNullable<TimelineRecord['runs']>, axis: TimeAxis, top: number): string {
  const spans = runs.flatMap((run) => run.stages.filter((s) => s.stage === stage).map((s) => ({ start: s.start, end: s.end ?? run.durationMs })));
  if (spans.length === 0) return '';
  const starts = summary(spans.map((s) => s.start));
  const ends = summary(spans.map((s) => s.end));
  const durations = summary(spans.map((s) => s.end - s.start));
  const inRuns = spans.length === runs.length ? `${runs.length} runs` : `${spans.length} of ${runs.length} runs`;
  const title = `${stage} over ${inRuns}: starts at +${range(starts)}, ends at +${range(ends)}, lasts ${range(durations)}`;
  const label = `${inRuns}: median ${msText(durations.median)} (${msText(durations.min)} to ${msText(durations.max)})`;
  const mid = top + SPREAD_ROW_PX / 2 - 4;
  return [
    `<g class="stage-spread stage-${stage}"><title>${escapeHtml(title)}</title>`,
    whisker(starts, axis, mid, STAGE_COLOURS[stage]),
    whisker(ends, axis, mid, STAGE_COLOURS[stage]),
    `</g>`,
    // Between the two whiskers is the one free place inside the spread.
    placeLabel(label, mid + 4, axis, { from: axis.x(starts.min), to: axis.x(ends.max) }, { from: axis.x(starts.max), to: axis.x(ends.min), cls: 'bar-label' }),
  ].join('\n');
}

interface Summary { min: number; median: number; max: number }

function summary(values: number[]): Summary {
  return { min: Math.min(...values), median: statistic('median', values), max: Math.max(...values) };
}

function range(s: Summary): string {
  return `${msText(s.median)} median (${msText(s.min)} to ${msText(s.max)})`;
}

function whisker(s: Summary, axis: TimeAxis, mid: number, colour: string): string {
  const [x0, xm, x1] = [axis.x(s.min), axis.x(s.median), axis.x(s.max)].map((x) => x.toFixed(1));
  return [
    `<rect class="spread-band" x="${x0}" y="${mid - 5}" width="${Math.max(axis.x(s.max) - axis.x(s.min), 1).toFixed(1)}" height="10" fill="${colour}" fill-opacity="0.3"/>`,
    `<line class="spread-whisker" x1="${x0}" x2="${x1}" y1="${mid}" y2="${mid}" stroke="${colour}"/>`,
    `<line class="spread-median" x1="${xm}" x2="${xm}" y1="${mid - 7}" y2="${mid + 7}" stroke="#222" stroke-width="2"/>`,
  ].join('');
}

/**
 * A label beside what it names, never over something else: right of `outer` if it fits before the plot's
 * edge, else left of it if it fits there, else within `inner` if that is wide enough, else left anyway.
 */
function placeLabel(text: string, baseline: number, axis: TimeAxis, outer: { from: number; to: number }, inner: { from: number; to: number; cls: string }): string {
  const textPx = text.length * CHAR_PX;
  const [x, anchor, cls] = outer.to + 6 + textPx <= axis.x(axis.endMs) ? [outer.to + 6, 'start', 'bar-label']
    : outer.from - 6 - textPx >= axis.x(0) ? [outer.from - 6, 'end', 'bar-label']
      : inner.to - inner.from >= textPx + 12 ? [inner.to - 6, 'end', inner.cls]
        : [outer.from - 6, 'end', 'bar-label'];
  return `<text class="${cls}" x="${x.toFixed(1)}" y="${baseline.toFixed(1)}" text-anchor="${anchor}">${escapeHtml(text)}</text>`;
}
