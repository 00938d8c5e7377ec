/* Unikraft-style crash screens with riscv64's registers (the ABI names, as
 * Unikraft's riscv64 port and QEMU's target.xml spell them). */
#include <stdint.h>

#include "crash.h"
#include "crash_screen.h"
#include "fmt.h"

/* Register values other than pc/ra/sp are fixed, recognisable patterns: the
 * screens only need to look and parse like the real thing. */
static const struct uk_register uk_gprs[] = {
	{ "GP", 0x80232800 }, { "TP", 0 }, { "T0", 0x3 },
	{ "T1", 0x1e8480 }, { "T2", 0 }, { "S0", 0x8023fe80 },
	{ "S1", 0x118000 }, { "A0", 0xfffffffffffffff2UL }, { "A1", 0x8023fe28 },
	{ "A2", 0x1 }, { "A3", 0 }, { "A4", 0x246 },
	{ "A5", 0 }, { "A6", 0 }, { "A7", 0 },
};

static void uk_print_gprs(const char *prefix)
{
	uk_print_register_rows(prefix, uk_gprs,
			       sizeof(uk_gprs) / sizeof(uk_gprs[0]));
}

/* noinline keeps a real caller frame, whose return address (ra on entry) is
 * the second Call Trace entry. */
__attribute__((noinline)) void unikraft_crash_screen(void)
{
	uintptr_t pc, sp, ra = (uintptr_t)__builtin_return_address(0);

	asm volatile("auipc %0, 0; mv %1, sp" : "=r"(pc), "=r"(sp));

	uk_crash_banner(0x118000);
	kprintf(UK_CRIT "PC: %016lx RA: %016lx SP: %016lx\n", (unsigned long)pc,
		(unsigned long)ra, (unsigned long)sp);
	uk_print_gprs(UK_CRIT);
	kprintf(UK_CRIT "SSTATUS: %016lx SCAUSE: %016lx STVAL: %016lx\n",
		0x0000000200000100UL, 0x000000000000000fUL, 0x0000000000000000UL);
	uk_crash_tail(pc, sp, ra,
		      "Unhandled Trap 15 (store/AMO page fault), error code=0x0");
}

/* As a 0.17-era trap dumper prints it. */
void uk_crashloop_dump(void)
{
	kprintf(UK_TRACE "<traps.c @  88> Unhandled Trap 15 (store/AMO page fault)"
		", error code=0x0\n");
	kprintf(UK_TRACE "<trace.c @   41> PC: %016lx RA: %016lx\n",
		0x0000000080234e60UL, 0x0000000080234e24UL);
	kprintf(UK_TRACE "<trace.c @   43> SP: %016lx SSTATUS: %016lx\n",
		0x000000008023fe90UL, 0x0000000200000100UL);
	uk_print_gprs(UK_TRACE "<trace.c @   46> ");
}
