/* Time from the generic timer's virtual counter, which QEMU clocks from host
 * time (and stops while the VM is stopped in the GDB stub). */
#include "arch.h"

static uint64_t counter(void)
{
	uint64_t v;

	asm volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static uint64_t frequency(void)
{
	uint64_t f;

	asm volatile("mrs %0, cntfrq_el0" : "=r"(f));
	return f;
}

void stopwatch_start(struct stopwatch *w)
{
	w->ticks = 0;
	w->prev = counter();
}

uint64_t stopwatch_ms(struct stopwatch *w)
{
	uint64_t now = counter();

	w->ticks += now - w->prev;
	w->prev = now;
	return w->ticks * 1000 / frequency();
}

void sleep_ms(uint64_t ms)
{
	struct stopwatch w;

	stopwatch_start(&w);
	while (stopwatch_ms(&w) < ms)
		;
}
