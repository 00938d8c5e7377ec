// The project's own test suite (npm test): unit tests of the pure layers and end-to-end tests on real QEMU.
import { defineConfig } from 'vitest/config';
import { UktestReporter } from './src/vitest/uktest-reporter.js';

export default defineConfig({
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
