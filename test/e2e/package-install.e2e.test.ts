// The package as npm ships it: every relative link of its README and docs names a file in the tarball;
// a fresh `npm init -y` project (CommonJS) runs a scenario with the README's config, named
// vitest.config.mts as the README says, without the warning Vite gives for the same config as .ts; and
// its export paths (the root, /reporter, /junit, /timeline) import, type-check and report a run there; its
// worker runtime is the build's bundle, whose chunks a run with breakpoints and faults loads.
import { describe, test, expect, beforeAll, afterAll } from 'vitest';
import { execa } from 'execa';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, REFERENCE_KERNEL, requireQemuAndGuest } from './support/host.js';
import { relativeLinks } from './support/markdown-links.js';
import { uktestLines } from './support/run-vitest.js';

const WORK = mkdtempSync(join(tmpdir(), 'vg-package-'));
const ESM_WARNING = 'ESM syntax in a file loaded as CommonJS';

beforeAll(() => {
  requireQemuAndGuest();
  if (!existsSync(join(REPO, 'dist/index.js'))) throw new Error('dist/index.js is missing: run `npm run build` (npm test does it).');
});

afterAll(() => rmSync(WORK, { recursive: true, force: true }));

/** The files `npm pack` puts in the tarball (scripts left out: the build is npm test's job). */
async function shippedFiles(): Promise<Set<string>> {
  const { stdout } = await execa('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO });
  const [pack] = JSON.parse(stdout) as [{ files: { path: string }[] }];
  return new Set(pack.files.map((f) => f.path));
}

const markdownFiles = (): string[] => ['README.md', ...readdirSync(join(REPO, 'docs'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)].sort();

describe('the npm package', () => {
  test('ships README.md and docs/, and every relative link in them names a shipped file', async () => {
    const shipped = await shippedFiles();
    const docs = markdownFiles();
    expect(docs).toContain('docs/scenario-format.md');
    expect(docs.filter((doc) => !shipped.has(doc))).toEqual([]);
    const links = docs.flatMap((doc) => relativeLinks(doc, readFileSync(join(REPO, doc), 'utf8')).map((link) => ({ doc, ...link })));
    expect(links.map((l) => l.file)).toContain('docs/scenario-format.md');
    const dead = links.filter((link) => !shipped.has(link.file)).map((l) => `${l.doc}:${l.line}: ${l.target} (${l.file} is not in the package)`);
    expect(dead).toEqual([]);
  });
});

describe('installed from its tarball into a fresh CommonJS project', () => {
  const project = join(WORK, 'project');

  beforeAll(async () => {
    const { stdout } = await execa('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', WORK], { cwd: REPO });
    const tarball = join(WORK, (JSON.parse(stdout) as [{ filename: string }])[0].filename);
    mkdirSync(join(project, 'scenarios'), { recursive: true });
    mkdirSync(join(project, 'guests'));
    await execa('npm', ['init', '-y'], { cwd: project });
    // What npm init -y writes since npm 10.9; said here so that the test does not rest on npm's version.
    const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(project, 'package.json'), JSON.stringify({ ...manifest, type: 'commonjs' }, null, 2));
    const vitestVersion = (JSON.parse(readFileSync(join(REPO, 'node_modules/vitest/package.json'), 'utf8')) as { version: string }).version;
    await execa('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, `vitest@${vitestVersion}`], { cwd: project });
    copyFileSync(REFERENCE_KERNEL, join(project, 'guests/reference.elf'));
  }, 180_000);

  test("the README's config runs a scenario as vitest.config.mts, with no ESM warning", async () => {
    expect(existsSync(join(project, 'node_modules/vitest-guest/docs/scenario-format.md'))).toBe(true);
    writeFileSync(join(project, 'scenarios/hello.yaml'), [
      'name: hello',
      'guest:',
      '  kernel: ../guests/reference.elf',
      `  cmdline: 'print="Hello from guest" exit=0'`,
      'timeout: 10',
      'exit: { debug-exit: 0 }',
      'expect:',
      '  - console: Hello from guest',
    ].join('\n'));
    const readmeConfig = /```ts\n(\/\/ vitest\.config\.ts\n[\s\S]*?)```/.exec(readFileSync(join(REPO, 'README.md'), 'utf8'))?.[1];
    expect(readmeConfig).toContain("from 'vitest-guest'");
    writeFileSync(join(project, 'vitest.config.ts'), readmeConfig!);
    const vitest = () => execa('npx', ['vitest', 'run'], { cwd: project, reject: false, all: true, env: { FORCE_COLOR: '0' } });

    // The problem the README warns about, so that its absence below means something.
    const asTs = await vitest();
    expect(asTs.all).toContain(ESM_WARNING);

    renameSync(join(project, 'vitest.config.ts'), join(project, 'vitest.config.mts'));
    const asMts = await vitest();
    expect(asMts.exitCode, asMts.all).toBe(0);
    expect(asMts.all).not.toContain(ESM_WARNING);
    expect(uktestLines(asMts.all)).toEqual(['test: hello->console "Hello from guest" ..... PASSED', 'test: hello->exit debug-exit 0 (status 1) ..... PASSED', '2 passed, 0 failed']);
    // The runtime that worker imported is the build's bundle (scripts/bundle-runtime.mjs): of the package's
    // own modules it imports only its chunks, not the ~100 modules tsc wrote.
    const runtime = readFileSync(join(project, 'node_modules/vitest-guest/dist/src/vitest/runtime.js'), 'utf8');
    const ownImports = [...runtime.matchAll(/(?:from|import\()\s*"(\.[^"]+)"/g)].map((m) => m[1]!);
    expect(ownImports).toContainEqual(expect.stringMatching(/^\.\/runtime-chunks\/snapshot-run-[\w-]+\.js$/));
    expect(ownImports.filter((path) => !path.startsWith('./runtime-chunks/'))).toEqual([]);
  }, 120_000);

  test('a breakpoint and a fault run through the chunks the installed runtime loads when a run debugs', async () => {
    mkdirSync(join(project, 'debugging'));
    writeFileSync(join(project, 'debugging/counted.yaml'), [
      'name: counted',
      'guest:',
      '  kernel: ../guests/reference.elf',
      "  cmdline: 'loop=3 check exit=0'",
      'timeout: 10',
      'exit: { debug-exit: 0 }',
      'faults:',
      '  - { function: guest_check_value, return: 7 }',
      'expect:',
      '  - breakpoint: guest_loop_target',
      '    count: 3',
      "  - console: 'guest_check_value() returned 7'",
    ].join('\n'));
    writeFileSync(join(project, 'debugging.config.mts'), [
      "import { defineConfig } from 'vitest/config';",
      "import { vitestGuest } from 'vitest-guest';",
      "export default defineConfig({ plugins: [vitestGuest({ include: ['debugging/*.yaml'] })] });",
    ].join('\n'));
    const run = await execa('npx', ['vitest', 'run', '--config', 'debugging.config.mts', '--reporter=vitest-guest/reporter'], { cwd: project, reject: false, all: true, env: { FORCE_COLOR: '0' } });
    expect(run.exitCode, run.all).toBe(0);
    expect(uktestLines(run.all)).toEqual(['test: counted->breakpoint guest_loop_target hit 3 times ..... PASSED', 'test: counted->console "guest_check_value() returned 7" ..... PASSED', 'test: counted->exit debug-exit 0 (status 1) ..... PASSED', '3 passed, 0 failed']);
  }, 120_000);

  test('its export paths import, type-check with their declarations, and their reporters report a run named on the command line', async () => {
    const badOption = 'const options: TimelineReporterOptions = { outputDir: 1 };';
    writeFileSync(join(project, 'exports.mts'), [
      "import { vitestGuest, runScenario, UktestReporter as RootUktest, TimelineReporter as RootTimeline } from 'vitest-guest';",
      "import UktestReporter from 'vitest-guest/reporter';",
      "import GuestJUnitReporter from 'vitest-guest/junit';",
      "import TimelineReporter, { type TimelineReporterOptions } from 'vitest-guest/timeline';",
      "const reporters = [new UktestReporter(), new GuestJUnitReporter({}), new TimelineReporter({ outputDir: 'timeline' }), new RootUktest(), new RootTimeline()];",
      "console.log(JSON.stringify({ plugin: vitestGuest().name, runScenario: typeof runScenario, reporters: reporters.map((r) => r.constructor.name), rootIsSame: RootUktest === UktestReporter && RootTimeline === TimelineReporter }));",
      badOption,
    ].join('\n'));
    // Compiled against the installed package's declarations (Node's own types from this repo: the fresh
    // project has none): the wrong option type is the one error.
    const tsc = (...args: string[]) => execa(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '--strict', '--skipLibCheck', '--module', 'nodenext',
      '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', join(REPO, 'node_modules/@types'), ...args, 'exports.mts'], { cwd: project, reject: false, all: true });
    const refused = await tsc('--noEmit');
    expect(refused.all.trim().split('\n')).toEqual([expect.stringMatching(/^exports\.mts\(7,\d+\): error TS2322: Type 'number' is not assignable to type 'string'\.$/)]);
    writeFileSync(join(project, 'exports.mts'), readFileSync(join(project, 'exports.mts'), 'utf8').replace(badOption, ''));
    const compiled = await tsc();
    expect(compiled.exitCode, compiled.all).toBe(0);
    const run = await execa(process.execPath, ['exports.mjs'], { cwd: project });
    expect(JSON.parse(run.stdout)).toEqual({ plugin: 'vitest-guest', runScenario: 'function', reporters: ['UktestReporter', 'GuestJUnitReporter', 'TimelineReporter', 'UktestReporter', 'TimelineReporter'], rootIsSame: true });

    // The reporters named by the export paths, as the README's CI step does, on a guest with test cases of its own.
    mkdirSync(join(project, 'cases'));
    writeFileSync(join(project, 'cases/guest-cases.yaml'), [
      'name: guest-cases',
      'guest:',
      '  kernel: ../guests/reference.elf',
      "  cmdline: 'uktest=pass poweroff'",
      'timeout: 10',
      'exit: poweroff',
      'expect:',
      '  - uktest: all',
      '    cases: 5',
    ].join('\n'));
    writeFileSync(join(project, 'cases.config.mts'), [
      "import { defineConfig } from 'vitest/config';",
      "import { vitestGuest } from 'vitest-guest';",
      "export default defineConfig({ plugins: [vitestGuest({ include: ['cases/*.yaml'] })] });",
    ].join('\n'));
    const reported = await execa('npx', ['vitest', 'run', '--config', 'cases.config.mts', '--reporter=vitest-guest/reporter', '--reporter=vitest-guest/junit',
      '--reporter=vitest-guest/timeline', '--outputFile.junit=reports/junit.xml'], { cwd: project, reject: false, all: true, env: { FORCE_COLOR: '0' } });
    expect(reported.exitCode, reported.all).toBe(0);
    // /reporter: the uktest lines, and the guest's cases counted.
    expect(uktestLines(reported.all)).toEqual(['test: guest-cases->uktest all cases passed (5 cases) ..... PASSED', 'test: guest-cases->exit poweroff ..... PASSED', '2 passed, 0 failed']);
    expect(reported.all).toContain('guest cases: 5 passed, 0 failed');
    // /junit: each guest case a test case of its own.
    const names = [...readFileSync(join(project, 'reports/junit.xml'), 'utf8').matchAll(/<testcase classname="cases\/guest-cases.yaml" name="guest-cases &gt; ([^"]+)"/g)].map((m) => m[1]);
    expect(names).toEqual(['uktest all cases passed (5 cases)', 'uktest: ref_arith_testsuite-&gt;test_add', 'uktest: ref_arith_testsuite-&gt;test_mul',
      'uktest: ref_arith_testsuite-&gt;test_shift', 'uktest: ref_io_testsuite-&gt;test_read', 'uktest: ref_io_testsuite-&gt;test_write', 'exit poweroff']);
    // /timeline: the pages beside the junit file.
    expect(reported.all).toContain('boot timelines of 1 scenario: reports/index.html');
    expect(readdirSync(join(project, 'reports')).sort()).toEqual(['cases-guest-cases--guest-cases.html', 'index.html', 'junit.xml']);
  }, 120_000);
});
