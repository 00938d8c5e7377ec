/* Unikraft-style crash screens with riscv64's registers (the ABI names, as
 * Unikraft's riscv64 port and QEMU's target.xml spell them). */
#include <stdint.h>

#include "crash.h"
#include "crash_screen.h"
#include "fmt.h"

/* Register values other than pc/ra/sp are fixed, recognisable patterns: the
 * screens only need to look and parse like the real thing. */
static void uk_print_gprs(const char *prefix)
{
	kprintf("%sGP: %016lx TP: %016lx T0: %016lx\n", prefix,
		0x0000000080232800UL, 0x0000000000000000UL, 0x0000000000000003UL);
	kprintf("%sT1: %016lx T2: %016lx S0: %016lx\n", prefix,
		0x00000000001e8480UL, 0x0000000000000000UL, 0x000000008023fe80UL);
	kprintf("%sS1: %016lx A0: %016lx A1: %016lx\n", prefix,
		0x0000000000118000UL, 0xfffffffffffffff2UL, 0x000000008023fe28UL);
	kprintf("%sA2: %016lx A3: %016lx A4: %016lx\n", prefix,
		0x0000000000000001UL, 0x0000000000000000UL, 0x0000000000000246UL);
	kprintf("%sA5: %016lx A6: %016lx A7: %016lx\n", prefix,
		0x0000000000000000UL, 0x0000000000000000UL, 0x0000000000000000UL);
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
