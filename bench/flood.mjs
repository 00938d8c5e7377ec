// Memory under a flood: the reference guest prints 1 GiB on the virtio console (its transmit queue, the
// fastest channel it has) and the run, in a fresh process, must stay flat. Unpaced, QEMU takes the guest's
// buffers at over 1 GB/s and its virtconsole drops what its chardev cannot take at once (no flow control on
// a console port): over sockets most of it never arrived; the file chardev takes it all. The main figures
// come from a guest paced at 32 MiB/s; the unpaced run's figures follow.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const GUEST_BYTES = 1024 ** 3;
const PACED_MIB_PER_S = 32;
const MB = 1024 * 1024;

/** @typedef {{ seconds: number, receivedBytes: number, peakRssBytes: number }} FloodRun what flood-run.mjs prints last */

/**
 * @param {number} rate the guest's pace in MiB/s, 0 for unpaced
 * @returns {Promise<FloodRun>}
 */
async function floodRun(rate) {
  const script = new URL('./flood-run.mjs', import.meta.url).pathname;
  const { stdout } = await promisify(execFile)('node', [script, String(GUEST_BYTES), String(rate)], { timeout: 900_000, maxBuffer: 1024 * 1024 });
  const output = stdout.trimEnd();
  return JSON.parse(output.slice(output.lastIndexOf('\n') + 1));
}

export async function* floodBenchmarks() {
  const paced = await floodRun(PACED_MIB_PER_S);
  yield ['flood_guest_mb', GUEST_BYTES / MB];
  yield ['flood_received_mb', Math.round(paced.receivedBytes / MB)];
  yield ['flood_received_mb_per_s', Math.round(paced.receivedBytes / MB / paced.seconds)];
  yield ['flood_peak_rss_mb', Math.round(paced.peakRssBytes / MB)];
  const unpaced = await floodRun(0);
  yield ['flood_unpaced_received_mb', Math.round(unpaced.receivedBytes / MB)];
  yield ['flood_unpaced_peak_rss_mb', Math.round(unpaced.peakRssBytes / MB)];
}
