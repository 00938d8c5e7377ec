/* The architecture-neutral parts of Unikraft's crash screens. */
#include <stdint.h>

#include "actions.h"
#include "arch.h"
#include "crash.h"
#include "crash_screen.h"
#include "fmt.h"

void uk_crash_banner(uintptr_t thread)
{
	kprintf(UK_CRIT "Unikraft crash - Helene (0.17.0~reference)\n");
	kprintf(UK_CRIT "Thread \"uktest\"@%p\n", (void *)thread);
}

void uk_print_register_rows(const char *prefix, const struct uk_register *regs,
			    int count)
{
	for (int i = 0; i + 2 < count; i += 3)
		kprintf("%s%s: %016lx %s: %016lx %s: %016lx\n", prefix,
			regs[i].name, (unsigned long)regs[i].value,
			regs[i + 1].name, (unsigned long)regs[i + 1].value,
			regs[i + 2].name, (unsigned long)regs[i + 2].value);
}

static void uk_trace_entry(uintptr_t addr, const char *sym, uintptr_t base)
{
	kprintf(UK_CRIT " [<%016lx>] %s+0x%lx\n", (unsigned long)addr, sym,
		(unsigned long)(addr - base));
}

void uk_crash_tail(uintptr_t pc, uintptr_t sp, uintptr_t caller,
		   const char *trap)
{
	const uint64_t *stack = (const uint64_t *)sp;

	kprintf(UK_CRIT "Stack:\n");
	for (int i = 0; i < 4; i++)
		kprintf(UK_CRIT " %016lx  %016lx\n",
			(unsigned long)(sp + 8 * i), (unsigned long)stack[i]);
	kprintf(UK_CRIT "Call Trace:\n");
	uk_trace_entry(pc, "unikraft_crash_screen",
		       (uintptr_t)unikraft_crash_screen);
	uk_trace_entry(caller, "act_uktest", (uintptr_t)act_uktest);
	kprintf(UK_CRIT "%s\n", trap);
	kprintf("Unikraft halted\n");
	halt_forever();
}

/* Mimics a trap dumper that faults inside itself and re-enters the trap
 * handler, so the dump never stops. */
void act_crashloop(const char *v)
{
	(void)v;
	for (;;) {
		uk_crashloop_dump();
		kprintf(UK_TRACE "<traps.c @ 113> Crashing\n");
	}
}
