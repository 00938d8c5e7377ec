// A Vitest reporter writing each scenario's boot timeline as an HTML page, and a summary page linking them.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Reporter, TestModule, Vitest } from 'vitest/node';
import type { TimelineRecord } from '../src/report/timeline-record.js';
import { timelinePage } from './html/timeline-html.js';
import { timelineIndexPage, type TimelineIndexEntry } from './html/timeline-index-html.js';

export interface TimelineReporterOptions {
  /** Where the pages go, relative to the Vitest root. Default: beside the junit output, else `vitest-guest-timeline/`. */
  outputDir?: string;
}

interface Logger {
  log(...args: unknown[]): void;
}

const DEFAULT_DIR = 'vitest-guest-timeline';

export class TimelineReporter implements Reporter {
  private logger: Logger = console;
  private root = process.cwd();
  private dir = DEFAULT_DIR;

  constructor(private readonly options: TimelineReporterOptions = {}) {}

  onInit(vitest: Vitest): void {
    this.logger = vitest.logger;
    this.root = vitest.config.root;
    this.dir = resolve(this.root, this.options.outputDir ?? junitDir(vitest.config.outputFile) ?? DEFAULT_DIR);
  }

  async onTestRunEnd(testModules: ReadonlyArray<TestModule>): Promise<void> {
    const records = testModules.flatMap((m) => [...m.children.allTests()].flatMap((t) => t.meta().vitestGuest?.timeline ?? []));
    // A run of plain tests (or of scenarios that never booted) leaves no empty folder behind.
    if (records.length === 0) return;
    const entries = pageNames(records.map((r) => ({ ...r, file: relative(this.root, r.file) })));
    await mkdir(this.dir, { recursive: true });
    await Promise.all(entries.map(({ record, href }) => writeFile(join(this.dir, href), timelinePage(record))));
    const index = join(this.dir, 'index.html');
    await writeFile(index, timelineIndexPage(entries));
    const shown = relative(this.root, index);
    const scenarios = records.length === 1 ? '1 scenario' : `${records.length} scenarios`;
    this.logger.log(`boot timelines of ${scenarios}: ${shown.startsWith('..') || isAbsolute(shown) ? index : shown}`);
  }
}

/** The folder of the junit reporter's file: `outputFile` is one path for all reporters, or one per reporter. */
function junitDir(outputFile: string | Partial<Record<string, string>> | undefined): string | undefined {
  const file = typeof outputFile === 'string' ? outputFile : outputFile?.junit;
  return file === undefined ? undefined : dirname(file);
}

/** A page per record, named after its file and scenario; a number tells apart names that come out alike. */
function pageNames(records: TimelineRecord[]): TimelineIndexEntry[] {
  const taken = new Set<string>();
  return records.map((record) => {
    const base = slug(`${record.file.replace(/\.ya?ml$/, '')}--${record.scenario}`);
    let href = `${base}.html`;
    for (let n = 2; taken.has(href); n++) href = `${base}-${n}.html`;
    taken.add(href);
    return { record, href };
  });
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 120) || 'scenario';
}

export default TimelineReporter;
