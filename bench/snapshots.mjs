// Boot once, test many: 10 interactive scenarios on Debian's kernel (its busybox shell), each booted,
// against the same 10 resumed from one snapshot taken at the prompt, in the same process one at a time
// (the first of them boots the prefix and saves). Then what a save and a restore take, the stream's size, and
// the disk the guest RAM file takes.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenarioFile } from '../dist/src/scenario/load.js';
import { runScenario } from '../dist/src/runner/run-scenario.js';
import { SNAPSHOT_DIR_ENV } from '../dist/src/snapshot/store.js';

const REPO = new URL('..', import.meta.url).pathname;
const SCENARIOS = 10;

/**
 * The 10 scenarios: each asks the shell something of its own. `snapshot` adds the point at the prompt.
 * @param {boolean} snapshot
 */
function scenarios(snapshot) {
  const docs = [
    'defaults:',
    '  guest:',
    '    kernel: guests/linux/build/vmlinux',
    '    initrd: guests/linux/build/initramfs.cpio',
    "    cmdline: 'console=ttyS0 nokaslr panic=-1'",
    '  machine: { memory: 512M }',
    '  timeout: 60',
    ...(snapshot ? ['  snapshot: { at: shell }'] : []),
  ].join('\n');
  const each = Array.from({ length: SCENARIOS }, (_, i) => [
    `name: ask-${i}`,
    'expect:',
    '  - id: shell',
    "    console: '/ # '",
    `  - send: "echo answer-$((${i} * 7))\\n"`,
    `  - console: { regex: '^answer-${i * 7}$' }`,
    '    timeout: 10',
  ].join('\n'));
  const text = [docs, ...each].join('\n---\n');
  return loadScenarioFile({ displayPath: 'bench.yaml', absolutePath: join(REPO, 'bench.yaml'), text }).map((doc) => {
    if (!doc.ok) throw new Error(`bench scenario invalid: ${JSON.stringify(doc.issues)}`);
    return doc.scenario;
  });
}

/** Runs them one after the other; every expectation must pass. @param {import('../dist/src/scenario/model.js').Scenario[]} list */
async function runAll(list) {
  const started = process.hrtime.bigint();
  const results = [];
  for (const scenario of list) {
    const result = await runScenario(scenario);
    const failed = result.verdicts.find((v) => v.status !== 'passed');
    if (failed) throw new Error(`bench: ${scenario.name} failed: ${JSON.stringify(failed)}; ${result.finish.cause}`);
    results.push(result);
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, results };
}

export async function* snapshotBenchmarks() {
  const cache = mkdtempSync(join(tmpdir(), 'vitest-guest-bench-snapshots-'));
  process.env[SNAPSHOT_DIR_ENV] = cache;
  try {
    const booted = await runAll(scenarios(false));
    const resumed = await runAll(scenarios(true));
    if (!resumed.results.every((r) => r.snapshot?.resumed)) throw new Error('bench: a scenario did not resume from the snapshot');
    const manifestFile = readdirSync(cache).find((f) => f.endsWith('.json'));
    if (!manifestFile) throw new Error('bench: no snapshot manifest was written');
    const manifest = JSON.parse(readFileSync(join(cache, manifestFile), 'utf8'));
    // The first run's restore follows its own boot and save; the others' are what a resume costs.
    const restores = resumed.results.slice(1).map((r) => r.snapshot?.restoreMs ?? NaN).sort((a, b) => a - b);
    yield ['snapshot_scenarios', SCENARIOS];
    yield ['snapshot_booted_s', booted.seconds.toFixed(2)];
    yield ['snapshot_resumed_s', resumed.seconds.toFixed(2)];
    yield ['snapshot_speedup', (booted.seconds / resumed.seconds).toFixed(2)];
    yield ['snapshot_save_ms', Math.round(manifest.saveMs)];
    yield ['snapshot_restore_ms', Math.round(restores[restores.length >> 1] ?? NaN)];
    yield ['snapshot_bytes', manifest.bytes];
    yield ['snapshot_ram_disk_bytes', statSync(join(cache, manifest.ram.file)).blocks * 512];
  } finally {
    delete process.env[SNAPSHOT_DIR_ENV];
    rmSync(cache, { recursive: true, force: true });
  }
}
