/* Unikraft's x86_64 crash screens: its register names and trap numbers. */
#include <stdint.h>

#include "crash.h"
#include "crash_screen.h"
#include "fmt.h"

/* Register values other than rip/rsp are fixed, recognisable patterns: the
 * screens only need to look and parse like the real thing. */
static const struct uk_register uk_gprs[] = {
	{ "RAX", 0xfffffffffffffff2UL }, { "RBX", 0 }, { "RCX", 0x1e8480 },
	{ "RDX", 0x3 }, { "RSI", 0x13fe28 }, { "RDI", 0 },
	{ "RBP", 0x13fe80 }, { "R08", 0x1 }, { "R09", 0 },
	{ "R10", 0 }, { "R11", 0x246 }, { "R12", 0x118000 },
	{ "R13", 0 }, { "R14", 0 }, { "R15", 0 },
};

static void uk_print_gprs(const char *prefix)
{
	uk_print_register_rows(prefix, uk_gprs,
			       sizeof(uk_gprs) / sizeof(uk_gprs[0]));
}

/* noinline keeps a real caller frame, whose return address is the second
 * Call Trace entry. */
__attribute__((noinline)) void unikraft_crash_screen(void)
{
	uintptr_t rip, rsp;

	asm volatile("lea (%%rip), %0; mov %%rsp, %1" : "=r"(rip), "=r"(rsp));

	uk_crash_banner(0x118000);
	kprintf(UK_CRIT "RIP: 0008:%016lx\n", (unsigned long)rip);
	kprintf(UK_CRIT "RSP: 0010:%016lx EFLAGS: %08x ORIG_RAX: %016lx\n",
		(unsigned long)rsp, 0x00010046, 0xffffffffffffffffUL);
	uk_print_gprs(UK_CRIT);
	uk_crash_tail(rip, rsp, (uintptr_t)__builtin_return_address(0),
		      "Unhandled Trap 14 (page fault), error code=0x2");
}

/* As a 0.17-era trap dumper prints it. */
void uk_crashloop_dump(void)
{
	kprintf(UK_TRACE "<traps.c @  88> Unhandled Trap 14 (page fault)"
		", error code=0x0\n");
	kprintf(UK_TRACE "<trace.c @   41> RIP: %016lx CS: 0008\n",
		0x0000000000134e60UL);
	kprintf(UK_TRACE "<trace.c @   43> RSP: %016lx SS: 0010 "
		"EFLAGS: %016lx\n", 0x000000000013fe90UL, 0x10046UL);
	uk_print_gprs(UK_TRACE "<trace.c @   46> ");
}
