// Headless Chromium (Debian's `chromium`) for end-to-end tests of the HTML reports.
import { execFileSync } from 'node:child_process';

/** Like QEMU, Chromium is a system package the tests need: without it they fail and say how to get it. */
export function requireChromium(): void {
  try {
    execFileSync('chromium', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('chromium is not installed: run `bash scripts/setup.sh` as root, or apt-get install --no-install-recommends chromium.');
  }
}

/**
 * Runs `chromium --headless` on `args`, with a profile in `profileDir` (so nothing lands in $HOME);
 * returns what it printed on stdout (`--dump-dom` prints the DOM there).
 */
export function headlessChromium(args: string[], profileDir: string): string {
  return execFileSync('chromium', ['--headless', '--no-sandbox', '--disable-gpu', `--user-data-dir=${profileDir}`, ...args], {
    encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 16 * 1024 * 1024,
  });
}
