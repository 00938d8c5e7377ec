/* The actions only riscv64 offers (actions.c's table). */
#ifndef REF_RISCV_ACTIONS_H
#define REF_RISCV_ACTIONS_H

/* power.c (semihosting-exit is common/semihosting.c's) */
void act_reset(const char *v);

/* smp_start.c */
void act_hsm_stale_entry(const char *v);

#endif
