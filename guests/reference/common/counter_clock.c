/* Time from a 64-bit counter that never wraps: `prev` holds the start,
 * `ticks` the last reading's distance from it. */
#include "arch.h"
#include "counter_clock.h"

void stopwatch_start(struct stopwatch *w)
{
	w->prev = clock_counter();
	w->ticks = 0;
}

uint64_t stopwatch_ms(struct stopwatch *w)
{
	w->ticks = clock_counter() - w->prev;
	return w->ticks * 1000 / clock_hz();
}

void sleep_ms(uint64_t ms)
{
	struct stopwatch w;

	stopwatch_start(&w);
	while (stopwatch_ms(&w) < ms)
		;
}
