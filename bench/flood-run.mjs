// One flooding scenario in a process of its own, so its peak RSS is the run's: prints a JSON line.
import { runScenario } from '../dist/src/runner/run-scenario.js';
import { benchScenario } from './scenario.mjs';

// `rate`: the guest's pace in MiB/s (vrate), 0 for as fast as QEMU takes it.
const [bytes, rate = '0'] = process.argv.slice(2);
const kernel = new URL('../guests/reference/build/x86_64/reference.elf', import.meta.url).pathname;
const yaml = `name: flood
guest: { kernel: ${kernel}, cmdline: 'vrate=${rate} vflood=${bytes} print=flood-done exit=0' }
timeout: 600
output-limit: { virtio: 4G }
exit: { debug-exit: 0 }
expect:
  - virtio: { regex: '^!' }
  - console: flood-done
`;
const scenario = benchScenario('flood.yaml', yaml);
const started = process.hrtime.bigint();
const result = await runScenario(scenario);
const failed = [...result.verdicts, result.exitVerdict].filter((v) => v.status !== 'passed');
if (failed.length > 0) throw new Error(`flood run failed: ${JSON.stringify(failed)}`);
/** @type {import('./flood.mjs').FloodRun} */
const figures = {
  seconds: Number(process.hrtime.bigint() - started) / 1e9,
  receivedBytes: result.receivedBytes.virtio,
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
};
console.log(JSON.stringify(figures));
