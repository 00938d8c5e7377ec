/* The debugger hooks in hooks.c, for actions other than check and loop. */
#ifndef REF_HOOKS_H
#define REF_HOOKS_H

extern volatile unsigned long guest_loop_counter;

int guest_check_value(void);
void guest_loop_target(unsigned long i);

#endif
