// Breakpoint hits through Linux's own KGDB beside QEMU's stub: the same kernel (guests/kgdb), the same function
// and the same shell command, rounds interleaved so machine load affects both alike.
import { runScenario } from '../dist/src/runner/run-scenario.js';
import { statistic } from '../dist/src/match/timing.js';
import { benchScenario } from './scenario.mjs';

const BUILD = new URL('../guests/kgdb/build/', import.meta.url).pathname;
const INITRD = new URL('../guests/linux/build/initramfs.cpio', import.meta.url).pathname;
/** dd copies one byte at a time: one write(2), so one ksys_write, per byte. */
const WRITES = 2000;
const ROUNDS = 3;

/** @param {boolean} kgdb */
function scenario(kgdb) {
  return `
name: bench-${kgdb ? 'kgdb' : 'qemu'}
guest:
  kernel: ${BUILD}bzImage
  initrd: ${INITRD}
  symbols: ${BUILD}System.map
  cmdline: 'console=ttyS0 nokaslr rodata=off panic=-1${kgdb ? ' kgdboc=ttyS1,115200 kgdbwait' : ''}'
machine: { memory: 256M }
${kgdb ? 'debugger: { stub: guest, channel: serial1 }' : ''}
timeout: 300
expect:
  - console: '/ # '
  - send: "dd if=/dev/zero of=/dev/null bs=1 count=${WRITES}\\n"
    id: copy
  - breakpoint: ksys_write
    after: copy
    count: { min: ${WRITES} }
`;
}

/** Hits per second from the first counted hit to the one that met the count. @param {boolean} kgdb */
async function rate(kgdb) {
  const result = await runScenario(benchScenario('bench-guest-stub.yaml', scenario(kgdb)));
  if (result.verdicts.some((v) => v.status !== 'passed')) throw new Error(`bench run failed: ${JSON.stringify(result.verdicts)}`);
  // From the first counted hit (the first after the send, kept at the timeline's head) to the one that met
  // the count (the verdict's time): the timeline keeps its first and last 1,000 events, so hits in between
  // are not all on it.
  const [, sent, counted] = result.verdicts;
  if (sent?.status !== 'passed' || counted?.status !== 'passed') throw new Error('bench run: no times for the send and the count');
  const first = result.timeline.events.find((e) => e.kind === 'hit' && e.t >= sent.t);
  if (!first) throw new Error('bench run: no hit after the send on the timeline');
  return (WRITES - 1) / ((counted.t - first.t) / 1000);
}

/**
 * Both through a GDB stub that stops at each hit (the caller keeps the TCG plugin off, which would count
 * QEMU's side without stopping).
 * @returns {AsyncGenerator<[string, number | string]>}
 */
export async function* guestStubBenchmarks() {
  const kgdb = [];
  const qemu = [];
  for (let round = 0; round < ROUNDS; round++) {
    kgdb.push(await rate(true));
    qemu.push(await rate(false));
  }
  const ours = statistic('median', kgdb);
  const theirs = statistic('median', qemu);
  yield ['kgdb_breakpoint_hits_per_s', Math.round(ours)];
  yield ['kgdb_qemu_stub_hits_per_s', Math.round(theirs)];
  yield ['kgdb_vs_qemu_stub', (ours / theirs).toFixed(2)];
}
