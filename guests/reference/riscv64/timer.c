/* Delays from the time CSR, which QEMU's ACLINT timer runs on host time. */
#include "arch.h"
#include "fdt.h"

/* virt's timebase-frequency; the DTB's value is used when it gives one. */
#define VIRT_TIMEBASE_HZ 10000000ull

static uint64_t timebase_hz(void)
{
	static uint64_t hz;

	if (!hz) {
		hz = fdt_cpus_u32("timebase-frequency");
		if (!hz)
			hz = VIRT_TIMEBASE_HZ;
	}
	return hz;
}

static uint64_t rdtime(void)
{
	uint64_t t;

	asm volatile("rdtime %0" : "=r"(t));
	return t;
}

/* The 64-bit counter never wraps: `prev` holds the start, `ticks` the last
 * reading's distance from it. */
void stopwatch_start(struct stopwatch *w)
{
	w->prev = rdtime();
	w->ticks = 0;
}

uint64_t stopwatch_ms(struct stopwatch *w)
{
	w->ticks = rdtime() - w->prev;
	return w->ticks * 1000 / timebase_hz();
}

void sleep_ms(uint64_t ms)
{
	struct stopwatch w;

	stopwatch_start(&w);
	while (stopwatch_ms(&w) < ms)
		;
}
