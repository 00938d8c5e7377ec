// The boot timeline reporter on real runs: the real Vitest CLI writes the pages, headless Chromium draws them.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, requireQemuAndGuest } from './support/host.js';
import { runVitest, type VitestRun } from './support/run-vitest.js';
import { headlessChromium, requireChromium } from './support/chromium.js';
import { decodePng, pixelsOf } from './support/png.js';
import { STAGE_COLOURS } from '../../reporters/html/stage-rows.js';

const out = mkdtempSync(join(tmpdir(), 'vg-timeline-'));
const profile = join(out, 'chromium-profile');
let run: VitestRun;

beforeAll(async () => {
  requireQemuAndGuest();
  requireChromium();
  // No outputDir: the pages go beside the junit file.
  run = await runVitest(['scenarios/boot-timing.yaml', '--reporter=default', '--reporter=./reporters/timeline-reporter.ts', '--reporter=junit', `--outputFile.junit=${join(out, 'junit.xml')}`]);
}, 180_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

const count = (text: string, pattern: RegExp): number => text.match(pattern)?.length ?? 0;

describe('vitest run with the timeline reporter', () => {
  const page = (name: string): string => join(out, `scenarios-boot-timing--${name}.html`);

  test('writes a page per scenario and the index beside the junit file, and says where', () => {
    expect(run.exitCode, run.plain).toBe(0);
    expect(run.plain).toMatch(new RegExp(`^boot timelines of \\d+ scenarios: ${join(out, 'index.html')}$`, 'm'));
    for (const file of ['junit.xml', 'index.html', 'scenarios-boot-timing--boot-timing.html', 'scenarios-boot-timing--boot-timing-repeated.html']) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
  });

  test('Chromium parses the scenario page into an SVG with a bar per stage and a titled mark per event', () => {
    const html = readFileSync(page('boot-timing'), 'utf8');
    const dom = headlessChromium(['--dump-dom', `file://${page('boot-timing')}`], profile);
    expect(dom).toContain('<svg xmlns="http://www.w3.org/2000/svg" class="timeline"');
    for (const stage of ['firmware', 'bootloader', 'kernel', 'userspace']) expect(dom).toContain(`class="stage-bar stage-${stage}"`);
    // Everything the file has made it into the DOM: no element swallowed by a parse error.
    expect(count(dom, /<rect class="stage-bar /g)).toBe(4);
    expect(count(dom, /<rect class="mark /g)).toBe(count(html, /<rect class="mark /g));
    expect(count(dom, /<title>/g)).toBe(count(html, /<title>/g));
    expect(dom).toMatch(/<rect class="mark kind-line met"[^>]*><title>line at \+[\d.]+ ms: console "userspace ready" \(expect\[0\]\)\nmet expect\[0\]: console "userspace ready"<\/title><\/rect>/);
  });

  test('the repeated scenario page draws the spread of each stage', () => {
    const dom = headlessChromium(['--dump-dom', `file://${page('boot-timing-repeated')}`], profile);
    expect(count(dom, /<g class="stage-spread /g)).toBe(4);
    expect(dom).toMatch(/<title>kernel over 5 runs: starts at \+[\d.]+ ms median/);
  });

  test('the index links every scenario page', () => {
    const dom = headlessChromium(['--dump-dom', `file://${join(out, 'index.html')}`], profile);
    expect(dom).toContain('<a href="scenarios-boot-timing--boot-timing.html">boot-timing</a>');
    expect(dom).toContain('<a href="scenarios-boot-timing--boot-timing-repeated.html">boot-timing-repeated</a>');
    expect(dom).toContain('<td>scenarios/boot-timing.yaml</td>');
  });

  test('a screenshot of the page shows the stage bars in their colours', () => {
    const png = join(out, 'boot-timing.png');
    headlessChromium([`--screenshot=${png}`, '--window-size=1200,600', `file://${page('boot-timing')}`], profile);
    const image = decodePng(readFileSync(png));
    expect([image.width, image.height]).toEqual([1200, 600]);
    // A bar is 18 px high and as wide as its stage lasted, as the page says: at least its inner part
    // (corners rounded, edges anti-aliased) is drawn in its colour. Stages are host-clock figures, and a
    // loaded CI runner once read the 20 ms firmware stage so short that its bar was 2 px wide: bars that
    // narrow are left out, but the 600 ms kernel stage is always wide enough to be checked.
    const html = readFileSync(page('boot-timing'), 'utf8');
    const widthOf = (stage: string): number => Number(new RegExp(`<rect class="stage-bar stage-${stage}"[^>]* width="([\\d.]+)"`).exec(html)?.[1]);
    expect(widthOf('kernel')).toBeGreaterThan(20);
    for (const stage of ['firmware', 'bootloader', 'kernel', 'userspace'] as const) {
      const width = widthOf(stage);
      if (width >= 8) expect(pixelsOf(image, STAGE_COLOURS[stage]), `${stage}, ${width} px wide`).toBeGreaterThanOrEqual((width - 6) * 10);
    }
  });

  test("a failed scenario's row in the index says why: its first failure's test and reason", async () => {
    const failing = join(out, 'failing');
    const failed = await runVitest(['scenarios/failing/wrong-exit.yaml', '--reporter=default', '--reporter=./reporters/timeline-reporter.ts', '--reporter=junit', `--outputFile.junit=${join(failing, 'junit.xml')}`]);
    expect(failed.exitCode, failed.plain).toBe(1);
    const index = readFileSync(join(failing, 'index.html'), 'utf8');
    expect(index).toMatch(/<td><span class="verdict failed">failed<\/span><\/td>.*<td class="failure" title="[^"]+">exit debug-exit 0 \(status 1\): expected debug-exit value 0 \(QEMU status 1\), got debug-exit value 3 \(QEMU status 7\)<\/td><\/tr>/);
  });

  test("npm run demo's config draws the pages under reports/timeline/ and ends by saying where the index is", async () => {
    const started = Date.now();
    const demo = await runVitest(['scenarios/hello.yaml']);
    expect(demo.exitCode, demo.plain).toBe(0);
    expect(demo.plain.trimEnd().split('\n').at(-1)).toBe('boot timelines of 1 scenario: reports/timeline/index.html');
    const index = join(REPO, 'reports/timeline/index.html');
    expect(statSync(index).mtimeMs).toBeGreaterThanOrEqual(started - 1000);
    expect(readFileSync(index, 'utf8')).toContain('href="scenarios-hello--hello.html"');
    expect(existsSync(join(REPO, 'reports/timeline/scenarios-hello--hello.html'))).toBe(true);
  });
});
