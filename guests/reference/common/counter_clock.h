/* The stopwatch and sleep_ms (arch.h) of an architecture with a free-running
 * 64-bit counter clocked from host time (common/counter_clock.c); its
 * <arch>/timer.c reads the counter and says its frequency. */
#ifndef REF_COUNTER_CLOCK_H
#define REF_COUNTER_CLOCK_H

#include <stdint.h>

uint64_t clock_counter(void);
uint64_t clock_hz(void);

#endif
