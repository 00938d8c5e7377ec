/* selfstep.S: the guest single-stepping itself, and where its step exception was taken (exceptions.c). */
#ifndef REF_SELFSTEP_H
#define REF_SELFSTEP_H

#include <stdint.h>

void self_step_call(void (*fn)(void));
void guest_self_stepped(void);

/* ELR of the last software step exception; MDSCR_EL1.SS is cleared when it is taken. */
extern volatile uintptr_t self_step_elr;

#endif
