// Vitest's JUnit reporter, with each guest test case (uktest, KTAP) as a test case of its own.
//
// Vitest only knows tests declared when a module is collected, and the guest's cases are known only
// once the guest ran. The scenario's first uktest/ktap test carries them in its task meta; here they
// become extra test tasks beside it, just before Vitest's own JUnit writer reads the task tree. Each test
// that ran also gets the machine it ran on as junit properties (`arch`, `machine`), which the writer makes
// of a test's annotations. The tree itself is not changed: the writer gets copies.
import type { File, Suite, Task, Test } from '@vitest/runner';
import type { SerializedError } from 'vitest';
import { experimental_getRunnerTask, JUnitReporter, type TestModule } from 'vitest/node';
import type { ReportedCases } from '../src/vitest/task-meta.js';

type ReportedCase = ReportedCases['list'][number];

export class GuestJUnitReporter extends JUnitReporter {
  override async onTestRunEnd(...args: Parameters<JUnitReporter['onTestRunEnd']>): Promise<void> {
    const [testModules, ...rest] = args;
    await super.onTestRunEnd(testModules.map(withGuestCases), ...rest);
  }
}

/** The module as the JUnit writer sees it (it reads only `task`): its file task with the guest cases added. */
function withGuestCases(testModule: TestModule): TestModule {
  return Object.create(testModule, { task: { value: expandSuite(experimental_getRunnerTask(testModule)) } }) as TestModule;
}

function expandSuite<T extends Suite | File>(suite: T): T {
  const copy = { ...suite, tasks: [] as Task[] };
  for (const task of suite.tasks) {
    if (task.type === 'suite') {
      copy.tasks.push(expandSuite(task));
      continue;
    }
    copy.tasks.push({ ...task, annotations: [...task.annotations, ...machineProperties(task)] });
    const cases = task.meta.vitestGuest?.cases;
    if (cases) copy.tasks.push(...cases.list.map((c, i) => guestCaseTask(task, cases.format, c, i)));
  }
  return copy;
}

function guestCaseTask(carrier: Test, format: string, guestCase: ReportedCase, index: number): Test {
  const errors = guestCase.status === 'failed' || guestCase.status === 'crashed' ? failureErrors(guestCase) : undefined;
  return {
    ...carrier,
    id: `${carrier.id}_${format}_${index}`,
    // A line format's cases are in a suite of its name unless the line names one: say that name once.
    name: guestCase.suite === format ? `${format}->${guestCase.case}` : `${format}: ${guestCase.suite}->${guestCase.case}`,
    mode: guestCase.status === 'skipped' ? 'skip' : 'run',
    meta: {},
    annotations: machineProperties(carrier),
    artifacts: [],
    logs: [],
    result: {
      state: guestCase.status === 'passed' ? 'pass' : guestCase.status === 'skipped' ? 'skip' : 'fail',
      duration: 0,
      ...(errors ? { errors } : {}),
    },
  };
}

function machineProperties(test: Test): Test['annotations'] {
  const machine = test.meta.vitestGuest?.machine;
  return machine ? [{ type: 'arch', message: machine.arch }, { type: 'machine', message: machine.type }] : [];
}

function failureErrors(guestCase: ReportedCase): SerializedError[] {
  if (guestCase.status === 'crashed') return [{ name: 'GuestCrash', message: 'the guest crashed (or stopped printing) before this case ended', stack: '' }];
  return guestCase.failures.map((failure) => ({
    name: 'GuestAssertion',
    message: failure.file !== undefined ? `${failure.message} (in ${failure.file}${failure.line !== undefined ? `:${failure.line}` : ''})` : failure.message,
    stack: '',
  }));
}

export default GuestJUnitReporter;
