// Console parsing speed and memory: LineSplitter + guest result parser on generated guest output.
//   parse_mb_per_s          uktest output (ukdebug prefixes, failures, summaries), 256 MB fed in 64 KiB chunks
//   parse_peak_rss_mb       peak RSS of a fresh process streaming 1 GiB of a 0.17-style crash loop
//   parse_rss_growth_mb     RSS growth over the second half of that stream (the first settles the GC
//                           heap): 0 when memory is flat
//   crashloop_mb_per_s      the same 1 GiB stream's speed
// Output is generated on the fly from one block repeated, never written to disk.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LineSplitter } from '../dist/src/timeline/line-splitter.js';
import { createGuestResultParser } from '../dist/src/results/guest-result-parser.js';

const CHUNK = 64 * 1024;
const MB = 1e6;
const MIB = 1024 * 1024;

/**
 * About 1 MiB of uktest output: 12 cases a suite, 6 assertions a case, 1 in 97 failing, ukdebug lines
 * between, the summary at the end; with the number of cases that fail in it.
 */
function uktestBlock() {
  /** @type {string[]} */
  const lines = [];
  let size = 0;
  /** @param {string} line */
  const add = (line) => {
    lines.push(line);
    size += line.length + 2;
  };
  /** @param {string} message */
  const dots = (message) => `\t${message} ${'.'.repeat(Math.max(1, 80 - message.length))} `;
  const counts = { cases: 0, failedCases: 0, assertions: 0, failed: 0 };
  for (let suite = 0; size < MIB; suite++) {
    for (let c = 0; c < 12; c++) {
      add(`test:\u001b[0m bench_${suite}_testsuite->test_case_${c}${c % 3 === 0 ? ': does a thing' : ''}`);
      let caseFailed = false;
      for (let a = 0; a < 6; a++) {
        const failed = (suite + c + a) % 97 === 0;
        add(dots(`expected \`ret_${a}\` to be ${a} ${failed ? 'but' : 'and'} was ${failed ? -1 : a}`) + (failed ? '[ FAILED ]' : '[ PASSED ]'));
        if (failed) add(`\t  in test_bench.c]:${40 + a}]`);
        counts.assertions++;
        counts.failed += failed ? 1 : 0;
        caseFailed ||= failed;
      }
      counts.cases++;
      counts.failedCases += caseFailed ? 1 : 0;
      add(`[    0.${String(100000 + c).padStart(6, '0')}] Info: [libvfscore] <mount.c @  ${100 + c}> mounted fs ${c}`);
    }
  }
  add(`[    0.104210] Info: [libuktest] <test.c @   92> uktest:cases:      ${counts.failedCases} failed\u001b[0m, ${counts.cases} total`);
  add(`[    0.104210] Info: [libuktest] <test.c @  104> uktest:assertions: ${counts.failed} failed\u001b[0m, ${counts.assertions} total`);
  return { bytes: Buffer.from(`${lines.join('\r\n')}\r\n`), failedCases: counts.failedCases };
}

/** 1 MiB of a 0.17 trap dump that never stops: the dumper faulting again inside itself. */
function crashLoopBlock() {
  const trace = '[    0.105127] CRIT: [libkvmplat] ';
  const regs = ['RAX: fffffffffffffff2 RBX: 0000000000000000 RCX: 00000000001e8480', 'RDX: 0000000000000003 RSI: 000000000013fe28 RDI: 0000000000000000',
    'RBP: 000000000013fe80 R08: 0000000000000001 R09: 0000000000000000', 'R10: 0000000000000000 R11: 0000000000000246 R12: 0000000000118000',
    'R13: 0000000000000000 R14: 0000000000000000 R15: 0000000000000000'];
  const dump = [
    `${trace}<traps.c @  88> Unhandled Trap 14 (page fault), error code=0x0`,
    `${trace}<trace.c @   41> RIP: 0000000000134e60 CS: 0008`,
    `${trace}<trace.c @   43> RSP: 000000000013fe90 SS: 0010 EFLAGS: 0000000000010046`,
    ...regs.map((r) => `${trace}<trace.c @   46> ${r}`),
    `${trace}<trace.c @   90> base is 0x13fe80 caller is 0x134f2a`,
    `${trace}<traps.c @ 113> Crashing`,
  ].join('\n');
  return Buffer.from(`${dump}\n`.repeat(Math.ceil(MIB / (dump.length + 1))).slice(0, MIB));
}

/**
 * Feeds `block` `times` times in 64 KiB chunks; returns the seconds taken and the parser's summary.
 * @param {Buffer} block
 * @param {number} times
 * @param {(i: number) => void} [afterEach] called after each time, with its index
 */
function stream(block, times, afterEach = () => {}) {
  const splitter = new LineSplitter();
  const parser = createGuestResultParser({ format: 'auto' });
  const start = process.hrtime.bigint();
  for (let i = 0; i < times; i++) {
    for (let at = 0; at < block.length; at += CHUNK) {
      for (const line of splitter.push(block.subarray(at, at + CHUNK), 0)) parser.feedLine(line.text);
    }
    afterEach(i);
  }
  for (const line of splitter.end(0)) parser.feedLine(line.text);
  parser.finish();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, summary: parser.summary() };
}

/** @typedef {{ peak: number, growth: number, mbPerS: number, crashes: number }} CrashLoopFigures bytes, bytes, MB/s */

/** In a fresh process, so RSS reflects the stream alone. */
function crashLoopChild() {
  if (!process.send) throw new Error('crashloop-child reports to the parse benchmark that forks it, over IPC: run `npm run bench -- parse`');
  const block = crashLoopBlock();
  let halfway = 0;
  let secondHalfPeak = 0;
  const { seconds, summary } = stream(block, 1024, (i) => {
    const rss = process.memoryUsage.rss();
    if (i === 511) halfway = rss;
    if (i > 511) secondHalfPeak = Math.max(secondHalfPeak, rss);
  });
  const peak = process.resourceUsage().maxRSS * 1024;
  /** @type {CrashLoopFigures} */
  const result = { peak, growth: secondHalfPeak - halfway, mbPerS: (block.length * 1024) / MB / seconds, crashes: summary.crashes };
  process.send(result, () => process.disconnect());
}

export async function* parseBenchmarks() {
  const { bytes: block, failedCases } = uktestBlock();
  const times = Math.ceil((256 * MB) / block.length);
  stream(block, 8); // warm-up: let the JIT settle before timing
  const { seconds, summary } = stream(block, times);
  // Figures of a parser that stopped seeing cases would mean nothing.
  if (summary.failed !== times * failedCases) throw new Error(`bench: unexpected parse result ${JSON.stringify(summary)}`);
  yield ['parse_mb_per_s', Math.round((block.length * times) / MB / seconds)];
  const child = fork(fileURLToPath(import.meta.url), ['crashloop-child'], { stdio: 'inherit' });
  /** @type {CrashLoopFigures} */
  const result = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`crash-loop child exited with ${code}`)));
  });
  if (result.crashes !== 1) throw new Error(`bench: the endless dump was read as ${result.crashes} crashes, not 1`);
  yield ['parse_peak_rss_mb', Math.round(result.peak / MIB)];
  yield ['parse_rss_growth_mb', Math.round(result.growth / MIB)];
  yield ['crashloop_mb_per_s', Math.round(result.mbPerS)];
}

if (process.argv[2] === 'crashloop-child') crashLoopChild();
