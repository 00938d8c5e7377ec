/* A canned KUnit run in KTAP version 1, as the kernel prints it. */
#include "actions.h"
#include "crash.h"
#include "fmt.h"
#include "lib.h"

static void suite_arith(void)
{
	kprintf("    KTAP version 1\n");
	kprintf("    # Subtest: ref_arith\n");
	kprintf("    # module: reference\n");
	kprintf("    1..3\n");
	kprintf("    ok 1 arith_add_test\n");
	kprintf("    ok 2 arith_mul_test\n");
	kprintf("    ok 3 arith_overflow_test # SKIP overflow checks disabled\n");
	kprintf("# ref_arith: pass:2 fail:0 skip:1 total:3\n");
	kprintf("ok 1 ref_arith\n");
}

void act_ktap(const char *v)
{
	int fail = streq(v, "fail");
	int crash = streq(v, "crash");

	if (!fail && !crash && !streq(v, "pass")) {
		kprintf("reference: bad value for 'ktap': '%s'\n", v);
		return;
	}
	kprintf("KTAP version 1\n");
	kprintf("1..2\n");
	suite_arith();

	kprintf("    KTAP version 1\n");
	kprintf("    # Subtest: ref_io\n");
	kprintf("    # module: reference\n");
	kprintf("    1..2\n");
	kprintf("    ok 1 io_read_test\n");
	if (crash)
		linux_panic("Fatal exception in io_write_test");
	if (fail) {
		kprintf("    # io_write_test: EXPECTATION FAILED at "
			"lib/foo.c:42\n");
		kprintf("    Expected ret == 0, but\n");
		kprintf("        ret == -1 (0xffffffffffffffff)\n");
		kprintf("    not ok 2 io_write_test\n");
		kprintf("# ref_io: pass:1 fail:1 skip:0 total:2\n");
		kprintf("not ok 2 ref_io\n");
		kprintf("# Totals: pass:3 fail:1 skip:1 total:5\n");
	} else {
		kprintf("    ok 2 io_write_test\n");
		kprintf("# ref_io: pass:2 fail:0 skip:0 total:2\n");
		kprintf("ok 2 ref_io\n");
		kprintf("# Totals: pass:4 fail:0 skip:1 total:5\n");
	}
}
