// Whether a QEMU binary loads the TCG plugin, asked once per binary (and per build of either) in a process:
// QEMU is started with no machine, the plugin installs with probe=on and says so, and `quit` ends it.
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the plugin's shared object is (by default plugin/build/vitest-guest.so of the package), or `off`:
 * every breakpoint through the GDB stub, each hit a stop (its exact time, the stub's own behaviour).
 */
export const PLUGIN_ENV = 'VITEST_GUEST_PLUGIN';
const PROBE_TIMEOUT_MS = 10_000;

/** `chosen`: the user turned the plugin off; nothing to warn about. */
export type PluginProbe = { usable: true; library: string } | { usable: false; why: string; chosen?: boolean };

const probes = new Map<string, Promise<PluginProbe>>();

/** The plugin's shared object: VITEST_GUEST_PLUGIN, or plugin/build/ in the package this module is part of. */
export function pluginLibrary(): string {
  const fromEnv = process.env[PLUGIN_ENV];
  if (fromEnv) return fromEnv;
  // src/plugin/ when run from the sources, dist/src/plugin/ when built: the package root holds plugin/.
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'plugin', 'vitest-guest.c'))) return join(dir, 'plugin', 'build', 'vitest-guest.so');
  }
  return join('plugin', 'build', 'vitest-guest.so');
}

export function probePlugin(binary: string): Promise<PluginProbe> {
  if (process.env[PLUGIN_ENV] === 'off') return Promise.resolve({ usable: false, why: `${PLUGIN_ENV}=off`, chosen: true });
  const library = pluginLibrary();
  const stamp = (path: string): string => { try { return String(statSync(path).mtimeMs); } catch { return 'missing'; } };
  const key = `${binary}\0${stamp(binary)}\0${library}\0${stamp(library)}`;
  let probe = probes.get(key);
  if (!probe) probes.set(key, (probe = runProbe(binary, library)));
  return probe;
}

async function runProbe(binary: string, library: string): Promise<PluginProbe> {
  if (!existsSync(library)) return { usable: false, why: `${library} is not built (run \`make -C plugin\` in the vitest-guest package, or scripts/setup.sh)` };
  // Loaded here, by the runs that count breakpoints: ~75 ms a Vitest worker that runs none does not pay.
  const { execa } = await import('execa');
  const result = await execa(binary, ['-M', 'none', '-nodefaults', '-display', 'none', '-S', '-monitor', 'stdio', '-plugin', `${library},probe=on`], {
    input: 'quit\n', timeout: PROBE_TIMEOUT_MS, reject: false, stripFinalNewline: true,
  });
  if (/vitest-guest plugin: API \d+/.test(String(result.stdout))) return { usable: true, library };
  const said = String(result.stderr).split('\n').map((line) => line.trim()).find(Boolean);
  const why = said ? said.replace(`${binary}: `, '') : result.timedOut ? `no answer within ${PROBE_TIMEOUT_MS / 1000} s` : `exit status ${result.exitCode ?? result.signal}`;
  return { usable: false, why: `${binary} does not load the TCG plugin: ${why}` };
}
