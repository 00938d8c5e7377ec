// Public API: the Vitest plugin and reporter, and the runner for use without Vitest.
export { vitestGuest, type VitestGuestOptions } from './vitest/plugin.js';
export { UktestReporter } from './vitest/uktest-reporter.js';
export { TimelineReporter, type TimelineReporterOptions } from './vitest/timeline-reporter.js';
export { loadScenarioFile, type LoadedDocument, type ScenarioFile } from './scenario/load.js';
export { formatIssue, type ScenarioIssue } from './scenario/issues.js';
export type { Scenario, Expectation, ExitExpectation } from './scenario/model.js';
export { buildQemuCommand, shellQuote } from './qemu/argv.js';
export { runScenario, type RunResult, type RunOptions } from './runner/run-scenario.js';
