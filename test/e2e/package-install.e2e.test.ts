// The package as npm ships it: every relative link of its README and docs names a file in the tarball,
// and a fresh `npm init -y` project (CommonJS) runs a scenario with the README's config, named
// vitest.config.mts as the README says, without the warning Vite gives for the same config as .ts.
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

  test("installed from its tarball into a fresh CommonJS project, the README's config runs a scenario as vitest.config.mts, with no ESM warning", async () => {
    const { stdout } = await execa('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', WORK], { cwd: REPO });
    const tarball = join(WORK, (JSON.parse(stdout) as [{ filename: string }])[0].filename);
    const project = join(WORK, 'project');
    mkdirSync(join(project, 'scenarios'), { recursive: true });
    mkdirSync(join(project, 'guests'));
    await execa('npm', ['init', '-y'], { cwd: project });
    // What npm init -y writes since npm 10.9; said here so that the test does not rest on npm's version.
    const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(project, 'package.json'), JSON.stringify({ ...manifest, type: 'commonjs' }, null, 2));
    const vitestVersion = (JSON.parse(readFileSync(join(REPO, 'node_modules/vitest/package.json'), 'utf8')) as { version: string }).version;
    await execa('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, `vitest@${vitestVersion}`], { cwd: project });
    expect(existsSync(join(project, 'node_modules/vitest-guest/docs/scenario-format.md'))).toBe(true);

    copyFileSync(REFERENCE_KERNEL, join(project, 'guests/reference.elf'));
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
  }, 240_000);
});
