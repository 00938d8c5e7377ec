// The result-line formats of scenarios/real/linux-selftests.yaml, on a console log of Debian's kernel
// running its self-test modules (captured from QEMU), and on the failure lines test_bpf.c can print.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { findLineFormat } from '../../src/cli/scenario-formats.js';
import { LineFormatParser, type LineFormat } from '../../src/results/line-format.js';
import { loadScenarioFile } from '../../src/scenario/load.js';

const scenarioPath = fileURLToPath(new URL('../../scenarios/real/linux-selftests.yaml', import.meta.url));
const documents = loadScenarioFile({ displayPath: 'scenarios/real/linux-selftests.yaml', absolutePath: scenarioPath, text: readFileSync(scenarioPath, 'utf8') });

function format(name: string): LineFormat {
  const found = findLineFormat(documents, name, 'linux-selftests.yaml');
  if ('error' in found) throw new Error(found.error);
  return found.format;
}

/** `case status` for each result line, as the run's parser reads them. */
function read(name: string, lines: readonly string[]): string[] {
  const parser = new LineFormatParser(format(name));
  return lines.flatMap((line) => parser.feedLine(line).flatMap((e) => (e.type === 'case-finished' ? [`${e.case.case} ${e.case.status}${e.case.failures[0] && e.case.status === 'failed' ? ` (${e.case.failures[0].message})` : ''}`] : [])));
}

// Clean lines, as the LineSplitter hands them over: no CR.
const log = readFileSync(new URL('../fixtures/line-formats/debian-selftests.log', import.meta.url), 'utf8').replace(/\r/g, '').split('\n');

describe('test_bpf lines', () => {
  test('every case of the captured run, as many as the module\'s own Summary lines count', () => {
    const cases = read('test_bpf', log);
    const summaries = log.flatMap((l) => [...l.matchAll(/Summary: (\d+) PASSED, (\d+) FAILED/g)].map((m) => Number(m[1]) + Number(m[2])));
    expect(summaries).toEqual([524, 296, 10, 2]);
    expect(cases).toHaveLength(832);
    expect(cases.every((c) => c.endsWith(' passed'))).toBe(true);
    expect(cases).toContain('#118 ALU_MUL_X: 2 * 3 = 6 passed');
    // Classic BPF programs the verifier must refuse: no jited: figures before the word.
    expect(cases).toContain('#51 check: div_k_0 passed');
    expect(cases).toContain('#6 Tail call error path, max count reached passed');
  });

  test('the failure lines test_bpf.c prints (run_one, generate_filter, test_tail_calls)', () => {
    expect(read('test_bpf', [
      '[    2.1] test_bpf: #9 LD_IND_LL jited:1 85 ret 0 != 1 FAIL (1 times)',
      '[    2.2] test_bpf: #10 LD_ABS_NET jited:1 ret 7 != 1 ret 7 != 1 FAIL (2 times)',
      '[    2.3] test_bpf: #51 check: div_k_0 UNEXPECTED_PASS',
      '[    2.4] test_bpf: #52 check: unknown insn FAIL to prog_create err=-22 len=1',
      '[    2.5] test_bpf: #3 Tail call 4 jited:1 ret 3 != 4 FAIL',
      '[    2.6] test_bpf: #1 gso_linear_no_head_frag FAIL',
    ])).toEqual([
      '#9 LD_IND_LL failed (ret 0 != 1)',
      '#10 LD_ABS_NET failed (ret 7 != 1 ret 7 != 1)',
      '#51 check: div_k_0 failed (UNEXPECTED_PASS)',
      '#52 check: unknown insn failed (FAIL)',
      '#3 Tail call 4 failed (ret 3 != 4)',
      '#1 gso_linear_no_head_frag failed (FAIL)',
    ]);
    expect(read('test_bpf', ['[    2.7] test_bpf: Summary: 524 PASSED, 0 FAILED, [516/516 JIT\'ed]'])).toEqual([]);
  });
});

describe('module verdicts of the init', () => {
  test('each load is a case; a load that fails, or a module not in the initramfs, says so', () => {
    expect(read('modules', log)).toEqual([
      'test_user_copy passed',
      'test_static_keys passed',
      'test_bpf test_range=0,523 passed',
      'test_bpf test_range=532,827 passed',
      'test_bpf test_suite=test_tail_calls passed',
      'test_bpf test_suite=test_skb_segment passed',
      'test_nothing skipped',
    ]);
    expect(read('modules', ['[    2.3] selftests: test_bpf test_id=100000: FAIL (modprobe exit 1)'])).toEqual(['test_bpf test_id=100000 failed (modprobe exit 1)']);
    expect(read('modules', ['[    2.0] selftests: test_user_copy: loading', '[    4.2] selftests: done'])).toEqual([]);
  });
});
