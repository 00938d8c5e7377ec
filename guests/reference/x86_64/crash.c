/* Unikraft's x86_64 crash screens: its register names and trap numbers. */
#include <stdint.h>

#include "actions.h"
#include "crash.h"
#include "fmt.h"
#include "arch.h"

#define UK_CRIT "[    0.105127] CRIT: "

/* Register values other than rip/rsp are fixed, recognisable patterns: the
 * screens only need to look and parse like the real thing. */
static void uk_print_gprs(const char *prefix)
{
	kprintf("%sRAX: %016lx RBX: %016lx RCX: %016lx\n", prefix,
		0xfffffffffffffff2UL, 0x0000000000000000UL, 0x00000000001e8480UL);
	kprintf("%sRDX: %016lx RSI: %016lx RDI: %016lx\n", prefix,
		0x0000000000000003UL, 0x000000000013fe28UL, 0x0000000000000000UL);
	kprintf("%sRBP: %016lx R08: %016lx R09: %016lx\n", prefix,
		0x000000000013fe80UL, 0x0000000000000001UL, 0x0000000000000000UL);
	kprintf("%sR10: %016lx R11: %016lx R12: %016lx\n", prefix,
		0x0000000000000000UL, 0x0000000000000246UL, 0x0000000000118000UL);
	kprintf("%sR13: %016lx R14: %016lx R15: %016lx\n", prefix,
		0x0000000000000000UL, 0x0000000000000000UL, 0x0000000000000000UL);
}

static void uk_trace_entry(uintptr_t addr, const char *sym, uintptr_t base)
{
	kprintf(UK_CRIT " [<%016lx>] %s+0x%lx\n", (unsigned long)addr, sym,
		(unsigned long)(addr - base));
}

/* noinline keeps a real caller frame, whose return address is the second
 * Call Trace entry. */
__attribute__((noinline)) void unikraft_crash_screen(void)
{
	uintptr_t rip, rsp;
	const uint64_t *stack;

	asm volatile("lea (%%rip), %0; mov %%rsp, %1" : "=r"(rip), "=r"(rsp));
	stack = (const uint64_t *)rsp;

	kprintf(UK_CRIT "Unikraft crash - Helene (0.17.0~reference)\n");
	kprintf(UK_CRIT "Thread \"uktest\"@%p\n", (void *)0x118000);
	kprintf(UK_CRIT "RIP: 0008:%016lx\n", (unsigned long)rip);
	kprintf(UK_CRIT "RSP: 0010:%016lx EFLAGS: %08x ORIG_RAX: %016lx\n",
		(unsigned long)rsp, 0x00010046, 0xffffffffffffffffUL);
	uk_print_gprs(UK_CRIT);
	kprintf(UK_CRIT "Stack:\n");
	for (int i = 0; i < 4; i++)
		kprintf(UK_CRIT " %016lx  %016lx\n",
			(unsigned long)(rsp + 8 * i), (unsigned long)stack[i]);
	kprintf(UK_CRIT "Call Trace:\n");
	uk_trace_entry(rip, "unikraft_crash_screen",
		       (uintptr_t)unikraft_crash_screen);
	uk_trace_entry((uintptr_t)__builtin_return_address(0), "act_uktest",
		       (uintptr_t)act_uktest);
	kprintf(UK_CRIT "Unhandled Trap 14 (page fault), error code=0x2\n");
	kprintf("Unikraft halted\n");
	halt_forever();
}

#define UK_TRACE "[    0.105127] CRIT: [libkvmplat] "

/* Mimics a 0.17-era trap dumper that faults inside itself and re-enters the
 * trap handler, so the dump never stops. */
void act_crashloop(const char *v)
{
	(void)v;
	for (;;) {
		kprintf(UK_TRACE "<traps.c @  88> Unhandled Trap 14 (page fault)"
			", error code=0x0\n");
		kprintf(UK_TRACE "<trace.c @   41> RIP: %016lx CS: 0008\n",
			0x0000000000134e60UL);
		kprintf(UK_TRACE "<trace.c @   43> RSP: %016lx SS: 0010 "
			"EFLAGS: %016lx\n", 0x000000000013fe90UL, 0x10046UL);
		uk_print_gprs(UK_TRACE "<trace.c @   46> ");
		kprintf(UK_TRACE "<traps.c @ 113> Crashing\n");
	}
}
