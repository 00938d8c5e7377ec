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
import { ARCH_PROFILES } from '../dist/src/arch/profiles.js';
import { PLUGIN_ENV } from '../dist/src/plugin/plugin-probe.js';
import { benchScenario } from './scenario.mjs';
import { guestStubBenchmarks } from './guest-stub.mjs';

/** @param {import('../dist/src/arch/profiles.js').Arch} arch */
const kernelOf = (arch) => new URL(`../guests/reference/build/${arch}/reference.elf`, import.meta.url).pathname;
const KERNEL = kernelOf('x86_64');
/** The GNU gdb each architecture is compared with: Debian's gdb is built for the host only. */
const GDB = { x86_64: 'gdb', aarch64: 'gdb-multiarch', riscv64: 'gdb-multiarch' };
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

/**
 * The machine a scenario on `arch` boots by default (its profile's machine type and TCG CPU) and the device
 * or semihosting that lets the guest's `exit=0` end QEMU.
 * @param {import('../dist/src/arch/profiles.js').Arch} arch
 */
function machineArgs(arch) {
  const profile = ARCH_PROFILES[arch];
  const exit = profile.statusExit.kind === 'isa-debug-exit'
    ? ['-device', `isa-debug-exit,iobase=0x${profile.statusExit.iobase.toString(16)},iosize=${profile.statusExit.iosize}`] : [];
  return ['-M', profile.defaults.type, '-cpu', profile.defaultCpu.tcg, ...exit, ...(profile.semihosting ? ['-semihosting-config', 'enable=on,target=native'] : [])];
}

/**
 * GNU gdb with `commands; silent; continue; end`, timed from its first continue to the end of the loop.
 * @param {import('../dist/src/arch/profiles.js').Arch} arch
 */
async function gdbRate(arch) {
  const dir = mkdtempSync(join(tmpdir(), 'vitest-guest-bench-'));
  const socket = join(dir, 'gdb.sock');
  const kernel = kernelOf(arch);
  const qemu = spawn(ARCH_PROFILES[arch].qemuBinary, [...machineArgs(arch), '-accel', 'tcg', '-nodefaults', '-display', 'none', '-no-reboot', '-S', '-serial', 'none',
    '-chardev', `socket,id=g,path=${socket},server=on,wait=off`, '-gdb', 'chardev:g', '-kernel', kernel, '-append', `loop=${HITS} exit=0`], { stdio: 'ignore' });
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
    const { stdout } = await promisify(execFile)(GDB[arch], ['-batch', '-nx', '-x', script, kernel], { timeout: 60_000, killSignal: 'SIGKILL' }).catch((e) => e);
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

/**
 * Interleaves client and gdb rounds so machine load affects both alike; reports medians, named with the
 * architecture's prefix (none for x86_64, whose figures came first).
 * @param {import('../dist/src/arch/profiles.js').Arch} arch
 * @returns {AsyncGenerator<[string, number | string]>}
 */
async function* archBenchmarks(arch) {
  const kernel = kernelOf(arch);
  const exit = ARCH_PROFILES[arch].statusExit.kind === 'isa-debug-exit' ? '{ debug-exit: 0 }' : '{ status: 0 }';
  const counting = `
name: bench
machine: { arch: ${arch} }
guest: { kernel: ${kernel}, cmdline: 'loop=${HITS} exit=0' }
timeout: 300
exit: ${exit}
expect:
  - breakpoint: guest_loop_target
    count: ${HITS}
`;
  const faulting = `
name: bench-faults
machine: { arch: ${arch} }
guest: { kernel: ${kernel}, cmdline: 'loop=${HITS} exit=0' }
timeout: 300
exit: ${exit}
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
    await gdbRate(arch).then((rate) => gdb.push(rate), (error) => console.error(`${arch} gdb round ${round + 1} failed: ${error.message.split('\n')[0]}`));
    faults.push(await clientRate(faulting, 'fault'));
  }
  const ours = statistic('median', client);
  if (gdb.length === 0) throw new Error(`every ${arch} gdb round failed`);
  const theirs = statistic('median', gdb);
  const prefix = arch === 'x86_64' ? '' : `${arch}_`;
  yield [`${prefix}breakpoint_hits_per_s`, Math.round(ours)];
  yield [`${prefix}gdb_breakpoint_hits_per_s`, Math.round(theirs)];
  yield [`${prefix}breakpoint_speedup_vs_gdb`, (ours / theirs).toFixed(2)];
  yield [`${prefix}fault_injections_per_s`, Math.round(statistic('median', faults))];
}

/**
 * The figures for each architecture, the RSP round trip (x86_64), then KGDB beside QEMU's stub on a Linux
 * function (guest-stub.mjs). These are the GDB stub's: a breakpoint
 * that only counts would otherwise go to the TCG plugin, which never stops the guest.
 */
export async function* breakpointBenchmarks() {
  const plugin = process.env[PLUGIN_ENV];
  process.env[PLUGIN_ENV] = 'off';
  try {
    for (const arch of /** @type {const} */ (['x86_64', 'aarch64', 'riscv64'])) yield* archBenchmarks(arch);
    yield ['rsp_round_trip_us', Math.round(await roundTripMicros())];
    yield* guestStubBenchmarks();
  } finally {
    if (plugin === undefined) delete process.env[PLUGIN_ENV];
    else process.env[PLUGIN_ENV] = plugin;
  }
}
