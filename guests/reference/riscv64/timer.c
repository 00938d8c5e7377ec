/* Delays from the time CSR, which QEMU's ACLINT timer runs on host time. */
#include "counter_clock.h"
#include "fdt.h"

/* virt's timebase-frequency; the DTB's value is used when it gives one. */
#define VIRT_TIMEBASE_HZ 10000000ull

uint64_t clock_hz(void)
{
	static uint64_t hz;

	if (!hz) {
		hz = fdt_cpus_u32("timebase-frequency");
		if (!hz)
			hz = VIRT_TIMEBASE_HZ;
	}
	return hz;
}

uint64_t clock_counter(void)
{
	uint64_t t;

	asm volatile("rdtime %0" : "=r"(t));
	return t;
}
