// npm run bench [-- group...]: speed figures as `name: value` lines (not tests: nothing here passes or fails).
import { breakpointBenchmarks } from './breakpoints.mjs';
import { parseBenchmarks } from './parse.mjs';
import { scenarioBenchmarks } from './scenarios.mjs';
import { floodBenchmarks } from './flood.mjs';

const GROUPS = { scenarios: scenarioBenchmarks, breakpoints: breakpointBenchmarks, parse: parseBenchmarks, flood: floodBenchmarks };

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in GROUPS));
if (unknown.length > 0) {
  console.error(`bench: unknown group ${unknown.join(', ')}; groups: ${Object.keys(GROUPS).join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : Object.keys(GROUPS)) {
  for await (const [metric, value] of GROUPS[name]()) console.log(`${metric}: ${value}`);
}
