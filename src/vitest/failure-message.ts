// The text of a failed expectation: the reason, then the context a kernel developer looks at first.
import type { RunResult } from '../runner/run-scenario.js';
import { formatTimeline } from '../timeline/timeline.js';
import { stageTable } from '../report/stage-table.js';
import { cpuModelHint } from '../runner/cpu-hint.js';
import type { SourceLocation } from '../scenario/model.js';
import { screenText } from '../report/screen-text.js';
import { shortKey } from '../snapshot/key.js';

const CONTEXT_LINES = 12;

export function failureMessage(reason: string, location: SourceLocation, run: RunResult | undefined): string {
  const parts = [`${reason}`, `  in ${location.file}:${location.line}`];
  if (run?.snapshot) parts.push(snapshotLine(run.snapshot));
  if (run) {
    const consoleTail = run.recentLines.console.slice(-CONTEXT_LINES);
    // A screen's lines are pieces of rows drawn in place: it is shown as the screen it is instead.
    if (!run.screens.console) parts.push('', consoleTail.length ? `Last console lines:\n${consoleTail.map((l) => `  | ${l}`).join('\n')}` : 'The console printed nothing.');
    const hint = cpuModelHint(run);
    if (hint) parts.push('', `Hint: ${hint}`);
    const virtioTail = run.recentLines.virtio.slice(-CONTEXT_LINES);
    if (virtioTail.length && !run.screens.virtio) parts.push('', `Last virtio console lines:\n${virtioTail.map((l) => `  | ${l}`).join('\n')}`);
    for (const [channel, screen] of Object.entries(run.screens)) {
      parts.push('', `The ${channel} screen (${screen.size.cols} x ${screen.size.rows}) when the run ended:\n${screenText(screen.rows, screen.size).join('\n')}`);
    }
    const stages = stageTable(run.stages, run.finish.t);
    if (stages.length > 0) parts.push('', stages.join('\n'));
    const crash = run.crashes[0];
    if (crash) parts.push('', `The guest crashed (${crash.kind}${crash.case ? ` during ${crash.case}` : ''}):\n${crash.lines.map((l) => `  | ${l}`).join('\n')}`);
    parts.push('', `Timeline (ms since the guest was resumed):\n${formatTimeline(run.timeline, 20).map((l) => `  ${l}`).join('\n')}`);
    if (run.qemuStderr.trim()) parts.push('', `QEMU stderr:\n${run.qemuStderr.trim().split('\n').slice(-5).map((l) => `  ${l}`).join('\n')}`);
  }
  return parts.join('\n');
}

/** Whether the run resumed from a snapshot, and which: what came before its point was another run's. */
function snapshotLine(use: NonNullable<RunResult['snapshot']>): string {
  const label = shortKey(use.key);
  if (use.resumed) return `  resumed from snapshot ${label}: what the timeline marks (from snapshot ${label}) was met by the run that saved it${use.note ? ` (${use.note})` : ''}`;
  return `  booted, not resumed from snapshot ${label}: ${use.note ?? 'no snapshot was used'}`;
}

/**
 * An Error whose only stack frame is the YAML position, so Vitest prints a code frame of the scenario
 * instead of a frame inside vitest-guest.
 */
export function errorAt(message: string, absoluteFile: string, location: { line: number; col: number }): Error {
  const error = new Error(message);
  error.stack = `Error: ${message}\n    at ${absoluteFile}:${location.line}:${location.col}`;
  return error;
}
