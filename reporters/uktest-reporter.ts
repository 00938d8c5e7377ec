// A Vitest reporter printing one uktest-style line per expectation and a closing `N passed, N failed`.
import type { Reporter, TestCase, TestModule, Vitest } from 'vitest/node';
import { relative } from 'node:path';
import { caseLine, failureLines, guestCaseLines, machineLine, summaryLine } from '../src/report/uktest-lines.js';
import type { ReportedCases } from '../src/vitest/task-meta.js';

interface Logger {
  log(...args: unknown[]): void;
}

export class UktestReporter implements Reporter {
  private logger: Logger = console;
  private root = process.cwd();
  private counts = { passed: 0, failed: 0, skipped: 0 };
  private guestCounts = { passed: 0, failed: 0, crashed: 0, skipped: 0 };
  private stagesShown = new Set<string>();

  onInit(vitest: Vitest): void {
    this.logger = vitest.logger;
    this.root = vitest.config.root;
  }

  onTestRunStart(): void {
    this.counts = { passed: 0, failed: 0, skipped: 0 };
    this.guestCounts = { passed: 0, failed: 0, crashed: 0, skipped: 0 };
    this.stagesShown = new Set();
  }

  onTestCaseResult(testCase: TestCase): void {
    const result = testCase.result();
    const status = result.state === 'passed' ? 'passed' : result.state === 'failed' ? 'failed' : 'skipped';
    this.counts[status]++;
    // Tests left out by -t or a line filter show up as skipped: counted, not listed.
    if (status === 'skipped') return;
    const suite = testCase.parent.type === 'suite' ? testCase.parent.name : relative(this.root, testCase.module.moduleId);
    this.logger.log(caseLine(suite, testCase.name, status));
    const meta = testCase.meta().vitestGuest;
    if (status === 'failed') {
      const location = meta?.location ?? (testCase.location && { file: relative(this.root, testCase.module.moduleId), line: testCase.location.line });
      const reason = meta?.detail ?? result.errors?.map((e) => e.message).join('\n') ?? 'failed';
      for (const line of failureLines(location, reason)) this.logger.log(line);
      // A failing scenario's boot stages and the machine it ran on, once, under its first failed line.
      if (meta && !this.stagesShown.has(testCase.parent.id)) {
        this.stagesShown.add(testCase.parent.id);
        for (const line of meta.stages ?? []) this.logger.log(`: ${line}`);
        this.logger.log(machineLine(meta.machine));
      }
    } else if (meta?.measured) {
      // The figure and, against a baseline, the delta: what a passing timing line is worth reading for; a
      // coverage summary and its tracefile, a profile's ranked functions.
      for (const line of meta.detail.split('\n')) this.logger.log(`: ${line}`);
    }
    if (meta?.cases) this.printGuestCases(meta.cases);
  }

  /** The guest's own cases, indented under the expectation that carries them. */
  private printGuestCases(cases: ReportedCases): void {
    for (const guestCase of cases.list) {
      this.guestCounts[guestCase.status]++;
      for (const line of guestCaseLines(guestCase)) this.logger.log(`  ${line}`);
    }
    if (cases.dropped > 0) this.logger.log(`  (${cases.dropped} more ${cases.format} cases checked, not listed)`);
  }

  onTestModuleEnd(testModule: TestModule): void {
    // A module that failed to load (e.g. a broken scenario file) has no test results of its own.
    for (const error of testModule.errors()) {
      this.counts.failed++;
      this.logger.log(caseLine(relative(this.root, testModule.moduleId), 'load', 'failed'));
      for (const line of failureLines(undefined, error.message)) this.logger.log(line);
    }
  }

  onTestRunEnd(): void {
    const guest = this.guestCounts;
    if (guest.passed + guest.failed + guest.crashed + guest.skipped > 0) this.logger.log(`guest cases: ${summaryLine(guest)}`);
    this.logger.log(summaryLine(this.counts));
  }
}

export default UktestReporter;
