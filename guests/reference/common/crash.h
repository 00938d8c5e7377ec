/* Crash and panic screens in the shapes Unikraft and Linux print them: the
 * Linux panic is common (panic.c), the Unikraft screen is common
 * (crash_screen.c) but for the architecture's registers (<arch>/crash.c). */
#ifndef REF_CRASH_H
#define REF_CRASH_H

/* Unikraft's lib/ukdebug crash screen, then "Unikraft halted"; halts. */
void unikraft_crash_screen(void) __attribute__((noreturn));

/* Linux's panic() output from the first line to the end marker; halts. */
void linux_panic(const char *reason) __attribute__((noreturn));

#endif
