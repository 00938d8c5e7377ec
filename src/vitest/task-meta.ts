// What a scenario test hands to reporters through Vitest's task meta.
import type { SourceLocation } from '../scenario/model.js';

export interface GuestTaskMeta {
  /** Scenario-relative YAML location of the expectation. */
  location: SourceLocation;
  status: 'passed' | 'failed';
  /** Why it failed, or what met it. */
  detail: string;
}

declare module 'vitest' {
  interface TaskMeta {
    vitestGuest?: GuestTaskMeta;
  }
}
