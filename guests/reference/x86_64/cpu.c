/* x86's CPU primitives for the common code. */
#include "arch.h"
#include "fwcfg.h"

/* Interrupts are off from entry.S on, so nothing wakes a hlt. */
void halt_forever(void)
{
	for (;;)
		asm volatile("cli; hlt");
}

void cpu_relax(void)
{
	asm volatile("pause" ::: "memory");
}

int cpu_count(void)
{
	return fwcfg_cpu_count();
}
