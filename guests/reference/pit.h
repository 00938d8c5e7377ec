/* Real-time delays from the 8254 PIT, which QEMU clocks from host time. */
#ifndef REF_PIT_H
#define REF_PIT_H

#include <stdint.h>

/* Elapsed time measured on PIT channel 0. Poll it at least every 55 ms (one
 * wrap of the counter) or time is lost; starting one, or pit_sleep_ms(),
 * reprograms channel 0, so do not interleave them with a running one. */
struct pit_stopwatch {
	uint64_t ticks;
	uint16_t prev;
};

void pit_stopwatch_start(struct pit_stopwatch *w);
uint64_t pit_stopwatch_ms(struct pit_stopwatch *w);

void pit_sleep_ms(uint64_t ms);

#endif
