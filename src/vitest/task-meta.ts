// What a scenario test hands to reporters through Vitest's task meta.
import type { Machine, SourceLocation } from '../scenario/model.js';
import type { CaseFailure, CaseStatus } from '../results/guest-case.js';
import type { TimelineRecord } from '../report/timeline-record.js';

/** The guest's own test cases, reported one line (and one junit test case) each. */
export interface ReportedCases {
  /** `uktest`, `ktap`, or a scenario's own line format. */
  format: string;
  list: { suite: string; case: string; status: CaseStatus; failures: CaseFailure[]; measurement?: string }[];
  /** Cases past the kept maximum: checked, counted here, not listed. */
  dropped: number;
}

export interface GuestTaskMeta {
  /** Scenario-relative YAML location of the expectation. */
  location: SourceLocation;
  /** What the scenario ran on: reports say it beside a single-architecture scenario's name, which does not. */
  machine: Pick<Machine, 'arch' | 'type'>;
  status: 'passed' | 'failed';
  /** Why it failed, or what met it. */
  detail: string;
  /** A timing assertion: its detail is the measured figure, printed even when it passed. */
  measured?: true;
  /** On a failure: the run's boot stages as text lines (see stageTable), for the uktest reporter. */
  stages?: string[];
  /** On the scenario's first uktest/ktap expectation: every case of that format the guest ran. */
  cases?: ReportedCases;
  /** On one test of the scenario, the first to end once the run was over: the run's boot timeline. */
  timeline?: TimelineRecord;
}

declare module 'vitest' {
  interface TaskMeta {
    vitestGuest?: GuestTaskMeta;
  }
}
