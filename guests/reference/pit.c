#include "io.h"
#include "pit.h"

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

void pit_sleep_ms(uint64_t ms)
{
	uint64_t target = ms * PIT_HZ / 1000;
	uint64_t elapsed = 0;

	/* Mode 2 with reload 0 (65536) counts down by one per tick and wraps
	 * every 55 ms; polling far more often than that keeps the modular
	 * difference exact. */
	outb(PIT_CMD, 0x34);
	outb(PIT_CH0, 0);
	outb(PIT_CH0, 0);

	uint16_t prev = pit_count();

	while (elapsed < target) {
		uint16_t now = pit_count();

		elapsed += (uint16_t)(prev - now);
		prev = now;
	}
}
