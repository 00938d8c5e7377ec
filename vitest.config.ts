// The project's own test suite (npm test): unit tests of the pure layers, end-to-end tests on real QEMU,
// and the example scenarios themselves, so `npx vitest run scenarios/hello.yaml` works here as in a user's repo.
import { defineConfig } from 'vitest/config';
import { vitestGuest } from './src/vitest/plugin.js';
import { UktestReporter } from './reporters/uktest-reporter.js';

/** Said after the list of missing guest files. */
export const FETCH_HINT = 'Fetch them with `bash scripts/setup.sh` (npm test and npm run demo run it first): it downloads Debian\'s packages into ~/.cache/vitest-guest and builds what is missing.';

export default defineConfig({
  // scenarios/failing/ must fail: test/e2e runs it as expected failures. scenarios/real/ boots guests
  // nobody here wrote, fetched by setup into a cache: never skipped in CI; elsewhere, a guest that could
  // not be fetched is skipped, saying which files are missing.
  plugins: [vitestGuest({
    include: ['scenarios/*.yaml', 'scenarios/real/*.yaml', 'scenarios/aarch64/*.yaml', 'scenarios/riscv64/*.yaml', 'scenarios/arch/*.yaml', 'scenarios/snapshots/*.yaml', 'scenarios/instrumentation/*.yaml'],
    missingGuests: process.env.CI ? 'fail' : 'skip',
    missingGuestsHint: FETCH_HINT,
  })],
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests boot QEMU and spawn Vitest; on 2 cores, more workers only add contention.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Our own reporter, so the suite also ends with the plain `N passed, N failed` line CI systems read.
    reporters: ['default', new UktestReporter()],
  },
});
