#!/usr/bin/env node
// Entry point of the vitest-guest command; the code lives in dist/ (built by `npm run build`).
import { main } from '../dist/src/cli/main.js';

// A reader that stops early (`vitest-guest parse log | head`) closes the pipe: end quietly with the
// status of a tool killed by SIGPIPE (128 + 13), since the verdict was not all printed.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(141);
  throw error;
});
process.exitCode = await main(process.argv.slice(2));
