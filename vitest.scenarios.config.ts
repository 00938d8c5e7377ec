// Runs the scenarios in scenarios/ with the uktest reporter; npm run demo leaves out scenarios/failing/.
import { defineConfig } from 'vitest/config';
import { vitestGuest } from './src/vitest/plugin.js';
import { UktestReporter } from './src/vitest/uktest-reporter.js';

export default defineConfig({
  plugins: [vitestGuest({ include: ['scenarios/**/*.yaml'] })],
  test: {
    include: [],
    reporters: ['default', new UktestReporter()],
  },
});
