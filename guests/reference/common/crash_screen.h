/* What Unikraft's crash screens look like on every architecture: the ukdebug
 * prefixes, the banner, and everything from the stack words to "Unikraft
 * halted". The register lines between banner and stack are each
 * architecture's (<arch>/crash.c). */
#ifndef REF_CRASH_SCREEN_H
#define REF_CRASH_SCREEN_H

#include <stdint.h>

#define UK_CRIT "[    0.105127] CRIT: "
#define UK_TRACE "[    0.105127] CRIT: [libkvmplat] "

struct uk_register {
	const char *name;
	uint64_t value;
};

/* "Unikraft crash - ..." and the crashed thread at `thread`. */
void uk_crash_banner(uintptr_t thread);

/* The four stack words at `sp`, a Call Trace of `pc` in
 * unikraft_crash_screen and `caller` in act_uktest, the `trap` line, then
 * "Unikraft halted"; halts. */
void uk_crash_tail(uintptr_t pc, uintptr_t sp, uintptr_t caller,
		   const char *trap) __attribute__((noreturn));

/* `count` registers (a multiple of three), three to a line: "RAX: ... RBX: ... RCX: ...". */
void uk_print_register_rows(const char *prefix, const struct uk_register *regs,
			    int count);

/* One round of crashloop's dump, before its "Crashing" line: the trap and
 * the registers as the architecture's trap handler prints them. */
void uk_crashloop_dump(void);

#endif
