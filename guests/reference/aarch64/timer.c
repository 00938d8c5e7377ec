/* Time from the generic timer's virtual counter, which QEMU clocks from host
 * time (and stops while the VM is stopped in the GDB stub). */
#include "counter_clock.h"

uint64_t clock_counter(void)
{
	uint64_t v;

	asm volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

uint64_t clock_hz(void)
{
	uint64_t f;

	asm volatile("mrs %0, cntfrq_el0" : "=r"(f));
	return f;
}
