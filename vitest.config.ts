// The project's own test suite (npm test): unit tests of the pure layers, end-to-end tests on real QEMU,
// and the example scenarios themselves, so `npx vitest run scenarios/hello.yaml` works here as in a user's repo.
import { defineConfig } from 'vitest/config';
import { vitestGuest } from './src/vitest/plugin.js';
import { UktestReporter } from './src/vitest/uktest-reporter.js';

export default defineConfig({
  // Top level only: scenarios/failing/ must fail, and test/e2e runs it as expected failures.
  plugins: [vitestGuest({ include: ['scenarios/*.yaml'] })],
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
