// Runs the example scenarios in scenarios/ with the uktest reporter (npm run demo).
import { defineConfig } from 'vitest/config';
import { vitestGuest } from './src/vitest/plugin.js';
import { UktestReporter } from './src/vitest/uktest-reporter.js';

export default defineConfig({
  plugins: [vitestGuest({ include: ['scenarios/*.yaml'] })],
  test: {
    include: [],
    reporters: ['default', new UktestReporter()],
  },
});
