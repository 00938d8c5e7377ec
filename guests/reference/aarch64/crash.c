/* Unikraft's arm64 crash screens: X0-X30, SP, PC, PSTATE, ESR. */
#include <stdint.h>

#include "crash.h"
#include "crash_screen.h"
#include "fmt.h"

/* Register values other than PC, SP and X30 are fixed, recognisable
 * patterns: the screens only need to look and parse like the real thing. */
static uint64_t fake_register(int i)
{
	return i == 0 ? 0xfffffffffffffff2UL : 0x40100000UL + 0x1000UL * (uint64_t)i;
}

static void uk_print_gprs(const char *prefix, uint64_t lr, uint64_t sp)
{
	for (int i = 0; i < 30; i += 2)
		kprintf("%sX%-2d: %016lx X%-2d: %016lx\n", prefix, i,
			(unsigned long)fake_register(i), i + 1,
			(unsigned long)fake_register(i + 1));
	kprintf("%sX30: %016lx SP : %016lx\n", prefix, (unsigned long)lr,
		(unsigned long)sp);
}

/* noinline keeps a real caller frame, whose return address (X30 on entry)
 * is the second Call Trace entry. */
__attribute__((noinline)) void unikraft_crash_screen(void)
{
	uintptr_t pc, sp, lr = (uintptr_t)__builtin_return_address(0);

	asm volatile("adr %0, .; mov %1, sp" : "=r"(pc), "=r"(sp));

	uk_crash_banner(0x40118000);
	kprintf(UK_CRIT "Registers:\n");
	uk_print_gprs(UK_CRIT, lr, sp);
	kprintf(UK_CRIT "PC : %016lx PSTATE: %016lx\n", (unsigned long)pc,
		0x00000000600003c5UL);
	uk_crash_tail(pc, sp, lr, "EL1 sync trap: data abort, ESR 0x96000045, "
		      "FAR 0x0000000000000000");
}

void uk_crashloop_dump(void)
{
	kprintf(UK_TRACE "<traps_arm64.c @  87> EL1 sync trap: data abort, "
		"ESR 0x96000045, FAR 0x0000000000000000\n");
	uk_print_gprs(UK_TRACE "<traps_arm64.c @  55> ",
		      0x0000000040003a1cUL, 0x000000004013fe90UL);
	kprintf(UK_TRACE "<traps_arm64.c @  60> PC : %016lx PSTATE: %016lx\n",
		0x0000000040004e60UL, 0x00000000600003c5UL);
}
