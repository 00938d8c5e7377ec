/* Real-time delays from the 8254 PIT, which QEMU clocks from host time. */
#include "arch.h"
#include "io.h"

#define PIT_CH0 0x40
#define PIT_CMD 0x43
#define PIT_HZ 1193182ULL

/* Channel 0 rather than 2: channel 2's gate is wired to port 0x61 (the PC
 * speaker), which microvm lacks, while channel 0's gate is always open. Its
 * IRQ0 output is harmless because interrupts stay disabled. */
static uint16_t pit_count(void)
{
	outb(PIT_CMD, 0x00);	/* latch channel 0 */
	uint8_t lo = inb(PIT_CH0);
	uint8_t hi = inb(PIT_CH0);

	return (uint16_t)(lo | hi << 8);
}

void stopwatch_start(struct stopwatch *w)
{
	/* Mode 2 with reload 0 (65536) counts down by one per tick and wraps
	 * every 55 ms; polling far more often than that keeps the modular
	 * difference exact. */
	outb(PIT_CMD, 0x34);
	outb(PIT_CH0, 0);
	outb(PIT_CH0, 0);
	w->ticks = 0;
	w->prev = pit_count();
}

static uint64_t stopwatch_ticks(struct stopwatch *w)
{
	uint16_t now = pit_count();

	w->ticks += (uint16_t)((uint16_t)w->prev - now);
	w->prev = now;
	return w->ticks;
}

uint64_t stopwatch_ms(struct stopwatch *w)
{
	return stopwatch_ticks(w) * 1000 / PIT_HZ;
}

void sleep_ms(uint64_t ms)
{
	uint64_t target = ms * PIT_HZ / 1000;
	struct stopwatch w;

	stopwatch_start(&w);
	while (stopwatch_ticks(&w) < target)
		;
}
