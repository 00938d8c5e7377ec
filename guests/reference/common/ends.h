/* What the end actions share: common/ends.c's and the architectures' own
 * (exit501, semihosting-exit, reset). */
#ifndef REF_ENDS_H
#define REF_ENDS_H

#include <stdint.h>

/* `action=V` with V in 0-255 goes to `request`, which returns only if nothing
 * ended the run; then prints "reference: <unanswered>" and halts. */
void end_with_status(const char *action, const char *v,
		     void (*request)(uint8_t), const char *unanswered);

/* After a power-off or reset request: waits for QEMU to act, else prints
 * "reference: <end> unsupported on this machine" and halts. */
void end_unanswered(const char *end) __attribute__((noreturn));

#endif
