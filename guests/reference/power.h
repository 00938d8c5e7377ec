/* Ending the run: QEMU's isa-debug-exit, ACPI S5, faults and halts. */
#ifndef REF_POWER_H
#define REF_POWER_H

#include <stdint.h>

#define PORT_DEBUG_EXIT 0xf4
#define PORT_DEBUG_EXIT_UK 0x501	/* where Unikraft's QEMU runs put it */

/* QEMU exits with (value << 1) | 1. Halts with a message if nothing is
 * listening on the port. */
void debug_exit(uint16_t port, uint8_t value) __attribute__((noreturn));

#endif
