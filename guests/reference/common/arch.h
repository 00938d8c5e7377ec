/* What each architecture (guests/reference/<arch>/) provides to the common
 * actions: its channels, its clock, its ways to end the run and its CPUs. */
#ifndef REF_ARCH_H
#define REF_ARCH_H

#include <stddef.h>
#include <stdint.h>

#include "script.h"

/* "x86_64", "aarch64", ...: named in "action 'X' is not available on <arch>". */
extern const char arch_name[];

/* Actions this architecture offers beyond the common ones (script.c). */
extern const struct action_def arch_actions[];
extern const size_t arch_action_count;

/* The console (console:): the machine's first UART, polled, no interrupts. */
void console_init(void);
void console_putc(char c);
int console_getc(void);
/* Bulk output with no readiness polling: QEMU's UARTs take every byte written. */
void console_write_unpaced(const char *buf, size_t len);

/* The debug channel (debugcon:): x86's port 0xe9, semihosting elsewhere. */
void debug_write(const char *buf, size_t len);

/* Stage codes (code:): x86's port 0x80, a pci-serial UART elsewhere; one byte
 * is one code. */
void codes_write(const uint8_t *codes, size_t len);

/* Host-clocked time. Poll a running stopwatch often (x86's PIT wraps every
 * 55 ms); starting one may reprogram the timer, so do not interleave two. */
struct stopwatch {
	uint64_t ticks;
	uint64_t prev;
};
void stopwatch_start(struct stopwatch *w);
uint64_t stopwatch_ms(struct stopwatch *w);
void sleep_ms(uint64_t ms);

/* Asks QEMU to exit with the status `exit=V` stands for on this architecture;
 * returns if no device answered. */
void request_exit(uint8_t value);
/* Asks the machine to power off; returns at once (QEMU may act later). */
void request_poweroff(void);

void halt_forever(void) __attribute__((noreturn));
/* A spin-wait hint (pause, yield). */
void cpu_relax(void);

/* CPUs QEMU was given (-smp), or -1 if the machine does not say. */
int cpu_count(void);

/* smp=N: returns how many CPUs (IDs 0..n-1) may be started, at most `cpus`,
 * printing why if fewer, and sets *self to the ID of the CPU running this. */
int smp_usable_cpus(int cpus, unsigned *self);
/* Starts CPUs 0..cpus-1 but `self`; each calls smp_ap_main(id) on a stack of
 * its own (smp.h). */
void smp_start_cpus(int cpus, unsigned self);

/* emulated.S: the instructions the debugger client steps off by emulating. */
void emulated_instructions(void);
unsigned long emulated_results(void);

#endif
