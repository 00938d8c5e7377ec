// The Vitest plugin: YAML scenario files become test modules; the main process reaps QEMU on exit.
import type { Plugin } from 'vitest/config';
import { availableParallelism } from 'node:os';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import picomatch from 'picomatch';
import { loadScenarioFile } from '../scenario/load.js';
import type { Scenario } from '../scenario/model.js';
import { generateTestModule } from './generate-module.js';
import { clearTracefiles } from '../runner/coverage-files.js';
import { installMainProcessReaper } from './main-process-reaper.js';
import { scenarioWorkers } from './scenario-workers.js';
import { DEFAULT_MISSING_GUESTS_HINT, type MissingGuestsMode } from './missing-guests.js';
import { parseSize, SNAPSHOT_DIR_ENV, SNAPSHOT_MAX_ENV } from '../snapshot/store.js';

export interface VitestGuestOptions {
  /** Globs of scenario files, relative to the Vitest root. */
  include?: string[];
  /**
   * A scenario whose guest files (kernel, initrd, firmware, symbols) are not on disk: 'fail' (the
   * default) fails its tests, 'skip' skips them; either way the reason names each missing file.
   */
  missingGuests?: MissingGuestsMode;
  /** How to get missing guest files (e.g. the command that fetches them), said after the list. */
  missingGuestsHint?: string;
  /**
   * Coverage of every scenario that has no `coverage:` of its own and names a kernel or symbols, as if it said
   * `coverage: true`. VITEST_GUEST_COVERAGE=1 in the environment does the same for one run.
   */
  coverage?: boolean;
  /** A profile (the top 10 functions) of every such scenario, as `profile: true`; VITEST_GUEST_PROFILE=1 likewise. */
  profile?: boolean;
  /** Where the lcov tracefiles go, relative to the Vitest root (default reports/coverage): one per scenario, and lcov.info, all merged. */
  coverageDir?: string;
  /**
   * Keep machine snapshots (`snapshot:`) across runs in this folder, relative to the Vitest root, under
   * `maxSize` (e.g. '4G'; default 2G; least recently used removed first). Without it they last one run
   * (docs/snapshots.md). The same as VITEST_GUEST_SNAPSHOT_DIR and VITEST_GUEST_SNAPSHOT_MAX.
   */
  snapshots?: { dir: string; maxSize?: string };
}

export const DEFAULT_SCENARIO_GLOBS = ['scenarios/**/*.{yaml,yml}'];

// The runtime sits beside this file; in this repo the config imports the TypeScript sources directly.
const runtimeFile = fileURLToPath(new URL(`./runtime.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url));

export function vitestGuest(options: VitestGuestOptions = {}): Plugin {
  const include = options.include ?? DEFAULT_SCENARIO_GLOBS;
  if (options.missingGuests !== undefined && options.missingGuests !== 'skip' && options.missingGuests !== 'fail') {
    throw new Error(`vitestGuest(): missingGuests must be 'skip' or 'fail'; got ${JSON.stringify(options.missingGuests)}.`);
  }
  if (options.snapshots?.maxSize !== undefined && parseSize(options.snapshots.maxSize) === undefined) {
    throw new Error(`vitestGuest(): snapshots.maxSize must be a size like '4G', '512M' or a number of bytes; got ${JSON.stringify(options.snapshots.maxSize)}.`);
  }
  const missingGuests = { mode: options.missingGuests ?? 'fail', hint: options.missingGuestsHint ?? DEFAULT_MISSING_GUESTS_HINT };
  let root = process.cwd();
  let isScenario = picomatch(include.map((g) => `${root}/${g}`));
  const coverageAll = options.coverage ?? process.env.VITEST_GUEST_COVERAGE === '1';
  const profileAll = options.profile ?? process.env.VITEST_GUEST_PROFILE === '1';
  let isolateSet = false;
  return {
    name: 'vitest-guest',
    config(config) {
      // Vitest concatenates include arrays: keep its default test glob when the user set none.
      const existing = config.test?.include ?? ['**/*.{test,spec}.?(c|m)[jt]s?(x)'];
      // Vitest's default is one worker per core but one: right for CPU-bound tests, but a scenario's
      // worker mostly waits while QEMU, a process of its own, does the work. Keep a user's choice.
      const maxWorkers = config.test?.maxWorkers ?? availableParallelism();
      isolateSet = config.test?.isolate !== undefined;
      return { test: { include: [...existing, ...include], includeTaskLocation: true, maxWorkers } };
    },
    configResolved(resolved) {
      root = resolved.root;
      isScenario = picomatch(include.map((g) => `${root}/${g}`));
    },
    configureVitest({ vitest }) {
      installMainProcessReaper();
      // Set in the main process before any worker starts: each worker's runs read them from its environment.
      if (options.snapshots) {
        process.env[SNAPSHOT_DIR_ENV] = resolve(root, options.snapshots.dir);
        if (options.snapshots.maxSize !== undefined) process.env[SNAPSHOT_MAX_ENV] = options.snapshots.maxSize;
      }
      // Tracefiles of an earlier run would be merged into this run's lcov.info.
      clearTracefiles(resolve(root, options.coverageDir ?? DEFAULT_COVERAGE_DIR));
      // A config's own `isolate`, or --no-isolate, stays as it is.
      if (!isolateSet && vitest.config.isolate) vitest.config.reporters.push(scenarioWorkers((file) => isScenario(file)));
    },
    transform(code, id) {
      const file = id.split('?')[0]!;
      if (!isScenario(file)) return undefined;
      const displayPath = relative(root, file);
      const documents = loadScenarioFile({ displayPath, absolutePath: file, text: code }).map((doc) => (doc.ok ? { ...doc, scenario: withRunWide(doc.scenario, coverageAll, profileAll) } : doc));
      return generateTestModule(documents, file, code, runtimeFile, missingGuests, { dir: resolve(root, options.coverageDir ?? DEFAULT_COVERAGE_DIR), displayPath });
    },
  };
}

export const DEFAULT_COVERAGE_DIR = 'reports/coverage';

/** The run-wide coverage and profile, for a scenario that names something to read functions from and says nothing itself. */
function withRunWide(scenario: Scenario, coverage: boolean, profile: boolean): Scenario {
  if (scenario.guest.kernel === undefined && scenario.guest.symbols === undefined) return scenario;
  return {
    ...scenario,
    ...(coverage && !scenario.coverage ? { coverage: { location: scenario.location, checks: [] } } : {}),
    ...(profile && !scenario.profile ? { profile: { location: scenario.location, top: 10, stages: false, between: [] } } : {}),
  };
}
