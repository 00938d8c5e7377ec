// Workers for a run of scenario files alone. Vitest gives each test file a fresh worker by default
// (`isolate`), so that one file's module state cannot leak into the next: ~0.2 s of its own a file, plus
// loading vitest-guest again. Scenario files hold no user code (each is data the runtime reads, and the
// runtime keeps no state between scenarios), so a run of scenario files alone keeps its workers from
// file to file. A run that also holds other test files keeps Vitest's isolation for all of them.
import type { Reporter, TestProject, TestSpecification } from 'vitest/node';

/** Not a reporter of results: its hook comes after the run's files are known and before any worker starts. */
export function scenarioWorkers(isScenario: (file: string) => boolean): Reporter {
  return {
    onTestRunStart(specifications: ReadonlyArray<TestSpecification>) {
      const projects = new Map<TestProject, boolean>();
      for (const { project, moduleId } of specifications) projects.set(project, (projects.get(project) ?? true) && isScenario(moduleId));
      for (const [project, scenariosOnly] of projects) project.config.isolate = !scenariosOnly;
    },
  };
}
