// Memory under a flood: the reference guest prints 1 GiB on the virtio console (its transmit queue, the
// fastest channel it has) and the run, in a fresh process, must stay flat. QEMU's virtconsole drops what
// the reader cannot take at once (no flow control on port 0), so what arrived is printed too.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const GUEST_BYTES = 1024 ** 3;
const MB = 1024 * 1024;

export async function* floodBenchmarks() {
  const script = new URL('./flood-run.mjs', import.meta.url).pathname;
  const { stdout } = await promisify(execFile)('node', [script, String(GUEST_BYTES)], { timeout: 900_000, maxBuffer: 1024 * 1024 });
  const run = JSON.parse(stdout.trim().split('\n').at(-1));
  yield ['flood_guest_mb', GUEST_BYTES / MB];
  yield ['flood_received_mb', Math.round(run.receivedBytes / MB)];
  yield ['flood_received_mb_per_s', Math.round(run.receivedBytes / MB / run.seconds)];
  yield ['flood_peak_rss_mb', Math.round(run.peakRssBytes / MB)];
}
