// The compact text form of a run's boot stages: stage, start, duration (host clock, ms since the resume).
import type { StageName } from '../scenario/stages.js';

export function stageTable(stages: readonly { stage: StageName; start: number; end?: number }[], runEnd: number): string[] {
  if (stages.length === 0) return [];
  return [
    'Boot stages (host clock; stage, start, duration):',
    ...stages.map((s) => `  ${s.stage.padEnd(10)} +${s.start.toFixed(1).padStart(8)} ms  ${s.end === undefined ? `running at the end (+${runEnd.toFixed(1)} ms)` : `${(s.end - s.start).toFixed(1)} ms`}`),
  ];
}
