// npm run bench [-- group...]: speed figures as `name: value` lines (not tests: nothing here passes or fails).
import { breakpointBenchmarks } from './breakpoints.mjs';
import { parseBenchmarks } from './parse.mjs';
import { scenarioBenchmarks } from './scenarios.mjs';
import { floodBenchmarks } from './flood.mjs';
import { snapshotBenchmarks } from './snapshots.mjs';
import { instrumentationBenchmarks } from './instrumentation.mjs';

const GROUPS = { scenarios: scenarioBenchmarks, breakpoints: breakpointBenchmarks, parse: parseBenchmarks, flood: floodBenchmarks, snapshots: snapshotBenchmarks, instrumentation: instrumentationBenchmarks };
/** @typedef {keyof typeof GROUPS} GroupName */

/** @type {(name: string) => name is GroupName} */
const isGroup = (name) => name in GROUPS;

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !isGroup(name));
if (unknown.length > 0) {
  console.error(`bench: unknown group ${unknown.join(', ')}; groups: ${Object.keys(GROUPS).join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted.filter(isGroup) : /** @type {GroupName[]} */ (Object.keys(GROUPS))) {
  for await (const [metric, value] of GROUPS[name]()) console.log(`${metric}: ${value}`);
}
