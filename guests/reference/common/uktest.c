/*
 * A canned uktest run: two suites, five cases, nine assertions. Cases are
 * listed in name order because Unikraft sorts them by linker section name.
 */
#include <stdarg.h>

#include "actions.h"
#include "crash.h"
#include "fmt.h"
#include "lib.h"
#include "uktest.h"

#define LINE_COLUMNS 80
#define MSG_MAX 79

/* The assertion a "fail" run breaks; it then reports FAIL_VALUE. */
#define FAIL_VALUE -1

struct uk_assert_def {
	const char *expr;
	long value;
	int is_bool;		/* "to be true" rather than "to be <value>" */
	int fails_on_demand;
	const char *file;
	int line;
};

struct uk_case_def {
	const char *name;
	const char *desc;
	const struct uk_assert_def *asserts;
	int n_asserts;
};

struct uk_suite_def {
	const char *name;
	const struct uk_case_def *cases;
	int n_cases;
};

static const struct uk_assert_def add_asserts[] = {
	{ "1 + 1", 2, 0, 0, "test_arith.c", 31 },
	{ "ret", 0, 0, 0, "test_arith.c", 33 },
};
static const struct uk_assert_def mul_asserts[] = {
	{ "6 * 7 == 42", 1, 1, 0, "test_arith.c", 40 },
};
static const struct uk_assert_def shift_asserts[] = {
	{ "1 << 4", 16, 0, 0, "test_arith.c", 47 },
	{ "0x80 >> 7", 1, 0, 0, "test_arith.c", 48 },
};
static const struct uk_assert_def read_asserts[] = {
	{ "fd", 3, 0, 0, "test_io.c", 38 },
	{ "ret", 0, 0, 1, "test_io.c", 42 },
};
static const struct uk_assert_def write_asserts[] = {
	{ "written", 64, 0, 0, "test_io.c", 57 },
	{ "buf != NULL", 1, 1, 0, "test_io.c", 58 },
};

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct uk_case_def arith_cases[] = {
	{ "test_add", "addition", add_asserts, N(add_asserts) },
	{ "test_mul", NULL, mul_asserts, N(mul_asserts) },
	{ "test_shift", NULL, shift_asserts, N(shift_asserts) },
};
static const struct uk_case_def io_cases[] = {
	{ "test_read", NULL, read_asserts, N(read_asserts) },
	{ "test_write", "write a full line", write_asserts, N(write_asserts) },
};
static const struct uk_suite_def suites[] = {
	{ "ref_arith_testsuite", arith_cases, N(arith_cases) },
	{ "ref_io_testsuite", io_cases, N(io_cases) },
};

enum run_mode { RUN_PASS, RUN_FAIL, RUN_CRASH, RUN_INVALID };

static enum run_mode parse_mode(const char *name, const char *v, int crash_ok)
{
	if (streq(v, "pass"))
		return RUN_PASS;
	if (streq(v, "fail"))
		return RUN_FAIL;
	if (crash_ok && streq(v, "crash"))
		return RUN_CRASH;
	kprintf("reference: bad value for '%s': '%s'\n", name, v);
	return RUN_INVALID;
}

void uktest_assert_line(int passed, const char *fmt, ...)
{
	char msg[MSG_MAX + 1];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	kprintf("\t%s ", msg);
	for (size_t col = strlen(msg) + 1; col < LINE_COLUMNS; col++)
		kprintf(".");
	kprintf(" %s\n", passed ? "[ PASSED ]" : "[ FAILED ]");
}

static long assert_value(const struct uk_assert_def *a, enum run_mode mode)
{
	return a->fails_on_demand && mode == RUN_FAIL ? FAIL_VALUE : a->value;
}

/* Returns 1 if the assertion passed. */
static int run_assert(const struct uk_assert_def *a, enum run_mode mode)
{
	long got = assert_value(a, mode);
	int passed = got == a->value;

	if (a->is_bool)
		uktest_assert_line(passed, "expected `%s` to be true", a->expr);
	else
		uktest_assert_line(passed, "expected `%s` to be %ld %s was %ld",
				   a->expr, a->value, passed ? "and" : "but",
				   got);
	if (!passed)
		/* The stray brackets are what Unikraft prints without colour. */
		kprintf("\t  in %s]:%d]\n", a->file, a->line);
	return passed;
}

static void case_header(const struct uk_suite_def *s,
			const struct uk_case_def *c)
{
	kprintf("test:\x1b[0m %s->%s", s->name, c->name);
	if (c->desc)
		kprintf(": %s", c->desc);
	kprintf("\n");
}

struct uk_stats {
	int total;
	int failed;
};

#define UK_INFO_PREFIX "[    0.104210] Info: [libuktest] <test.c @ %3d> "

static void print_stat(int line, const char *label, const struct uk_stats *st)
{
	kprintf(UK_INFO_PREFIX "uktest:%s", line, label);
	if (st->failed)
		kprintf("%d failed\x1b[0m, ", st->failed);
	kprintf("%d total\n", st->total);
}

void act_uktest(const char *v)
{
	enum run_mode mode = parse_mode("uktest", v, 1);
	struct uk_stats suites_st = { 0 }, cases_st = { 0 }, asserts_st = { 0 };

	if (mode == RUN_INVALID)
		return;
	for (int si = 0; si < N(suites); si++) {
		const struct uk_suite_def *s = &suites[si];
		int suite_failed = 0;

		if (mode == RUN_CRASH && si == 1) {
			case_header(s, &s->cases[0]);
			run_assert(&s->cases[0].asserts[0], mode);
			unikraft_crash_screen();
		}
		for (int ci = 0; ci < s->n_cases; ci++) {
			const struct uk_case_def *c = &s->cases[ci];
			int case_failed = 0;

			case_header(s, c);
			for (int ai = 0; ai < c->n_asserts; ai++) {
				int ok = run_assert(&c->asserts[ai], mode);

				asserts_st.total++;
				asserts_st.failed += !ok;
				case_failed |= !ok;
			}
			cases_st.total++;
			cases_st.failed += case_failed;
			suite_failed |= case_failed;
		}
		suites_st.total++;
		suites_st.failed += suite_failed;
	}
	print_stat(80, "suites:     ", &suites_st);
	print_stat(92, "cases:      ", &cases_st);
	print_stat(104, "assertions: ", &asserts_st);
}

void act_uktest_old(const char *v)
{
	enum run_mode mode = parse_mode("uktest-old", v, 0);

	if (mode == RUN_INVALID)
		return;
	for (int si = 0; si < N(suites); si++) {
		const struct uk_suite_def *s = &suites[si];

		for (int ci = 0; ci < s->n_cases; ci++) {
			const struct uk_case_def *c = &s->cases[ci];

			kprintf("test: %s->%s\n", s->name, c->name);
			for (int ai = 0; ai < c->n_asserts; ai++) {
				const struct uk_assert_def *a = &c->asserts[ai];
				long got = assert_value(a, mode);
				const char *verdict =
					got == a->value ? "PASSED" : "FAILED";

				if (a->is_bool)
					kprintf(": expected '%s' to be true"
						" ..... %s\n", a->expr,
						verdict);
				else
					kprintf(": expected '%s' to be %ld but"
						" was %ld ..... %s\n", a->expr,
						a->value, got, verdict);
				if (got != a->value)
					kprintf(": in %s:%d\n", a->file,
						a->line);
			}
		}
	}
}
