/* Functions a debugger attaches to by name (breakpoints, return-value
 * overrides, watchpoints), so they must stay real, separately called
 * functions: noipa forbids inlining, cloning and interprocedural constant
 * propagation, and the empty asm hides the constant from the body itself. */
#include "actions.h"
#include "arch.h"
#include "fmt.h"
#include "hooks.h"
#include "script.h"
#include "uktest.h"

/* Shared by every CPU that runs smp=N, so it is bumped with one locked add:
 * no lost updates, and still exactly one write per call for a watchpoint. */
volatile unsigned long guest_loop_counter;

__attribute__((noipa, used)) int guest_check_value(void)
{
	int v = 0;

	asm volatile("" : "+r"(v));
	return v;
}

__attribute__((noipa, used)) void guest_loop_target(unsigned long i)
{
	asm volatile("" : : "r"(i));
	__atomic_fetch_add(&guest_loop_counter, 1, __ATOMIC_RELAXED);
}

/* Named as Free Pascal names its routines (unit MEMORY's TOROGETMEM(QWORD):
 * POINTER is MEMORY_$$_TOROGETMEM$QWORD$$POINTER): `$` in a symbol name, which
 * a glob over symbols must take as itself. One call before a loop and one
 * after, so a glob over both counts two hits per loop action. */
__attribute__((noipa, used)) void guest_loop_begins(unsigned long n)
	__asm__("REFERENCE_$$_LOOPBEGINS$QWORD");
__attribute__((noipa, used)) unsigned long guest_loop_ends(unsigned long n)
	__asm__("REFERENCE_$$_LOOPENDS$QWORD$$QWORD");

void guest_loop_begins(unsigned long n)
{
	asm volatile("" : : "r"(n));
}

unsigned long guest_loop_ends(unsigned long n)
{
	asm volatile("" : "+r"(n));
	return n;
}

void act_check(const char *v)
{
	(void)v;
	int ret = guest_check_value();

	kprintf("guest_check_value() returned %d\n", ret);
	uktest_assert_line(ret == 0,
			   "expected `guest_check_value()` to be 0 %s was %d",
			   ret == 0 ? "and" : "but", ret);
	if (ret < 0)
		kprintf("error path: recovering from %d\n", ret);
}

void act_loop(const char *v)
{
	uint64_t n;

	if (!script_number("loop", v, 10000000000ULL, &n))
		return;
	guest_loop_begins(n);
	for (uint64_t i = 0; i < n; i++)
		guest_loop_target(i);
	kprintf("loop done: %lu calls\n", guest_loop_ends(n));
}

void act_emulated(const char *v)
{
	(void)v;
	emulated_instructions();
	kprintf("emulated: 0x%lx\n", emulated_results());
}
