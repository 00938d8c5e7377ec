// Runs the scenarios in scenarios/ with the uktest reporter; npm run demo leaves out scenarios/failing/.
// Each scenario's boot timeline is drawn as a page under reports/timeline/; the last line says where.
import { defineConfig } from 'vitest/config';
import { vitestGuest } from './src/vitest/plugin.js';
import { UktestReporter } from './reporters/uktest-reporter.js';
import { TimelineReporter } from './reporters/timeline-reporter.js';

export default defineConfig({
  plugins: [vitestGuest({ include: ['scenarios/**/*.yaml'] })],
  test: {
    include: [],
    reporters: ['default', new UktestReporter(), new TimelineReporter({ outputDir: 'reports/timeline' })],
  },
});
