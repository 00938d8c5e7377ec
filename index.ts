// The package's root export: the Vitest plugin and reporters, and the runner for use without Vitest.
// It sits above src/ and reporters/ (reporters/ imports src/; src/ imports neither).
export { vitestGuest, type VitestGuestOptions } from './src/vitest/plugin.js';
export { UktestReporter } from './reporters/uktest-reporter.js';
export { TimelineReporter, type TimelineReporterOptions } from './reporters/timeline-reporter.js';
export { loadScenarioFile, type LoadedDocument, type ScenarioFile } from './src/scenario/load.js';
export { formatIssue, type ScenarioIssue } from './src/scenario/issues.js';
export type { Scenario, Expectation, ExitExpectation } from './src/scenario/model.js';
export { buildQemuCommand, shellQuote } from './src/qemu/argv.js';
export { runScenario, type RunResult, type RunOptions } from './src/runner/run-scenario.js';
