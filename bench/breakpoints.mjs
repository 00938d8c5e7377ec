// Breakpoint speed: this client against GNU gdb counting the same breakpoint on the same guest, same run.
import { createServer } from 'node:net';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runScenario } from '../dist/src/runner/run-scenario.js';
import { GdbClient } from '../dist/src/gdb/gdb-client.js';
import { GdbTarget } from '../dist/src/gdb/gdb-target.js';
import { statistic } from '../dist/src/match/timing.js';
import { benchScenario } from './scenario.mjs';

const KERNEL = new URL('../guests/reference/build/x86_64/reference.elf', import.meta.url).pathname;
const HITS = 5000;
const ROUNDS = 5;
const ROUND_TRIPS = 2000;

/**
 * Hits per second from the resume to the last hit, as gdb's figure below is timed.
 * @param {string} yaml
 * @param {'hit' | 'fault'} kind the timeline event each hit leaves
 */
async function clientRate(yaml, kind) {
  const result = await runScenario(benchScenario('bench.yaml', yaml));
  const last = result.timeline.events.findLast((e) => e.kind === kind);
  if (result.verdicts.some((v) => v.status !== 'passed')) throw new Error(`bench run failed: ${JSON.stringify(result.verdicts)}`);
  if (!last) throw new Error(`bench run left no ${kind} event`);
  return HITS / (last.t / 1000);
}

/** GNU gdb with `commands; silent; continue; end`, timed from its first continue to the end of the loop. */
async function gdbRate() {
  const dir = mkdtempSync(join(tmpdir(), 'vitest-guest-bench-'));
  const socket = join(dir, 'gdb.sock');
  const qemu = spawn('qemu-system-x86_64', ['-M', 'pc', '-accel', 'tcg', '-nodefaults', '-display', 'none', '-no-reboot', '-S', '-serial', 'none',
    '-chardev', `socket,id=g,path=${socket},server=on,wait=off`, '-gdb', 'chardev:g',
    '-device', 'isa-debug-exit,iobase=0xf4,iosize=4', '-kernel', KERNEL, '-append', `loop=${HITS} exit=0`], { stdio: 'ignore' });
  try {
    const script = join(dir, 'count.gdb');
    writeFileSync(script, [
      'set pagination off', 'set confirm off', `target remote ${socket}`,
      'break guest_loop_target', 'commands', 'silent', 'continue', 'end',
      // kprintf first runs for "loop done", right after the last call.
      // `info breakpoints` says how often gdb stopped at each: the round counts only if it saw every call.
      'break kprintf', 'commands', 'silent', 'python print("elapsed_s", time.monotonic() - t0)', 'info breakpoints', 'kill', 'end',
      'python import time', 'python t0 = time.monotonic()', 'continue',
    ].join('\n'));
    await waitForSocket(socket);
    // SIGKILL: gdb 13 was seen spinning at 100% CPU with its target gone, deaf to SIGTERM.
    const { stdout } = await promisify(execFile)('gdb', ['-batch', '-nx', '-x', script, KERNEL], { timeout: 60_000, killSignal: 'SIGKILL' }).catch((e) => e);
    const elapsed = Number(/elapsed_s ([\d.]+)/.exec(stdout ?? '')?.[1]);
    if (!elapsed) throw new Error(`gdb gave no timing:\n${stdout}`);
    const hits = Number(/guest_loop_target[^\n]*\n\s*breakpoint already hit (\d+) time/.exec(stdout)?.[1]);
    if (hits !== HITS) throw new Error(`gdb counted ${hits} hits of guest_loop_target, not ${HITS}:\n${stdout}`);
    return HITS / elapsed;
  } finally {
    qemu.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** @param {string} path */
async function waitForSocket(path) {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(true)); // EADDRINUSE: QEMU is listening there
      probe.listen(path, () => { probe.close(); resolve(false); });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`QEMU did not open ${path}`);
}

/** Median `p` round trip on a paused guest. */
async function roundTripMicros() {
  const dir = mkdtempSync(join(tmpdir(), 'vitest-guest-bench-'));
  const path = join(dir, 'gdb.sock');
  const server = createServer();
  await new Promise((r) => server.listen(path, () => r(undefined)));
  /** @type {Promise<import('node:net').Socket>} */
  const connected = new Promise((r) => server.once('connection', r));
  const qemu = spawn('qemu-system-x86_64', ['-M', 'pc', '-accel', 'tcg', '-nodefaults', '-display', 'none', '-S',
    '-chardev', `socket,id=g,path=${path}`, '-gdb', 'chardev:g', '-kernel', KERNEL], { stdio: 'ignore' });
  try {
    const target = await GdbTarget.attach(new GdbClient(await connected));
    const samples = [];
    for (let i = 0; i < ROUND_TRIPS; i++) {
      const start = process.hrtime.bigint();
      await target.readRegister('rip');
      samples.push(Number(process.hrtime.bigint() - start) / 1000);
    }
    return statistic('median', samples);
  } finally {
    qemu.kill('SIGKILL');
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Interleaves client and gdb rounds so machine load affects both alike; reports medians. */
export async function* breakpointBenchmarks() {
  const counting = `
name: bench
guest: { kernel: ${KERNEL}, cmdline: 'loop=${HITS} exit=0' }
timeout: 300
exit: { debug-exit: 0 }
expect:
  - breakpoint: guest_loop_target
    count: ${HITS}
`;
  const faulting = `
name: bench-faults
guest: { kernel: ${KERNEL}, cmdline: 'loop=${HITS} exit=0' }
timeout: 300
exit: { debug-exit: 0 }
faults:
  - function: guest_loop_target
    return: 0
`;
  const client = [];
  /** @type {number[]} */
  const gdb = [];
  const faults = [];
  for (let round = 0; round < ROUNDS; round++) {
    client.push(await clientRate(counting, 'hit'));
    // A gdb round that hangs or fails is reported and left out; the medians need only the others.
    await gdbRate().then((rate) => gdb.push(rate), (error) => console.error(`gdb round ${round + 1} failed: ${error.message.split('\n')[0]}`));
    faults.push(await clientRate(faulting, 'fault'));
  }
  const ours = statistic('median', client);
  if (gdb.length === 0) throw new Error('every gdb round failed');
  const theirs = statistic('median', gdb);
  yield ['breakpoint_hits_per_s', Math.round(ours)];
  yield ['gdb_breakpoint_hits_per_s', Math.round(theirs)];
  yield ['breakpoint_speedup_vs_gdb', (ours / theirs).toFixed(2)];
  yield ['fault_injections_per_s', Math.round(statistic('median', faults))];
  yield ['rsp_round_trip_us', Math.round(await roundTripMicros())];
}
